// The article form: focus the error summary after a failed submission, say that work is under way,
// and send the article once however often the button is pressed.
(function () {
  "use strict";
  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();
  const form = document.querySelector("[data-digest-form]");
  const busy = document.getElementById("busy");
  if (!form || !busy) return;
  const button = form.querySelector("button[type=submit]");
  let sent = false;
  form.addEventListener("submit", (event) => {
    if (sent) {
      event.preventDefault();
      return;
    }
    sent = true;
    if (button) button.setAttribute("aria-disabled", "true");
    busy.textContent = "Digesting the article… with the LLM this can take a minute.";
  });
  // Coming back to the page (history) makes the form usable again.
  window.addEventListener("pageshow", () => {
    sent = false;
    if (button) button.removeAttribute("aria-disabled");
    busy.textContent = "";
  });
})();
