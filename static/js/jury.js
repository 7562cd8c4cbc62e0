// Jury pages, progressive enhancement only (the server says the same after a save): a live counter under each
// required justification ("15 of at least 50 characters") and a live weighted total of the points.
(function () {
  "use strict";
  var form = document.querySelector("form.scorecard");
  if (!form) {
    return;
  }
  var lang = document.documentElement.lang || undefined;
  var min = parseInt(form.getAttribute("data-min-length") || "0", 10);
  var counterText = form.getAttribute(min === 1 ? "data-counter-one" : "data-counter-many") || "{now}";
  form.querySelectorAll("[data-counted] textarea").forEach(function (area) {
    var counter = document.createElement("div");
    counter.className = "form-text justification-counter";
    counter.id = area.id + "_counter";
    area.insertAdjacentElement("afterend", counter);
    var described = area.getAttribute("aria-describedby");
    area.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
    var update = function () {
      // Characters as the server counts them (Python's len: code points), not UTF-16 units: an emoji is one.
      var length = Array.from(area.value.trim()).length;
      counter.textContent = counterText.replace("{now}", String(length));
      counter.classList.toggle("text-success", length >= min);
    };
    area.addEventListener("input", update);
    update();
  });

  var output = document.getElementById("weighted-total");
  var totalText = output && output.querySelector("strong");
  var points = form.querySelectorAll("input[name^='points_']");
  if (totalText && points.length) {
    var format = function (value) {
      // As the server's floatformat:"-2" writes it: no decimals for a whole number, else two; no grouping.
      var decimals = Number.isInteger(value) ? 0 : 2;
      return value.toLocaleString(lang, {
        minimumFractionDigits: decimals,
        maximumFractionDigits: decimals,
        useGrouping: false,
      });
    };
    // The points the server would take from what is typed, or null where it would refuse them: the same pattern
    // (data-points-pattern, from jury.services.scoring.POINTS_PATTERN) against the whole text, then 0 to the maximum.
    var accepted = function (input) {
      var pattern = new RegExp("^(?:" + input.getAttribute("data-points-pattern") + ")$");
      var match = pattern.exec(input.value);
      if (!match) {
        return null;
      }
      var value = parseInt(match[1], 10) || 0; // "-0" is 0
      var max = parseInt(input.getAttribute("data-max") || "0", 10);
      return value >= 0 && value <= max ? value : null;
    };
    var recount = function () {
      var total = 0;
      points.forEach(function (input) {
        var weight = parseFloat(input.getAttribute("data-weight") || "1");
        var value = accepted(input);
        if (value !== null) {
          total += value * weight;
        }
      });
      totalText.textContent = format(Math.round(total * 100) / 100);
    };
    points.forEach(function (input) {
      input.addEventListener("input", recount);
    });
    recount();
  }

  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
})();
