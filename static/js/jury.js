// Jury pages, progressive enhancement only: a live character count under each justification.
(function () {
  "use strict";
  var form = document.querySelector("form.scorecard");
  if (!form) {
    return;
  }
  var min = parseInt(form.getAttribute("data-min-length") || "0", 10);
  form.querySelectorAll("textarea[name^='justification_']").forEach(function (area) {
    var counter = document.createElement("div");
    counter.className = "form-text";
    counter.setAttribute("aria-live", "polite");
    area.insertAdjacentElement("afterend", counter);
    var update = function () {
      var length = area.value.trim().length;
      counter.textContent = length + (min ? " / " + min : "");
    };
    area.addEventListener("input", update);
    update();
  });
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
})();
