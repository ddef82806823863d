// A highlight of the run report, selected (tapped, clicked, or Enter on it), names its items below the
// article text: a phone cannot hover to read the titles.
(function () {
  "use strict";
  function show(mark) {
    const text = mark.closest(".text");
    let status = text.nextElementSibling;
    if (!status || !status.matches(".mark-status")) {
      status = document.createElement("p");
      status.className = "mark-status";
      status.setAttribute("aria-live", "polite");
      text.after(status);
    }
    const titles = [];
    for (let node = mark; node && node !== text; node = node.parentElement) {
      if (node.tagName === "MARK" && node.title && !titles.includes(node.title)) titles.push(node.title);
    }
    status.textContent = `Selected: ${titles.join("; ")}`;
  }
  document.addEventListener("click", (event) => {
    const mark = event.target.closest(".text mark");
    if (mark) show(mark);
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target.matches && event.target.matches(".text mark")) show(event.target);
  });
})();
