// Keyboard help for the plan grid; the grid works without it (Enter submits, buttons act).
(function () {
  "use strict";

  function rowOf(element) {
    return element.closest("tr");
  }

  // The toolbar's delete names the version of the row it acts on, so the server refuses
  // it if someone saved that task after this page showed it.
  function sendVersionOf(radio) {
    var field = document.getElementById("row-actions-version");
    if (field) {
      field.value = radio.getAttribute("data-version") || "";
    }
  }

  function cellsOfRow(row) {
    return row ? Array.prototype.slice.call(row.querySelectorAll("input.cell")) : [];
  }

  function nextRow(row, step) {
    var next = step > 0 ? row.nextElementSibling : row.previousElementSibling;
    while (next && !next.querySelector("input.cell")) {
      next = step > 0 ? next.nextElementSibling : next.previousElementSibling;
    }
    return next;
  }

  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.classList.contains("cell")) {
      return;
    }
    if (event.key === "Escape") {
      // Undo this row's typing: back to the saved values the row was drawn with.
      cellsOfRow(rowOf(input)).forEach(function (cell) {
        cell.value = cell.hasAttribute("data-saved")
          ? cell.getAttribute("data-saved")
          : cell.defaultValue;
      });
      event.preventDefault();
      return;
    }
    if ((event.key === "ArrowDown" || event.key === "ArrowUp") && !event.altKey) {
      var target = nextRow(rowOf(input), event.key === "ArrowDown" ? 1 : -1);
      var column = input.getAttribute("data-col");
      var cell = target && target.querySelector('input.cell[data-col="' + column + '"]');
      if (cell) {
        event.preventDefault();
        cell.focus();
        cell.select();
      }
    }
  });

  // Focusing a row's cell selects that row, so the toolbar acts on the row being edited.
  document.addEventListener("focusin", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.classList.contains("cell")) {
      return;
    }
    var row = rowOf(input);
    var radio = row && row.querySelector('input[type="radio"][form="row-actions"]');
    if (radio && !radio.checked) {
      radio.checked = true;
      sendVersionOf(radio);
      var grid = row.closest("tbody");
      grid.querySelectorAll("tr.is-selected").forEach(function (other) {
        other.classList.remove("is-selected");
      });
      row.classList.add("is-selected");
    }
  });

  document.addEventListener("change", function (event) {
    var radio = event.target;
    if (radio instanceof HTMLInputElement && radio.type === "radio" && radio.form && radio.form.id === "row-actions") {
      sendVersionOf(radio);
      var row = rowOf(radio);
      row.closest("tbody").querySelectorAll("tr.is-selected").forEach(function (other) {
        other.classList.remove("is-selected");
      });
      row.classList.add("is-selected");
    }
  });
})();
