// Standard answers on the case page: "Insert into my message" puts an answer's text into
// the message being written to the customer, at the cursor. One listener on the document,
// so it keeps working after htmx swaps the case panel (this file may be loaded again then).
(function () {
  if (window.redressAnswers) { return; }
  window.redressAnswers = true;
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-insert-answer]");
    if (!button) { return; }
    var box = document.querySelector("[data-answer-target]") ||
      document.querySelector("#case-panel form.action-message textarea[name=body]");
    if (!box) { return; }
    var text = button.getAttribute("data-insert-answer");
    var start = box.selectionStart || 0, end = box.selectionEnd || 0;
    if (document.activeElement !== box) { start = end = box.value.length; }
    var before = box.value.slice(0, start), after = box.value.slice(end);
    var gap = before && !/\s$/.test(before) ? "\n" : "";
    box.value = before + gap + text + after;
    box.focus();
    var caret = (before + gap + text).length;
    box.setSelectionRange(caret, caret);
    box.scrollIntoView({block: "center"});
  });
})();
