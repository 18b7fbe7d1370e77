// The admin's autocomplete boxes (select2) name their combobox by the current choice alone,
// which is empty until one is made: add the field's label, so screen readers can name it.
// Queued on the admin's jQuery after its own start-up, so the boxes exist by then.
(function () {
  "use strict";

  function nameBoxes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var label = document.querySelector('label[for="' + select.id + '"]');
      var container = select.nextElementSibling;
      if (!label || !container) {
        return;
      }
      label.id = label.id || select.id + "-label";
      container.querySelectorAll("[role=combobox], [role=textbox]").forEach(function (box) {
        var named = box.getAttribute("aria-labelledby") || "";
        if (named.split(" ").indexOf(label.id) === -1) {
          box.setAttribute("aria-labelledby", (label.id + " " + named).trim());
        }
      });
    });
  }

  if (window.django && window.django.jQuery) {
    window.django.jQuery(nameBoxes);
  }
})();
