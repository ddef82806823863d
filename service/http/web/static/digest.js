// The digest page: selecting an item emphasises its span(s) in the article, and the reverse.
(function () {
  "use strict";
  const article = document.querySelector("[data-article]");
  const status = document.getElementById("selection-status");
  const motion = window.matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth";
  const printButton = document.querySelector("[data-print]");
  if (printButton) printButton.addEventListener("click", () => window.print());
  if (!article) return;

  const byItem = (kind, id) => `[data-kind="${CSS.escape(kind)}"][data-item="${CSS.escape(id)}"]`;
  const entriesFor = (kind, id) =>
    document.querySelectorAll(`[data-select-kind="${CSS.escape(kind)}"][data-select-item="${CSS.escape(id)}"]`);
  const marksFor = (kind, id) => article.querySelectorAll(`mark${byItem(kind, id)}`);

  function clear() {
    article.querySelectorAll("mark.is-active").forEach((mark) => {
      mark.classList.remove("is-active");
      mark.removeAttribute("aria-current");
    });
    document.querySelectorAll(".selectable.is-selected").forEach((entry) => entry.classList.remove("is-selected"));
    document.querySelectorAll("[data-select][aria-pressed=true]").forEach((b) => b.setAttribute("aria-pressed", "false"));
  }

  function emphasise(kind, id) {
    clear();
    const marks = Array.from(marksFor(kind, id));
    marks.forEach((mark) => {
      mark.classList.add("is-active");
      mark.setAttribute("aria-current", "true");
    });
    const entries = Array.from(entriesFor(kind, id));
    entries.forEach((entry) => {
      entry.classList.add("is-selected");
      entry.querySelectorAll("[data-select]").forEach((b) => b.setAttribute("aria-pressed", "true"));
    });
    const places = new Set(marks.map((m) => m.dataset.start)).size;
    status.textContent = places
      ? `${kind} ${id}: ${places} place${places > 1 ? "s" : ""} highlighted in the article`
      : `${kind} ${id} is not highlighted in the article`;
    return { marks, entries };
  }

  function fromList(entry) {
    const { marks } = emphasise(entry.dataset.selectKind, entry.dataset.selectItem);
    if (marks.length) marks[0].scrollIntoView({ block: "center", inline: "nearest", behavior: motion });
  }

  function fromArticle(mark) {
    const { entries } = emphasise(mark.dataset.kind, mark.dataset.item);
    const entry = entries.find((e) => e.classList.contains("item")) || entries[0];
    if (!entry) return;
    entry.scrollIntoView({ block: "center", behavior: motion });
    const button = entry.querySelector("[data-select]");
    if (button) button.focus({ preventScroll: true });
  }

  document.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (!target || target.closest("a")) return;
    const mark = target.closest("mark[data-item]");
    if (mark && article.contains(mark)) return fromArticle(mark);
    const entry = target.closest("[data-select-item]");
    if (entry) fromList(entry);
  });

  article.addEventListener("keydown", (event) => {
    const mark = event.target instanceof Element ? event.target.closest("mark[data-item]") : null;
    if (mark && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      fromArticle(mark);
    }
  });

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      clear();
      status.textContent = "Selection cleared";
    }
  });
})();
