// Enhancements for people who may move actions on the board; the board works without them.
//
// 1. Each card's "Blocked by" box is needed only for a move to Blocked, so it is folded
//    away (by boards.css, once this file marks the page enhanced) until Blocked is chosen,
//    then shown, made required and given the focus.
// 2. A card can be dragged by its title to another column, as a shortcut for its move
//    form: a drop fills in that card's own form and submits it, so dragging and the
//    keyboard use one route and show the same messages.
//
// This file is loaded before the board, without defer, so the board is first drawn with
// the boxes already folded. Listeners sit on the document, so they keep working after
// htmx replaces the board.
(function () {
  "use strict";

  document.documentElement.classList.add("board-enhanced");

  var STATUS = ".board-card__move select[name=status]";
  // Keys that step a closed list from one status to the next without opening it.
  var STEPPING_KEYS = ["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End",
    "PageUp", "PageDown"];
  var steppedAt = 0;

  // Shows or folds a card's "Blocked by" box to match its status list; says whether it is
  // now shown.
  function sync(select) {
    var form = select.form;
    var reason = form && form.querySelector("input[name=blocked_by]");
    if (!reason) return false;
    var blocking = select.value === "blocked";
    form.classList.toggle("is-blocking", blocking);
    reason.required = blocking;
    return blocking;
  }

  function syncAll() {
    document.querySelectorAll(STATUS).forEach(sync);
  }

  document.addEventListener("keydown", function (event) {
    if (event.target.matches && event.target.matches(STATUS) &&
        STEPPING_KEYS.indexOf(event.key) !== -1) {
      steppedAt = Date.now();
    }
  });

  document.addEventListener("change", function (event) {
    if (!event.target.matches || !event.target.matches(STATUS)) return;
    // Someone stepping through the closed list with the arrow keys is only passing
    // Blocked on the way; taking the focus would stop them. The box comes next in the
    // tab order, so they reach it with Tab.
    var stepping = Date.now() - steppedAt < 500;
    if (sync(event.target) && !stepping) {
      event.target.form.querySelector("input[name=blocked_by]").focus();
    }
  });

  // Browsers restore a list's choice on Back, and htmx brings in new cards.
  document.addEventListener("DOMContentLoaded", syncAll);
  window.addEventListener("pageshow", syncAll);
  document.addEventListener("htmx:load", syncAll);

  // ---------------------------------------------------------------- drag and drop

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
    var select = card.querySelector(STATUS);
    if (!select) return;
    select.value = column.dataset.status;
    if (select.value !== column.dataset.status) return;
    var blocking = sync(select);
    var blockedBy = select.form.querySelector("input[name=blocked_by]");
    if (blocking && !blockedBy.value.trim()) {
      // Blocking needs a reason: ask for it rather than send a move that will be refused.
      blockedBy.focus();
      return;
    }
    select.form.requestSubmit();
  });
})();
