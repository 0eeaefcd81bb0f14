// The plan page's split view and keyboard help. Without this script the page still works:
// Enter saves a row, the buttons act, the chart's controls reload the page, and the grid
// and the chart scroll on their own.
(function () {
  "use strict";

  var SPLIT_MIN = 128; // px: the grid keeps room for its ID column and some of the names
  var CHART_MIN = 96; // px: and the chart some room beside it
  var KEY_STEP = 24;

  function page() {
    return document.getElementById("plan-page");
  }

  function gridPane() {
    return document.getElementById("plan-grid-pane");
  }

  function chartPane() {
    return document.getElementById("plan-chart");
  }

  function announce(text) {
    var status = document.getElementById("plan-status");
    if (status) {
      status.textContent = text;
    }
  }

  // --- the grid's keyboard ------------------------------------------------------------

  function rowOf(element) {
    return element.closest(".grid-row");
  }

  function bodyRows() {
    return Array.prototype.slice.call(document.querySelectorAll("#plan-grid .grid-body .grid-row"));
  }

  // The toolbar acts on the row picked by the radio in its ID column, and its delete names
  // the version of that row, so the server refuses it if someone saved that task after this
  // page showed it. The radios belong to no form and no group (ADR 18: 5,000 radios tied
  // to the toolbar by a form attribute made every row a save replaced cost a walk of the
  // whole page), so picking one unchecks the others here and copies it into the toolbar.
  function pickRow(radio) {
    document.querySelectorAll("#plan-grid input.row-pick:checked").forEach(function (other) {
      if (other !== radio) {
        other.checked = false;
      }
    });
    radio.checked = true;
    var task = document.getElementById("row-actions-task");
    if (task) {
      task.value = radio.value;
    }
    var field = document.getElementById("row-actions-version");
    if (field) {
      field.value = radio.getAttribute("data-version") || "";
    }
    markSelected(rowOf(radio));
  }

  function cellsOfRow(row) {
    return row ? Array.prototype.slice.call(row.querySelectorAll("input.cell")) : [];
  }

  // The next row up or down with an input in ``column``: a summary row has no Duration
  // input, and the arrow keys go past it rather than stop there.
  function nextCell(row, step, column) {
    var selector = 'input.cell[data-col="' + column + '"]';
    var rows = bodyRows();
    for (var at = rows.indexOf(row) + step; at >= 0 && at < rows.length; at += step) {
      var cell = rows[at].querySelector(selector);
      if (cell) {
        return cell;
      }
    }
    return null;
  }

  function markSelected(row) {
    document.querySelectorAll("#plan-grid .grid-row.is-selected").forEach(function (other) {
      other.classList.remove("is-selected");
    });
    row.classList.add("is-selected");
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
      var column = input.getAttribute("data-col");
      var cell = nextCell(rowOf(input), event.key === "ArrowDown" ? 1 : -1, column);
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
    var radio = row && row.querySelector("input.row-pick");
    if (radio && !radio.checked) {
      pickRow(radio);
    }
  });

  document.addEventListener("change", function (event) {
    var radio = event.target;
    if (radio instanceof HTMLInputElement && radio.classList.contains("row-pick") && radio.checked) {
      pickRow(radio);
    }
  });

  // --- the Resources cells' picker ---------------------------------------------------

  // A datalist offers whole values, and a Resources cell holds a list ("Priya[50%], T"):
  // so its options are rewritten as the user types to be what is typed before the last
  // name followed by each directory name that name could be, the people already listed
  // left out. The directory's names are read once from the list the server wrote.
  var MOST_OFFERED = 50;

  function directoryNames(list) {
    if (!list.steercoNames) {
      list.steercoNames = Array.prototype.map.call(list.options, function (option) {
        return option.value;
      });
    }
    return list.steercoNames;
  }

  function listedName(entry) {
    return entry.split("[")[0].trim().toLowerCase();
  }

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || input.getAttribute("data-col") !== "resources") {
      return;
    }
    var list = document.getElementById("resource-names");
    if (!list) {
      return;
    }
    var names = directoryNames(list);
    var value = input.value;
    var cut = value.lastIndexOf(",");
    var rest = value.slice(cut + 1);
    var lead = cut < 0 ? "" : rest ? rest.match(/^\s*/)[0] : " ";
    var before = value.slice(0, cut + 1) + lead;
    var typed = rest.trim().toLowerCase();
    var listed = cut < 0 ? [] : value.slice(0, cut).split(",").map(listedName);
    var offered = names
      .filter(function (name) {
        var folded = name.toLowerCase();
        return folded.indexOf(typed) !== -1 && listed.indexOf(folded) === -1;
      })
      .slice(0, MOST_OFFERED);
    list.replaceChildren.apply(
      list,
      offered.map(function (name) {
        var option = document.createElement("option");
        option.value = before + name;
        return option;
      })
    );
  });

  // --- one vertical scroll for both panes ----------------------------------------------

  // Scroll events do not bubble, but they can be caught on the way down, so this one
  // listener serves every grid and chart the page swaps in. A scroll this script caused
  // arrives a frame later; by then the user may have moved on (arrow keys held down), so
  // that echo is recognised by its position and ignored rather than obeyed.
  var echoes = new WeakMap();

  document.addEventListener(
    "scroll",
    function (event) {
      var grid = gridPane();
      var chart = chartPane();
      if (!grid || !chart) {
        return;
      }
      var source = event.target === grid ? grid : event.target === chart ? chart : null;
      if (!source) {
        return;
      }
      if (echoes.get(source) === source.scrollTop) {
        echoes.delete(source);
        return;
      }
      echoes.delete(source);
      var other = source === grid ? chart : grid;
      if (other.scrollTop !== source.scrollTop) {
        other.scrollTop = source.scrollTop;
        echoes.set(other, other.scrollTop);
      }
    },
    true
  );

  // --- the divider between grid and chart --------------------------------------------

  function splitKey() {
    var holder = page();
    return holder ? holder.getAttribute("data-split-key") : null;
  }

  function splitBounds() {
    var split = document.getElementById("plan-split");
    var width = split ? split.getBoundingClientRect().width : 0;
    return { split: split, min: SPLIT_MIN, max: Math.max(SPLIT_MIN, width - CHART_MIN) };
  }

  function currentSplit() {
    var grid = gridPane();
    return grid ? grid.getBoundingClientRect().width : 0;
  }

  function applySplit(px, remember) {
    var holder = page();
    var bounds = splitBounds();
    if (!holder || !bounds.split) {
      return;
    }
    var width = Math.round(Math.min(Math.max(px, bounds.min), bounds.max));
    // A custom property set through the CSSOM: allowed by the Content-Security-Policy,
    // unlike a style attribute in the markup.
    holder.style.setProperty("--plan-split", width + "px");
    var divider = bounds.split.querySelector(".split-divider");
    if (divider) {
      var share = bounds.max > bounds.min ? (width - bounds.min) / (bounds.max - bounds.min) : 0;
      divider.setAttribute("aria-valuemin", "0");
      divider.setAttribute("aria-valuemax", "100");
      divider.setAttribute("aria-valuenow", String(Math.round(share * 100)));
      divider.setAttribute("aria-valuetext", width + " pixels");
    }
    if (remember && splitKey()) {
      try {
        window.localStorage.setItem(splitKey(), String(width));
      } catch (ignored) {
        // Private browsing may refuse storage; the width then lasts for this page only.
      }
    }
  }

  function rememberedSplit() {
    try {
      var saved = splitKey() && window.localStorage.getItem(splitKey());
      return saved ? parseInt(saved, 10) : NaN;
    } catch (ignored) {
      return NaN;
    }
  }

  document.addEventListener("keydown", function (event) {
    var divider = event.target;
    if (!(divider instanceof HTMLElement) || !divider.classList.contains("split-divider")) {
      return;
    }
    var bounds = splitBounds();
    var step = event.shiftKey ? KEY_STEP * 4 : KEY_STEP;
    var width = currentSplit();
    if (event.key === "ArrowLeft" || event.key === "ArrowDown") {
      width -= step;
    } else if (event.key === "ArrowRight" || event.key === "ArrowUp") {
      width += step;
    } else if (event.key === "Home") {
      width = bounds.min;
    } else if (event.key === "End") {
      width = bounds.max;
    } else {
      return;
    }
    event.preventDefault();
    applySplit(width, true);
  });

  document.addEventListener("pointerdown", function (event) {
    var divider = event.target;
    if (!(divider instanceof HTMLElement) || !divider.classList.contains("split-divider")) {
      return;
    }
    // Where on the divider it was taken: it follows the pointer from there, without a jump.
    var left = divider.parentElement.getBoundingClientRect().left + event.offsetX;
    divider.setPointerCapture(event.pointerId);
    divider.classList.add("is-dragging");
    event.preventDefault();
    function move(moved) {
      applySplit(moved.clientX - left, false);
    }
    function stop() {
      divider.removeEventListener("pointermove", move);
      divider.removeEventListener("pointerup", stop);
      divider.removeEventListener("pointercancel", stop);
      divider.classList.remove("is-dragging");
      applySplit(currentSplit(), true);
    }
    divider.addEventListener("pointermove", move);
    divider.addEventListener("pointerup", stop);
    divider.addEventListener("pointercancel", stop);
  });

  // --- the chart's dates ---------------------------------------------------------------

  // The date scale names its geometry: the left edge of day d is x0 + (d - origin) * ppd.
  function scaleOf(chart) {
    var head = chart && chart.querySelector("svg.gantt-head");
    if (!head) {
      return null;
    }
    return {
      origin: Date.parse(head.getAttribute("data-origin") + "T00:00:00Z"),
      ppd: parseFloat(head.getAttribute("data-px-per-day")),
      x0: parseFloat(head.getAttribute("data-x0")),
      width: parseFloat(head.getAttribute("width")),
    };
  }

  var DAY_MS = 86400000;

  function xOfDate(scale, isoDate) {
    var days = (Date.parse(isoDate + "T00:00:00Z") - scale.origin) / DAY_MS;
    return scale.x0 + days * scale.ppd;
  }

  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element && event.target.closest("[data-scroll-to]");
    var chart = chartPane();
    var scale = scaleOf(chart);
    if (!button || !scale) {
      return;
    }
    var what = button.getAttribute("data-what") || button.textContent;
    var group = button.closest(".chart-jumps");
    function say(kind) {
      announce((group.getAttribute("data-" + kind) || "").replace("{what}", what));
    }
    var x = xOfDate(scale, button.getAttribute("data-scroll-to"));
    var last = scale.width - scale.x0;
    if (x < scale.x0) {
      chart.scrollLeft = 0;
      say("before");
    } else if (x > last) {
      chart.scrollLeft = chart.scrollWidth;
      say("after");
    } else {
      // A third of the way in, so what led up to the date shows beside what follows.
      chart.scrollLeft = Math.max(0, x - chart.clientWidth / 3);
      say("in-view");
    }
  });

  // --- a save's answer: the rows and bars it changed (ADR 18) ------------------------

  // They arrive in one <template id="plan-patch"> that htmx swaps in; each row replaces the
  // element with its id, each bar the bar of its task, in one pass over the chart. The cell
  // being typed in keeps the focus, in the row drawn again.
  document.addEventListener("htmx:oobAfterSwap", function (event) {
    var patch = event.target;
    if (patch instanceof HTMLTemplateElement && patch.id === "plan-patch") {
      applyPatch(patch.content, patch.getAttribute("data-links-gone"));
      patch.content.textContent = "";
    }
  });

  function applyPatch(content, linksGone) {
    var focused = document.activeElement;
    var focusedRow = focused && focused.classList.contains("cell") ? rowOf(focused) : null;
    var refocus = focusedRow ? { row: focusedRow.id, col: focused.getAttribute("data-col") } : null;
    var picked = content.querySelector("input.row-pick:checked");
    Array.prototype.slice.call(content.children).forEach(function (piece) {
      if (piece.id) {
        var old = document.getElementById(piece.id);
        if (old) {
          document.adoptNode(piece);
          old.replaceWith(piece);
          htmx.process(piece);
        }
      }
    });
    // The saved row comes back picked; no radio group unchecks the row picked before.
    if (picked && picked.isConnected) {
      pickRow(picked);
    }
    var shapes = content.querySelector("svg");
    var chart = document.querySelector("#plan-chart svg.gantt-body");
    if (shapes && chart) {
      applyShapes(shapes, chart, linksGone);
    }
    if (refocus) {
      var row = document.getElementById(refocus.row);
      var cell = row && row.querySelector('input.cell[data-col="' + refocus.col + '"]');
      if (cell) {
        cell.focus({ preventScroll: true });
      }
    }
  }

  function applyShapes(shapes, chart, linksGone) {
    var bars = new Map();
    chart.querySelectorAll("g.task[data-uid]").forEach(function (bar) {
      bars.set(bar.getAttribute("data-uid"), bar);
    });
    var links = chart.querySelector("g.links");
    if (linksGone && links) {
      var gone = new Set(linksGone.split(" "));
      Array.prototype.slice.call(links.children).forEach(function (arrow) {
        if (gone.has(arrow.getAttribute("data-from") + ":" + arrow.getAttribute("data-to"))) {
          arrow.remove();
        }
      });
    }
    Array.prototype.slice.call(shapes.children).forEach(function (shape) {
      var old = shape.id
        ? document.getElementById(shape.id)
        : bars.get(shape.getAttribute("data-uid") || "");
      if (shape.hasAttribute("data-new-links")) {
        if (links) {
          Array.prototype.slice.call(shape.children).forEach(function (arrow) {
            links.appendChild(document.adoptNode(arrow));
          });
        }
      } else if (old) {
        old.replaceWith(document.adoptNode(shape));
      }
    });
  }

  // --- keep the view steady when htmx redraws part of the page --------------------------

  var kept = null;

  document.addEventListener("htmx:beforeSwap", function () {
    var grid = gridPane();
    var chart = chartPane();
    var scale = scaleOf(chart);
    kept = {
      top: grid ? grid.scrollTop : chart ? chart.scrollTop : 0,
      gridLeft: grid ? grid.scrollLeft : 0,
      // The day at the chart's left edge, so a change of zoom keeps the same dates in view.
      day: scale ? (chart.scrollLeft - scale.x0) / scale.ppd : null,
    };
  });

  // htmx fires afterSwap once for every element it swapped: a save that moved 200 rows
  // swaps 400 (rows and bars). The page is set up again once, in the next frame, before it
  // is painted: doing it per element measured the whole page's layout 400 times over.
  var settling = false;

  document.addEventListener("htmx:afterSwap", function () {
    if (settling) {
      return;
    }
    settling = true;
    window.requestAnimationFrame(function () {
      settling = false;
      afterSwap();
    });
  });

  function afterSwap() {
    start();
    if (!kept) {
      return;
    }
    var grid = gridPane();
    var chart = chartPane();
    var scale = scaleOf(chart);
    if (grid) {
      grid.scrollTop = kept.top;
      grid.scrollLeft = kept.gridLeft;
    }
    if (chart) {
      chart.scrollTop = kept.top;
      if (scale && kept.day !== null) {
        chart.scrollLeft = Math.max(0, scale.x0 + kept.day * scale.ppd);
      }
    }
    kept = null;
  }

  // --- start ---------------------------------------------------------------------------

  function start() {
    var holder = page();
    if (!holder) {
      return;
    }
    holder.classList.add("js-plan");
    // The grid a toolbar action drew again may show another row picked: the toolbar follows.
    var picked = document.querySelector("#plan-grid input.row-pick:checked");
    if (picked) {
      pickRow(picked);
    }
    // The split view is no taller than its rows (plan.css); set through the CSSOM, which
    // the Content-Security-Policy allows, unlike a style attribute.
    holder.style.setProperty("--plan-rows", String(bodyRows().length));
    document.querySelectorAll("[data-scroll-to], .split-divider").forEach(function (element) {
      element.hidden = false;
    });
    var saved = rememberedSplit();
    applySplit(isNaN(saved) ? currentSplit() : saved, false);
    holder.setAttribute("data-ready", "true");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
