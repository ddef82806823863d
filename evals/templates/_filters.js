// Filters of the eval pages: checkboxes [data-filter-NAME] keep the sections whose data-NAME is "true";
// the search box keeps those whose data-search contains every word typed. A search opens what it finds.
(function () {
  "use strict";
  const sections = Array.from(document.querySelectorAll("details.article"));
  const boxes = Array.from(document.querySelectorAll("input[type=checkbox]")).filter((box) =>
    Object.keys(box.dataset).some((key) => key.startsWith("filter")),
  );
  const search = document.querySelector("[data-filter-search]");
  const count = document.querySelector("[data-filter-count]");
  const nameOf = (box) => Object.keys(box.dataset).find((key) => key.startsWith("filter")).slice(6).toLowerCase();

  function apply() {
    const words = search ? search.value.toLowerCase().split(/\s+/).filter(Boolean) : [];
    const wanted = boxes.filter((box) => box.checked).map(nameOf);
    let shown = 0;
    sections.forEach((section) => {
      const keep =
        wanted.every((name) => section.dataset[name] === "true") &&
        words.every((word) => section.dataset.search.includes(word));
      section.hidden = !keep;
      if (keep) shown += 1;
      if (keep && words.length) section.open = true;
    });
    if (count) count.textContent = `${shown} of ${sections.length} articles shown`;
  }
  boxes.forEach((box) => box.addEventListener("change", apply));
  if (search) search.addEventListener("input", apply);
  apply();
})();
// A link to a collapsed section (the per-article table's) opens it.
(function () {
  "use strict";
  function openTarget() {
    const target = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    if (target && target.tagName === "DETAILS") {
      target.hidden = false;
      target.open = true;
    }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
})();
