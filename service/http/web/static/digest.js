// The digest page: selecting an item emphasises its span(s) in the article, and the reverse; the
// legend switches highlight layers; previous / next (and the j / k keys) step through the items.
(function () {
  "use strict";
  const article = document.querySelector("[data-article]");
  const status = document.getElementById("selection-status");
  const motion = window.matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth";
  const narrow = window.matchMedia("(max-width: 960px)");
  const printButton = document.querySelector("[data-print]");
  if (printButton) printButton.addEventListener("click", () => window.print());
  if (!article) return;

  const pane = article.closest(".article-pane");
  const back = document.querySelector("[data-back-to-item]");
  const stepStatus = document.querySelector("[data-step-status]");
  const items = Array.from(document.querySelectorAll(".digest-lists .item.selectable"));
  const layers = Array.from(document.querySelectorAll("[data-layer]"));
  const byItem = (kind, id) => `[data-kind="${CSS.escape(kind)}"][data-item="${CSS.escape(id)}"]`;
  const entriesFor = (kind, id) =>
    document.querySelectorAll(`[data-select-kind="${CSS.escape(kind)}"][data-select-item="${CSS.escape(id)}"]`);
  const marksFor = (kind, id) => article.querySelectorAll(`mark${byItem(kind, id)}`);
  const layerOn = (kind) => !article.classList.contains(`off-${kind}`);
  const nameOf = (entry) => entry.dataset.selectName || "the item";
  let backTo = null;

  // ------------------------------------------------------------------ layers
  function showLayer(kind, on) {
    article.classList.toggle(`off-${kind}`, !on);
    article.querySelectorAll(`mark[data-kind="${CSS.escape(kind)}"]`).forEach((mark) => {
      mark.tabIndex = on ? 0 : -1;
    });
  }
  layers.forEach((box) => {
    showLayer(box.dataset.layer, box.checked);
    box.addEventListener("change", () => showLayer(box.dataset.layer, box.checked));
  });

  // ------------------------------------------------------------------ selection
  function clear() {
    article.querySelectorAll("mark.is-active").forEach((mark) => {
      mark.classList.remove("is-active");
      mark.removeAttribute("aria-current");
    });
    document.querySelectorAll(".selectable.is-selected").forEach((entry) => entry.classList.remove("is-selected"));
    document.querySelectorAll("[data-select][aria-pressed=true]").forEach((b) => b.setAttribute("aria-pressed", "false"));
    hideBack();
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
    const entry = entries.find((e) => e.classList.contains("item")) || entries[0];
    const name = entry ? nameOf(entry) : kind;
    const places = new Set(marks.map((m) => m.dataset.start)).size;
    status.textContent = places
      ? `${name}: ${places} place${places > 1 ? "s" : ""} highlighted in the article`
      : `${name} is not highlighted in the article`;
    const position = items.indexOf(entry);
    if (stepStatus && position >= 0) stepStatus.textContent = `Item ${position + 1} of ${items.length}`;
    return { marks, entry };
  }

  function scrollPaneTo(mark) {
    const paneBox = pane.getBoundingClientRect();
    const markBox = mark.getBoundingClientRect();
    pane.scrollTo({ top: pane.scrollTop + markBox.top - paneBox.top - pane.clientHeight / 2, behavior: motion });
  }

  function fromList(entry) {
    const { marks } = emphasise(entry.dataset.selectKind, entry.dataset.selectItem);
    if (!marks.length) return;
    marks[0].scrollIntoView({ block: "center", inline: "nearest", behavior: motion });
    if (narrow.matches) showBack(entry);
  }

  function fromArticle(mark) {
    const { entry } = emphasise(mark.dataset.kind, mark.dataset.item);
    if (!entry) return;
    entry.scrollIntoView({ block: "center", behavior: motion });
    const button = entry.querySelector("[data-select]");
    if (button) button.focus({ preventScroll: true });
  }

  // The innermost highlight of a layer that is on: a click on a switched-off actor inside a quote is the quote's.
  function visibleMark(target) {
    for (let mark = target.closest("mark[data-item]"); mark && article.contains(mark); mark = mark.parentElement.closest("mark[data-item]")) {
      if (layerOn(mark.dataset.kind) || mark.classList.contains("is-active")) return mark;
    }
    return null;
  }

  // ------------------------------------------------------------------ back to the item (phones)
  function showBack(entry) {
    if (!back) return;
    backTo = entry;
    back.querySelector("[data-back-name]").textContent = nameOf(entry);
    back.hidden = false;
  }

  function hideBack() {
    if (back) back.hidden = true;
  }

  if (back) {
    back.addEventListener("click", (event) => {
      event.preventDefault();
      event.stopPropagation();
      if (!backTo) return;
      backTo.scrollIntoView({ block: "center", behavior: motion });
      const button = backTo.querySelector("[data-select]");
      if (button) button.focus({ preventScroll: true });
      hideBack();
    });
  }

  // ------------------------------------------------------------------ stepping
  function step(by) {
    if (!items.length) return;
    const current = items.findIndex((entry) => entry.classList.contains("is-selected"));
    const next = current < 0 ? (by > 0 ? 0 : items.length - 1) : (current + by + items.length) % items.length;
    const entry = items[next];
    const { marks } = emphasise(entry.dataset.selectKind, entry.dataset.selectItem);
    entry.scrollIntoView({ block: "center", behavior: motion });
    if (marks.length && !narrow.matches) scrollPaneTo(marks[0]);
  }

  document.querySelectorAll("[data-step]").forEach((button) =>
    button.addEventListener("click", (event) => {
      event.stopPropagation();
      step(Number(button.dataset.step));
    }),
  );

  // ------------------------------------------------------------------ events
  document.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (!target || target.closest("a, input, label, textarea, .feedback")) return;
    if (article.contains(target)) {
      const mark = visibleMark(target);
      if (mark) fromArticle(mark);
      return;
    }
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
    const typing = event.target instanceof Element && event.target.closest("input, textarea, select, [contenteditable]");
    if (event.key === "Escape") {
      clear();
      status.textContent = "Selection cleared";
    } else if (!typing && !event.altKey && !event.ctrlKey && !event.metaKey && (event.key === "j" || event.key === "k")) {
      event.preventDefault();
      step(event.key === "j" ? 1 : -1);
    }
  });
})();
