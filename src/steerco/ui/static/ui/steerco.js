// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";

  // "Copy" buttons copy the text of the element named by data-copy-target.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (!button || !navigator.clipboard) {
      return;
    }
    var source = document.getElementById(button.getAttribute("data-copy-target"));
    if (!source) {
      return;
    }
    navigator.clipboard.writeText(source.textContent.trim()).then(function () {
      var status = document.getElementById(button.getAttribute("data-copy-status"));
      if (status) {
        status.textContent = button.getAttribute("data-copied-text") || "Copied.";
      }
    });
  });

  // In-place cell editors (logs/_field_editor.html): Enter on a select saves, as Enter in a
  // text box already does, and Escape anywhere in the editor cancels. Done here rather than
  // with htmx trigger filters such as keyup[key=='Escape'], which htmx evaluates as code and
  // the Content-Security-Policy (no eval) forbids.
  function cellEditor(event) {
    return event.target.closest ? event.target.closest("form.inline-editor") : null;
  }

  document.addEventListener("keydown", function (event) {
    var form = cellEditor(event);
    if (form && event.key === "Enter" && event.target.tagName === "SELECT") {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  document.addEventListener("keyup", function (event) {
    var form = cellEditor(event);
    var cancel = form && event.key === "Escape" && form.querySelector("[data-editor-cancel]");
    if (cancel) {
      cancel.click();
    }
  });

  // Copy buttons are useless without the clipboard API, so they start hidden.
  document.addEventListener("DOMContentLoaded", function () {
    if (!navigator.clipboard) {
      return;
    }
    document.querySelectorAll("[data-copy-target][hidden]").forEach(function (button) {
      button.hidden = false;
    });
  });
})();
