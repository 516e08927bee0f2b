// The decree editor: "Hapus" on a list item takes it out of the form at once and offers "Urungkan" in its
// place; the removal is stored with the next Simpan (or any other button of the form). Without JavaScript the
// button posts the form and the server removes the item (editing.apply_op).
(function () {
  var form = document.querySelector("form[data-undo-label]");
  if (!form) { return; }

  function fields(item) {
    return item.querySelectorAll("textarea, select, input");
  }

  function removeItem(item) {
    var kept = [];
    fields(item).forEach(function (field) {
      kept.push([field, field.value]);
      // an emptied item is a removed item (the server drops it) and keeps the others' positions, so that
      // Naik/Turun on another item still names the right one
      if (field.tagName === "TEXTAREA") { field.value = ""; }
    });
    item.hidden = true;
    item.classList.add("d-none");  // the item is a d-flex row, which outweighs [hidden]
    var note = document.createElement(item.tagName === "LI" ? "li" : "div");
    note.className = "alert alert-secondary py-1 px-2 mb-2 small d-flex gap-2 align-items-center";
    note.setAttribute("data-testid", "removed-item");
    note.setAttribute("role", "status");
    var words = document.createElement("span");
    words.textContent = form.getAttribute("data-removed-label").replace("{text}", preview_of(kept));
    var undo = document.createElement("button");
    undo.type = "button";
    undo.className = "btn btn-sm btn-link p-0";
    undo.setAttribute("data-testid", "undo-remove");
    undo.textContent = form.getAttribute("data-undo-label");
    undo.addEventListener("click", function () {
      kept.forEach(function (pair) { pair[0].value = pair[1]; });
      item.hidden = false;
      item.classList.remove("d-none");
      note.remove();
      var first = item.querySelector("textarea");
      if (first) { first.focus(); }
      changed(first);
    });
    note.appendChild(words);
    note.appendChild(undo);
    item.after(note);
    undo.focus();
    changed(item.querySelector("textarea"));
  }

  function preview_of(kept) {
    for (var i = 0; i < kept.length; i += 1) {
      if (kept[i][0].tagName === "TEXTAREA" && kept[i][1].trim()) {
        var words = kept[i][1].trim().replace(/\s+/g, " ");
        return words.length > 70 ? words.slice(0, 70) + "…" : words;
      }
    }
    return "";
  }

  // tells the unsaved-changes guard (app.js) that the form now differs from what is stored
  function changed(field) {
    if (field) { field.dispatchEvent(new Event("input", { bubbles: true })); }
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-undoable]");
    if (!button) { return; }
    var item = button.closest("[data-item]");
    if (!item) { return; }
    event.preventDefault();
    removeItem(item);
  });
}());
