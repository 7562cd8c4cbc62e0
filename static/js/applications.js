// Applications: progressive enhancements only (TERC autocomplete, upload progress, partner kind, error focus).
(function () {
  "use strict";

  // Move focus to the error summary so screen-reader users hear what to fix.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }

  // Prevent a second click on submit buttons; the server also refuses a second submission.
  document.addEventListener("submit", function (event) {
    if (event.defaultPrevented) { return; }
    var button = event.submitter;
    if (button && button.hasAttribute("data-once")) {
      window.setTimeout(function () { button.disabled = true; }, 0);
    }
  });

  // Character counter for fields with a limit (the server checks the limit too).
  document.querySelectorAll("textarea[data-maxlength]").forEach(function (area) {
    var limit = parseInt(area.getAttribute("data-maxlength"), 10);
    var counter = document.createElement("div");
    counter.className = "form-text";
    counter.id = area.id + "_counter";
    counter.setAttribute("aria-live", "polite");
    area.insertAdjacentElement("afterend", counter);
    area.setAttribute("aria-describedby", ((area.getAttribute("aria-describedby") || "") + " " + counter.id).trim());
    function update() {
      var left = limit - area.value.length;
      counter.textContent = area.value.length + " / " + limit;
      counter.classList.toggle("text-danger", left < 0);
    }
    area.addEventListener("input", update);
    update();
  });

  // Partner form: show only the part that fits the chosen kind.
  var kind = document.querySelector("[data-partner-kind]");
  function toggleKind() {
    if (!kind) { return; }
    var isUnit = kind.value === "jst";
    document.querySelectorAll("[data-kind-section]").forEach(function (section) {
      var show = section.getAttribute("data-kind-section") === (isUnit ? "jst" : "other");
      section.hidden = kind.value !== "" && !show;
    });
  }
  if (kind) { kind.addEventListener("change", toggleKind); toggleKind(); }

  // TERC autocomplete, the ARIA combobox pattern: typing a name lists matching units; the up and down arrows move
  // through them (aria-activedescendant keeps the focus in the text box), Enter chooses, Escape closes the list (a
  // second Escape clears the text); the number of matches is announced. Choosing fills the TERC code field, so
  // nobody has to type the seven digits.
  var query = document.querySelector("[data-terc-query]");
  var list = document.getElementById("terc-suggestions");
  var form = document.querySelector("[data-partner-form]");
  var codeField = document.querySelector("[data-terc-code]");
  var statusBox = document.querySelector("[data-terc-status]");
  var timer = null;
  var active = -1;
  function options() { return list ? Array.prototype.slice.call(list.querySelectorAll("[role=option]")) : []; }
  function setOpen(open) {
    list.hidden = !open;
    query.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open) { setActive(-1); }
  }
  function setActive(index) {
    var items = options();
    active = index;
    items.forEach(function (item, i) {
      var on = i === index;
      item.setAttribute("aria-selected", on ? "true" : "false");
      item.classList.toggle("active", on);
      if (on) { item.scrollIntoView({ block: "nearest" }); }
    });
    if (index >= 0 && items[index]) {
      query.setAttribute("aria-activedescendant", items[index].id);
    } else {
      query.removeAttribute("aria-activedescendant");
    }
  }
  // With the combobox working, nobody types the seven digits: the code field is hidden and the chosen unit is
  // named instead. A server error on the code stays visible beside the search field.
  var chosen = document.querySelector("[data-terc-chosen]");
  function showChosen(label, code) {
    if (!chosen) { return; }
    chosen.textContent = code
      ? (chosen.getAttribute("data-chosen") || "") + " " + (label || "TERC") + " (" + code + ")"
      : chosen.getAttribute("data-none") || "";
  }
  if (query && codeField && chosen) {
    var wrapper = document.getElementById("field-" + codeField.name);
    var error = wrapper && wrapper.querySelector(".invalid-feedback");
    if (wrapper) {
      wrapper.hidden = true;
      chosen.hidden = false;
      showChosen(codeField.getAttribute("data-terc-label"), codeField.value);
      if (error) {
        chosen.classList.add("text-danger");
        chosen.id = "terc-chosen";
        chosen.textContent = error.textContent;
        query.setAttribute("aria-invalid", "true");
        query.setAttribute("aria-describedby", (query.getAttribute("aria-describedby") || "") + " terc-chosen");
      }
    }
  }
  function choose(code, label) {
    if (codeField) { codeField.value = code; }
    if (chosen) { chosen.classList.remove("text-danger"); query.removeAttribute("aria-invalid"); showChosen(label, code); }
    query.value = label;
    list.innerHTML = "";
    setOpen(false);
    if (statusBox) { statusBox.textContent = label + " (" + code + ")"; }
  }
  function render(results) {
    list.innerHTML = "";
    results.forEach(function (unit, i) {
      var item = document.createElement("li");
      item.className = "list-group-item list-group-item-action";
      item.id = "terc-option-" + i;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.textContent = unit.label + " (" + unit.code + ")";
      item.dataset.code = unit.code;
      item.dataset.label = unit.label;
      // mousedown, not click: the text box keeps the focus, as the pattern asks.
      item.addEventListener("mousedown", function (event) { event.preventDefault(); });
      item.addEventListener("click", function () { choose(unit.code, unit.label); });
      list.appendChild(item);
    });
    setOpen(results.length > 0);
    if (statusBox) {
      statusBox.textContent = results.length
        ? (list.getAttribute("data-found") || "{n}").replace("{n}", results.length)
        : (query.value.trim().length >= 2 ? list.getAttribute("data-none") || "" : "");
    }
  }
  if (query && list && form && codeField) {
    query.addEventListener("input", function () {
      window.clearTimeout(timer);
      var text = query.value.trim();
      if (text.length < 2) { render([]); return; }
      timer = window.setTimeout(function () {
        fetch(form.getAttribute("data-terc-url") + "?q=" + encodeURIComponent(text), { credentials: "same-origin" })
          .then(function (response) { return response.json(); })
          .then(function (data) { render(data.results || []); })
          .catch(function () { render([]); });
      }, 200);
    });
    query.addEventListener("keydown", function (event) {
      var items = options();
      if (event.key === "ArrowDown" && items.length) {
        event.preventDefault();
        setOpen(true);
        setActive(active + 1 >= items.length ? 0 : active + 1);
      } else if (event.key === "ArrowUp" && items.length) {
        event.preventDefault();
        setOpen(true);
        setActive(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Enter" && !list.hidden && active >= 0 && items[active]) {
        // Enter on a highlighted unit chooses it instead of sending the form.
        event.preventDefault();
        choose(items[active].dataset.code, items[active].dataset.label);
      } else if (event.key === "Escape") {
        if (!list.hidden) { event.preventDefault(); setOpen(false); } else { query.value = ""; }
      }
    });
    query.addEventListener("blur", function () { window.setTimeout(function () { setOpen(false); }, 150); });
  }

  // Upload with a progress bar; without JavaScript the form posts normally.
  document.querySelectorAll("[data-upload-form]").forEach(function (uploadForm) {
    uploadForm.addEventListener("submit", function (event) {
      var input = uploadForm.querySelector("input[type=file]");
      if (!window.FormData || !window.XMLHttpRequest || !input || !input.files.length) { return; }
      event.preventDefault();
      var progress = uploadForm.querySelector("progress");
      var status = uploadForm.querySelector("[data-upload-status]");
      var request = new XMLHttpRequest();
      request.open("POST", uploadForm.action || window.location.href);
      request.setRequestHeader("X-Requested-With", "fetch");
      if (progress) { progress.hidden = false; progress.value = 0; }
      request.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable && progress) {
          progress.value = Math.round((e.loaded / e.total) * 100);
          if (status) { status.textContent = progress.value + "%"; }
        }
      });
      request.addEventListener("load", function () {
        if (request.status === 200 && request.getResponseHeader("Content-Type").indexOf("application/json") === 0) {
          window.location.assign(JSON.parse(request.responseText).redirect);
          return;
        }
        // Errors come back as the full page with the message linked to the field: show it.
        var page = new DOMParser().parseFromString(request.responseText, "text/html");
        var fresh = page.querySelector("main");
        var main = document.querySelector("main");
        if (fresh && main) {
          main.innerHTML = fresh.innerHTML;
          var errors = main.querySelector("[data-error-summary], [data-storage-error]");
          if (errors) { errors.setAttribute("tabindex", "-1"); errors.focus(); }
        } else if (status) {
          status.textContent = uploadForm.getAttribute("data-error") || "";
        }
      });
      request.addEventListener("error", function () {
        if (status) { status.textContent = uploadForm.getAttribute("data-error") || ""; }
        if (progress) { progress.hidden = true; }
      });
      request.send(new FormData(uploadForm));
    });
  });
})();
