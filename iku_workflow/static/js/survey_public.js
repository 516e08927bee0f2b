// The public questionnaire: "Apa yang perlu diperbaiki?" shows next to an unsur answered 1 or 2.
// Without this script every such box is simply visible (and read only for an answer of 1 or 2).
(function () {
  "use strict";
  function update(fieldset) {
    var box = fieldset.querySelector(".skm-perbaikan");
    if (!box) { return; }
    var checked = fieldset.querySelector("input[type=radio]:checked");
    var low = checked && (checked.value === "1" || checked.value === "2");
    var typed = box.querySelector("input") && box.querySelector("input").value;
    box.classList.toggle("skm-hidden", !low && !typed);
  }
  document.querySelectorAll("fieldset.skm-unsur").forEach(function (fieldset) {
    update(fieldset);
    fieldset.addEventListener("change", function () { update(fieldset); });
  });
}());
