// Small behaviours without inline scripts (the CSP forbids them).
document.addEventListener("submit", function (event) {
  var button = event.submitter;
  var message = button && button.getAttribute("data-confirm");
  // A batch button says how many it acts on ("Setujui 60 data?"); a return needs its note first.
  var counted = button && button.getAttribute("data-confirm-count");
  if (counted) {
    var form = event.target;
    var note = button.getAttribute("data-needs-note");
    if (note) {
      var field = document.getElementById(note);
      if (field && !field.value.trim()) {
        event.preventDefault();
        field.classList.add("is-invalid");
        field.focus();
        return;
      }
    }
    var n = form.querySelectorAll("input[data-select-one]:checked").length;
    message = counted.replace("{n}", String(n));
  }
  if (message && !window.confirm(message)) {
    event.preventDefault();
    return;
  }
  // Guard against double submission of state-changing forms (not a preview opened in another tab: the page
  // stays, and its button is pressed again after more typing).
  if (event.target.method === "post" && button && !event.defaultPrevented && !button.hasAttribute("data-keeps-page")) {
    window.setTimeout(function () { button.disabled = true; }, 0);
  }
});

// A button that prints the page (the overview's print view).
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("[data-print]");
  if (button) { window.print(); }
});

// A form marked data-warn-unsaved asks before the page is left with changes typed but not saved (the decree
// editor); submitting the form itself is not leaving.
(function () {
  var dirty = null;
  document.addEventListener("input", function (event) {
    var form = event.target.form;
    if (form && form.hasAttribute("data-warn-unsaved")) { dirty = form; }
  });
  document.addEventListener("submit", function (event) {
    // a preview in a new tab ([data-keeps-page]) saves nothing: the page still holds unsaved changes
    var keeps = event.submitter && event.submitter.hasAttribute("data-keeps-page");
    if (event.target === dirty && !keeps) { dirty = null; }
  }, true);
  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = dirty.getAttribute("data-warn-unsaved");
      return event.returnValue;
    }
  });
}());

// "Select all on this page" in a batch form, and the count of what is ticked.
function updateSelected(form) {
  var boxes = form.querySelectorAll("input[data-select-one]");
  var ticked = form.querySelectorAll("input[data-select-one]:checked").length;
  var all = form.querySelector("input[data-select-all]");
  if (all) {
    all.checked = boxes.length > 0 && ticked === boxes.length;
    all.indeterminate = ticked > 0 && ticked < boxes.length;
  }
  form.querySelectorAll("[data-selected-count]").forEach(function (el) { el.textContent = String(ticked); });
}
document.addEventListener("change", function (event) {
  var target = event.target;
  var form = target.closest && target.closest("form[data-batch-form]");
  if (!form) { return; }
  if (target.hasAttribute("data-select-all")) {
    form.querySelectorAll("input[data-select-one]").forEach(function (box) { box.checked = target.checked; });
  }
  updateSelected(form);
});

// A new-password field ([data-minlength-message] with minlength) says at once that it is too short: when it is
// left, while it is corrected, and before its form is sent. The server checks again and keeps its own message.
(function () {
  function tooShort(input) {
    var min = parseInt(input.getAttribute("minlength"), 10) || 0;
    return input.value.length < min;
  }
  function show(input, on) {
    var note = input.parentNode.querySelector("[data-client-message][data-for='" + input.id + "']");
    if (on && !note) {
      note = document.createElement("div");
      note.className = "invalid-feedback d-block";
      note.setAttribute("data-client-message", "");
      note.setAttribute("data-for", input.id);
      note.id = input.id + "-too-short";
      note.textContent = input.getAttribute("data-minlength-message");
      input.after(note);
      input.setAttribute("aria-describedby", note.id);
    } else if (!on && note) {
      note.remove();
      input.removeAttribute("aria-describedby");
    }
    input.classList.toggle("is-invalid", on || input.parentNode.querySelector(".invalid-feedback") !== null);
  }
  document.addEventListener("focusout", function (event) {
    var input = event.target;
    if (input.hasAttribute && input.hasAttribute("data-minlength-message") && input.value.length > 0) {
      show(input, tooShort(input));
    }
  });
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (input.hasAttribute && input.hasAttribute("data-minlength-message") &&
        input.parentNode.querySelector("[data-client-message]")) {
      show(input, tooShort(input));
    }
  });
  // capture: before the double-submit guard above disables the button of a form that is not sent
  document.addEventListener("submit", function (event) {
    var first = null;
    event.target.querySelectorAll("input[data-minlength-message]").forEach(function (input) {
      var short = tooShort(input);
      show(input, short);
      if (short && !first) { first = input; }
    });
    if (first) {
      event.preventDefault();
      event.stopImmediatePropagation();
      first.focus();
    }
  }, true);
}());
