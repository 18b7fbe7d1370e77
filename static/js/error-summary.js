// A form that came back with mistakes: its error summary takes the focus, so the page shows
// it and a screen reader reads it, and each of its links takes the focus to its field (the
// field's label in view), opening the part of the form it is folded into.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) {
    return;
  }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    var field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!field) {
      return;
    }
    event.preventDefault();
    var folded = field.closest("details");
    if (folded) {
      folded.open = true;
    }
    var fieldset = field.closest("fieldset");
    var label = document.querySelector("label[for='" + field.id + "']");
    var legend = fieldset && fieldset.querySelector("legend");
    (field.type === "radio" && legend ? legend : label || field).scrollIntoView();
    field.focus({ preventScroll: true });
  });
})();
