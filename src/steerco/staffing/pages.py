"""What the capacity pages show, worked out from the engine's tables: rows of cells with
their load band, and a person's load as bars of a server-drawn chart."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.utils.html import escape
from django.utils.safestring import mark_safe

from steerco.engine.capacity import LoadBand, LoadTable

#: CSS modifier of each load band; the cell also shows the percentage as text, so colour
#: is never the only signal.
BAND_CLASS = {
    LoadBand.UNDER_50: "under",
    LoadBand.FROM_50_TO_80: "mid",
    LoadBand.FROM_80_TO_100: "high",
    LoadBand.OVER_100: "over",
    None: "none",
}
BAND_LEGEND = (
    ("under", LoadBand.UNDER_50.value),
    ("mid", LoadBand.FROM_50_TO_80.value),
    ("high", LoadBand.FROM_80_TO_100.value),
    ("over", LoadBand.OVER_100.value),
)


@dataclass(frozen=True)
class Cell:
    css: str
    text: str
    title: str
    url: str


@dataclass(frozen=True)
class Row:
    key: object
    label: str
    link: str | None
    cells: list[Cell]
    peak: float

    @property
    def cells_html(self) -> str:
        """The row's cells as HTML. Written here rather than in the template: a year of
        weeks for a hundred people is 5,200 cells, and the template engine's per-node
        cost would be most of the page's time. Every value is escaped."""
        return mark_safe(  # built from escaped values only
            "".join(
                f'<td class="load--{cell.css}"><a href="{escape(cell.url)}" '
                f'hx-get="{escape(cell.url)}" hx-target="#cell-detail" '
                f'title="{escape(cell.title)}">{escape(cell.text)}</a></td>'
                for cell in self.cells
            )
        )


def percent_text(capacity: float, demand: float) -> str:
    if capacity <= 0:
        return "—" if demand <= 0 else "∞"
    return f"{demand / capacity * 100:.0f}%"


def heatmap_rows(
    table: LoadTable,
    *,
    keys: list,
    labels: dict,
    links: dict,
    cell_url: str,
    query: dict,
) -> list[Row]:
    """Rows for ``keys`` (in that order), each cell linking to what lies behind it."""
    index = {key: k for k, key in enumerate(table.keys)}
    bands = table.bands
    rows = []
    starts = [p.start.isoformat() for p in table.periods]
    base = urlencode(query)
    for key in keys:
        k = index.get(key)
        if k is None:
            continue
        capacity = table.capacity[k]
        demand = table.demand[k]
        cells = []
        peak = 0.0
        for p, start in enumerate(starts):
            c, d = float(capacity[p]), float(demand[p])
            if c > 0:
                peak = max(peak, d / c)
            elif d > 0:
                peak = float("inf")
            cells.append(
                Cell(
                    css=BAND_CLASS[bands[k, p]],
                    text=percent_text(c, d),
                    title=f"{d:.1f} h of {c:.1f} h",
                    url=f"{cell_url}?{base}&{urlencode({'key': key, 'period': start})}",
                )
            )
        rows.append(Row(key, labels.get(key, str(key) or "—"), links.get(key), cells, peak))
    return rows


@dataclass(frozen=True)
class Bar:
    x: float
    width: float
    capacity_y: float
    demand_y: float
    demand_height: float
    label: str
    over: bool
    title: str


def load_chart(table: LoadTable, key, *, width: int = 720, height: int = 180) -> dict:
    """Bars of demand against a capacity mark for one row of ``table``, in SVG units."""
    k = list(table.keys).index(key)
    capacity = [float(v) for v in table.capacity[k]]
    demand = [float(v) for v in table.demand[k]]
    top = max([*capacity, *demand, 1.0]) * 1.1
    count = len(capacity)
    slot = width / max(count, 1)
    bars = []
    for p, period in enumerate(table.periods):
        d_h = demand[p] / top * height
        bars.append(
            Bar(
                x=p * slot + slot * 0.15,
                width=slot * 0.7,
                capacity_y=height - capacity[p] / top * height,
                demand_y=height - d_h,
                demand_height=d_h,
                label=period.label,
                over=demand[p] > capacity[p] + 1e-9,
                title=f"{period.label}: {demand[p]:.1f} h booked, {capacity[p]:.1f} h available",
            )
        )
    return {"bars": bars, "width": width, "height": height, "top": round(top, 1)}


def first_day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        return None
