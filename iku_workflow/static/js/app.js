// Small behaviours without inline scripts (the CSP forbids them).
document.addEventListener("submit", function (event) {
  var button = event.submitter;
  var message = button && button.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
    return;
  }
  // Guard against double submission of state-changing forms.
  if (event.target.method === "post" && button && !event.defaultPrevented) {
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
    if (event.target === dirty) { dirty = null; }
  }, true);
  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = dirty.getAttribute("data-warn-unsaved");
      return event.returnValue;
    }
  });
}());
