// Drag-and-drop on the action board (a card is dragged by its title), as a shortcut for the "Move to" form on each card:
// a drop fills in that card's own form and submits it, so dragging and the keyboard use
// one route and show the same messages. Listeners sit on the document, so they keep
// working after htmx replaces the board.
(function () {
  "use strict";

  function columnOf(event) {
    return event.target.closest ? event.target.closest(".board__column[data-status]") : null;
  }

  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest("[data-action]");
    if (!card) return;
    event.dataTransfer.setData("text/plain", card.dataset.action);
    event.dataTransfer.effectAllowed = "move";
  });

  function unmark() {
    document.querySelectorAll(".board__column.is-drop-target").forEach(function (column) {
      column.classList.remove("is-drop-target");
    });
  }

  document.addEventListener("dragover", function (event) {
    var column = columnOf(event);
    if (!column) return;
    event.preventDefault();
    if (!column.classList.contains("is-drop-target")) {
      unmark();
      column.classList.add("is-drop-target");
    }
  });

  document.addEventListener("dragend", unmark);

  document.addEventListener("drop", function (event) {
    var column = columnOf(event);
    if (!column) return;
    event.preventDefault();
    unmark();
    var card = document.getElementById("card-" + event.dataTransfer.getData("text/plain"));
    if (!card || card.closest(".board__column") === column) return;
    var form = card.querySelector("form");
    var select = form && form.querySelector("select[name=status]");
    if (!select) return;
    select.value = column.dataset.status;
    if (select.value !== column.dataset.status) return;
    var blockedBy = form.querySelector("input[name=blocked_by]");
    if (column.dataset.status === "blocked" && blockedBy && !blockedBy.value.trim()) {
      // Blocking needs a reason: ask for it rather than send a move that will be refused.
      blockedBy.focus();
      return;
    }
    form.requestSubmit();
  });
})();
