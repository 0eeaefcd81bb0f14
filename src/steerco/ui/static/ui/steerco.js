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
