"""The Gantt chart SVG: geometry read back from the parsed XML, no database, no Django.

Plans are scheduled by the real engine on the standard calendar (Monday–Friday 08:00–12:00,
13:00–17:00). The week used throughout starts Monday 2024-05-06. At day zoom one calendar day
is 24 px, so a task from Monday 08:00 to Wednesday 17:00 fills exactly three day columns.
"""

from __future__ import annotations

import datetime as dt
import itertools
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from defusedxml.ElementTree import fromstring

from steerco.engine.scheduling import Link, LinkType, Plan, Task, schedule_plan
from steerco.plans.gantt import (
    PX_PER_DAY,
    GanttError,
    GanttOptions,
    gantt_stylesheet,
    render_gantt,
    render_gantt_parts,
)

SVG = "{http://www.w3.org/2000/svg}"
DAY = 480
MON = dt.date(2024, 5, 6)


# ------------------------------------------------------------------------------ builders
def on(offset: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """``offset`` calendar days after Monday 2024-05-06, at hour:minute."""
    return dt.datetime.combine(MON + dt.timedelta(days=offset), dt.time(hour, minute))


def task(uid: int, days: float, name: str | None = None, **fields) -> Task:
    return Task(uid=uid, name=name or f"T{uid}", duration_minutes=round(days * DAY), **fields)


def make_plan(tasks, links=(), **fields) -> Plan:
    return Plan(tasks=list(tasks), links=list(links), start=on(0, 8), **fields)


class Chart:
    """A rendered chart parsed back, with the geometry helpers the tests need."""

    def __init__(self, plan: Plan, **options) -> None:
        options.setdefault("zoom", "day")
        self.plan = plan
        self.schedule = schedule_plan(plan)
        self.options = GanttOptions(**options)
        self.text = render_gantt(plan, self.schedule, options=self.options)
        self.root = fromstring(self.text)  # also refuses any DTD or entity declaration
        self.ppd = float(self.root.get("data-px-per-day"))
        self.x0 = float(self.root.get("data-x0"))
        self.origin = dt.date.fromisoformat(self.root.get("data-origin"))

    def day_left(self, day: dt.date) -> float:
        """x of the left edge of ``day``'s column."""
        return self.x0 + (day - self.origin).days * self.ppd

    def all(self, tag: str, cls: str | None = None) -> list[ET.Element]:
        found = self.root.iter(SVG + tag)
        return [e for e in found if cls is None or cls in e.get("class", "").split()]

    def group(self, uid: int) -> ET.Element:
        (found,) = [g for g in self.all("g", "task") if g.get("data-uid") == str(uid)]
        return found

    def shape(self, uid: int, tag: str, cls: str) -> ET.Element:
        (found,) = [e for e in self.group(uid).iter(SVG + tag) if cls in e.get("class").split()]
        return found

    def bar(self, uid: int) -> tuple[float, float]:
        """(x, width) of a leaf bar."""
        rect = self.shape(uid, "rect", "bar")
        return float(rect.get("x")), float(rect.get("width"))

    def link(self, pred: int, succ: int) -> list[tuple[float, float]]:
        (line,) = [
            e
            for e in self.all("polyline", "link")
            if e.get("data-from") == str(pred) and e.get("data-to") == str(succ)
        ]
        return [tuple(float(v) for v in p.split(",")) for p in line.get("points").split()]


def diamond(polygon: ET.Element) -> list[tuple[float, float]]:
    return [tuple(float(v) for v in p.split(",")) for p in polygon.get("points").split()]


# ------------------------------------------------------------------------------ the document
def test_output_is_a_standalone_svg_image_with_title_and_description():
    chart = Chart(make_plan([task(1, 2, "Design")], name="Office move"))

    assert chart.root.tag == SVG + "svg"
    assert chart.root.get("role") == "img"
    title_id, desc_id = chart.root.get("aria-labelledby").split()
    assert chart.root.find(f"{SVG}title").get("id") == title_id
    assert chart.root.find(f"{SVG}title").text == "Gantt chart: Office move"
    desc = chart.root.find(f"{SVG}desc")
    assert desc.get("id") == desc_id and "1 task from 6 May 2024 to 7 May 2024" in desc.text
    width, height = float(chart.root.get("width")), float(chart.root.get("height"))
    assert chart.root.get("viewBox") == f"0 0 {chart.root.get('width')} {chart.root.get('height')}"
    assert width > chart.options.label_width and height > chart.options.row_height


def test_inline_style_has_print_rules_and_no_external_references():
    chart = Chart(make_plan([task(1, 2)]))

    style = chart.root.find(f"{SVG}style").text
    assert "@media print" in style and ".bar" in style
    assert "http" not in chart.text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "<script" not in chart.text


def test_same_input_gives_the_identical_string():
    def build() -> Plan:
        return make_plan(
            [task(1, 2), task(2, 1.5), task(3, 0, milestone=True)],
            [Link(1, 2), Link(2, 3, LinkType.FF)],
        )

    options = {
        "zoom": "week",
        "today": MON,
        "baseline": {1: (MON, MON + dt.timedelta(days=1))},
    }
    assert Chart(build(), **options).text == Chart(build(), **options).text


def test_module_imports_no_django():
    """The chart is plain Python so it renders (and is tested) without settings or a database."""
    code = "import sys, steerco.plans.gantt; print(sorted(m for m in sys.modules if 'django' in m))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"


def test_the_standalone_chart_carries_the_pages_stylesheet():
    """One stylesheet for the page (plans/gantt.css, linked) and the standalone chart."""
    from pathlib import Path

    import steerco.plans

    css = Path(steerco.plans.__file__).with_name("static") / "plans" / "gantt.css"
    chart = Chart(make_plan([task(1, 2)]))
    style = chart.root.find(f"{SVG}style").text
    assert style == gantt_stylesheet()
    for rule in (".gantt .bar{", ".gantt line.today{", "@media print{"):
        assert rule in style and rule in css.read_text()


# ------------------------------------------------------------------------------ the split view
def split_plan() -> Plan:
    tasks = [
        Task(uid=1, name="Phase", summary=True),
        task(2, 2, parent_uid=1, outline_level=2),
        task(3, 3, parent_uid=1, outline_level=2),
        task(4, 0, milestone=True),
    ]
    return make_plan(tasks, [Link(2, 3), Link(3, 4)])


def parts_of(plan: Plan, **options):
    options.setdefault("zoom", "day")
    parts = render_gantt_parts(plan, schedule_plan(plan), options=GanttOptions(**options))
    return parts, fromstring(parts.header), fromstring(parts.body)


def test_parts_are_a_date_scale_and_rows_sharing_one_x_scale():
    """The page's split view: the scale for a frozen header, the rows under it, no labels."""
    parts, header, body = parts_of(split_plan(), row_height=28, tier_height=20, today=on(2).date())

    assert header.get("height") == "40" and parts.header_height == 40
    assert body.get("height") == str(4 * 28) and parts.body_height == 4 * 28
    assert header.get("width") == body.get("width") == f"{parts.width:g}"
    for name in ("data-origin", "data-px-per-day", "data-x0", "data-zoom"):
        assert header.get(name) == body.get(name)
    assert dt.date.fromisoformat(body.get("data-origin")) == parts.origin == MON
    # The grid beside the chart names the rows: no label column, no labels.
    assert parts.x0 == float(body.get("data-x0")) < 40
    assert body.findall(f".//{SVG}text") == []
    # Day labels in the scale; bars, arrows and the today line in the rows.
    assert [t.text for t in header.iter(f"{SVG}text") if t.get("data-date") == "2024-05-08"]
    assert len([g for g in body.iter(f"{SVG}g") if "task" in g.get("class", "").split()]) == 4
    assert len([p for p in body.iter(f"{SVG}polyline")]) == 2
    (today,) = [line for line in body.iter(f"{SVG}line") if line.get("class") == "today"]
    assert float(today.get("x1")) == parts.x0 + 2 * parts.px_per_day
    assert today.get("y1") == "0" and today.get("y2") == str(4 * 28)


def test_parts_rows_start_at_the_top_one_row_height_apart():
    _parts, _header, body = parts_of(split_plan(), row_height=30)

    tops = []
    for group in body.iter(f"{SVG}g"):
        if "task" in group.get("class", "").split() and group.get("data-kind") == "leaf":
            (bar,) = [r for r in group.iter(f"{SVG}rect") if "bar" in r.get("class").split()]
            tops.append(float(bar.get("y")))
    # Rows 2 and 3 (index 1 and 2): the bar sits at the same place inside each row.
    assert tops[1] - tops[0] == 30 and 30 < tops[0] < 60


def test_parts_have_no_inline_style_for_the_content_security_policy():
    parts, _header, _body = parts_of(split_plan(), today=on(1).date())

    for svg in (parts.header, parts.body):
        assert "<style" not in svg and "style=" not in svg


def test_parts_keep_collapsed_rows_out():
    parts, _header, body = parts_of(split_plan(), visible_uids={1, 4}, row_height=24)

    uids = [g.get("data-uid") for g in body.iter(f"{SVG}g") if g.get("data-uid")]
    assert uids == ["1", "4"] and parts.body_height == 48


# ------------------------------------------------------------------------------ bars
def test_leaf_bar_fills_the_columns_of_its_inclusive_working_days():
    chart = Chart(make_plan([task(1, 3)]))  # Monday 08:00 to Wednesday 17:00

    x, width = chart.bar(1)
    assert x == pytest.approx(chart.day_left(MON))
    assert width == pytest.approx(3 * 24)


def test_bar_position_follows_its_scheduled_start_after_a_weekend():
    chart = Chart(make_plan([task(1, 4), task(2, 2)], [Link(1, 2)]))  # 2 runs Fri to Mon

    x, width = chart.bar(2)
    assert chart.schedule.tasks[2].start == on(4, 8)
    assert x == pytest.approx(chart.day_left(on(4).date()))
    assert width == pytest.approx(4 * 24)  # Friday, the weekend and Monday


def test_half_day_task_fills_half_its_day_column():
    chart = Chart(make_plan([task(1, 0.5), task(2, 0.5)], [Link(1, 2)]))

    first, second = chart.bar(1), chart.bar(2)
    assert first == pytest.approx((chart.day_left(MON), 12))
    assert second == pytest.approx((chart.day_left(MON) + 12, 12))  # 13:00 after lunch = midday


@pytest.mark.parametrize("zoom", ["day", "week", "month"])
def test_zoom_sets_the_pixels_per_day(zoom):
    chart = Chart(make_plan([task(1, 5), task(2, 5)], [Link(1, 2)]), zoom=zoom)

    assert chart.ppd == PX_PER_DAY[zoom]
    x1, w1 = chart.bar(1)
    x2, _ = chart.bar(2)
    assert w1 == pytest.approx(5 * PX_PER_DAY[zoom])  # Monday to Friday
    assert x2 - x1 == pytest.approx(7 * PX_PER_DAY[zoom])  # the next Monday


def test_changing_zoom_rescales_the_whole_time_axis():
    plan_days = [task(1, 10)]
    day = Chart(make_plan(plan_days), zoom="day")
    week = Chart(make_plan(plan_days), zoom="week")

    assert day.bar(1)[1] / week.bar(1)[1] == pytest.approx(24 / 8)


def test_percent_complete_is_a_darker_inner_portion_of_the_bar():
    chart = Chart(make_plan([task(1, 4, percent_complete=25)]))

    x, width = chart.bar(1)
    progress = chart.shape(1, "rect", "progress")
    assert float(progress.get("x")) == pytest.approx(x)
    assert float(progress.get("width")) == pytest.approx(width / 4)
    bar = chart.shape(1, "rect", "bar")
    assert float(progress.get("height")) < float(bar.get("height"))
    assert bar.get("rx") is not None  # rounded corners


def test_no_progress_rect_for_an_unstarted_task():
    chart = Chart(make_plan([task(1, 4)]))

    assert chart.all("rect", "progress") == []


def test_milestone_is_a_diamond_at_its_date():
    """The milestone after a task finishing Wednesday 17:00 sits at the end of Wednesday."""
    chart = Chart(make_plan([task(1, 3), task(2, 0, "Go live", milestone=True)], [Link(1, 2)]))

    top, right, bottom, left = diamond(chart.shape(2, "polygon", "milestone"))
    end_of_wednesday = chart.day_left(on(2).date()) + 24
    assert top[0] == bottom[0] == pytest.approx(end_of_wednesday)
    assert left[1] == right[1] == pytest.approx((top[1] + bottom[1]) / 2)
    assert right[0] - top[0] == pytest.approx(top[0] - left[0])
    assert right[0] > top[0]
    assert chart.group(2).get("data-kind") == "milestone"
    assert chart.all("rect", "bar") == [chart.shape(1, "rect", "bar")]


def test_summary_is_a_bracket_spanning_its_children():
    tasks = [
        Task(uid=1, name="Phase", summary=True),
        task(2, 2, parent_uid=1, outline_level=2),
        task(3, 3, parent_uid=1, outline_level=2),
    ]
    chart = Chart(make_plan(tasks, [Link(2, 3)]))

    path = chart.shape(1, "path", "summary-bar")
    numbers = [
        float(v) for part in path.get("d").replace(",", " ").split() if (v := part.lstrip("MHVLZ"))
    ]
    xs = [v for v in numbers if v >= chart.x0]  # every x lies on the time axis
    assert min(xs) == pytest.approx(chart.day_left(MON))
    assert max(xs) == pytest.approx(chart.day_left(MON) + 5 * 24)  # to Friday evening
    assert chart.group(1).get("data-kind") == "summary"


# ------------------------------------------------------------------------------ links
EDGES = {  # link type: (leaves the predecessor's right edge?, enters the successor's left edge?)
    "FS": (True, True),
    "SS": (False, True),
    "FF": (True, False),
    "SF": (False, False),
}


@pytest.mark.parametrize("kind", ["FS", "SS", "FF", "SF"])
def test_each_link_type_draws_an_arrow_between_the_edges_it_names(kind):
    chart = Chart(
        make_plan([task(1, 3), task(2, 2)], [Link(1, 2, LinkType[kind], lag_minutes=DAY)])
    )
    pred_x, pred_w = chart.bar(1)
    succ_x, succ_w = chart.bar(2)
    from_right, into_left = EDGES[kind]

    points = chart.link(1, 2)
    (start_x, start_y), (end_x, end_y) = points[0], points[-1]
    assert start_x == pytest.approx(pred_x + pred_w if from_right else pred_x)
    assert end_x == pytest.approx(succ_x if into_left else succ_x + succ_w)
    assert start_y < end_y  # from the predecessor's row down to the successor's
    # orthogonal: every segment is horizontal or vertical
    for (ax, ay), (bx, by) in itertools.pairwise(points):
        assert ax == pytest.approx(bx) or ay == pytest.approx(by)
    # the last segment is horizontal and runs into the bar from outside it
    before_x, before_y = points[-2]
    assert before_y == pytest.approx(end_y)
    assert (before_x < end_x) if into_left else (before_x > end_x)


def test_each_link_has_exactly_one_arrow_with_an_arrowhead_marker():
    links = [Link(1, 2), Link(1, 3, LinkType.SS), Link(2, 4, LinkType.FF), Link(3, 4)]
    chart = Chart(make_plan([task(1, 2), task(2, 3), task(3, 1), task(4, 2)], links))

    arrows = chart.all("polyline", "link")
    assert len(arrows) == len(links)
    marker_ids = {m.get("id") for m in chart.all("marker")}
    for arrow in arrows:
        assert arrow.get("marker-end")[len("url(#") : -1] in marker_ids
        assert arrow.get("data-type") in {"FS", "SS", "FF", "SF"}


def test_fs_arrow_between_touching_bars_goes_round_to_enter_from_the_left():
    """Wednesday evening to Thursday morning leaves no room for one vertical: the arrow drops
    to the successor row's top edge, runs back, and comes in from the left."""
    chart = Chart(make_plan([task(1, 3), task(2, 2)], [Link(1, 2)]))

    points = chart.link(1, 2)
    assert len(points) == 6
    succ_x, _ = chart.bar(2)
    assert points[-2][0] < succ_x < points[1][0]


def test_link_to_a_milestone_ends_at_the_diamond_tip():
    chart = Chart(make_plan([task(1, 2), task(2, 0, milestone=True)], [Link(1, 2, LinkType.FF)]))

    _, right, _, _ = diamond(chart.shape(2, "polygon", "milestone"))
    assert chart.link(1, 2)[-1] == pytest.approx(right)


# ------------------------------------------------------------------------------ critical path
def test_critical_bars_carry_the_critical_class_and_say_so_in_their_hover_text():
    # 1 → 2 is the critical path; 3 has four days of float
    chart = Chart(make_plan([task(1, 3), task(2, 3), task(3, 2)], [Link(1, 2)]))

    for uid in (1, 2):
        assert "critical" in chart.shape(uid, "rect", "bar").get("class").split()
        assert chart.group(uid).find(f"{SVG}title").text.endswith("; critical")
    assert "critical" not in chart.shape(3, "rect", "bar").get("class").split()
    assert "critical" not in chart.group(3).find(f"{SVG}title").text
    assert "critical" in chart.all("polyline", "link")[0].get("class").split()


def test_critical_is_not_colour_alone_the_style_outlines_it():
    chart = Chart(make_plan([task(1, 3)]))

    style = chart.root.find(f"{SVG}style").text
    rule = next(line for line in style.splitlines() if ".bar.critical" in line)
    assert "stroke:" in rule and "stroke-width" in rule


def test_show_critical_off_draws_no_highlight():
    chart = Chart(make_plan([task(1, 3), task(2, 3)], [Link(1, 2)]), show_critical=False)

    drawn = chart.all("g", "tasks") + chart.all("g", "links")
    assert not [e for g in drawn for e in g.iter() if "critical" in e.get("class", "").split()]
    assert "critical" not in chart.group(1).find(f"{SVG}title").text


def test_hover_text_gives_name_dates_and_float():
    chart = Chart(make_plan([task(1, 3, "Design"), task(2, 1, "Review")]))

    hover = chart.group(2).find(f"{SVG}title").text
    assert hover == "Review; start 6 May 2024 08:00; finish 6 May 2024 17:00; total float 2 d"


# ------------------------------------------------------------------------------ baseline
def test_baseline_bars_are_drawn_under_the_tasks_when_given():
    baseline = {1: (MON, MON + dt.timedelta(days=1)), 2: (on(1, 8), on(3, 17))}
    chart = Chart(make_plan([task(1, 3), task(2, 2)]), baseline=baseline)

    first = chart.shape(1, "rect", "baseline")
    assert float(first.get("x")) == pytest.approx(chart.day_left(MON))
    assert float(first.get("width")) == pytest.approx(2 * 24)  # dates: Monday to Tuesday's end
    second = chart.shape(2, "rect", "baseline")
    assert float(second.get("x")) == pytest.approx(chart.day_left(on(1).date()))
    assert float(second.get("width")) == pytest.approx(3 * 24)
    bar = chart.shape(1, "rect", "bar")
    assert float(first.get("y")) >= float(bar.get("y")) + float(bar.get("height"))
    assert float(first.get("height")) < float(bar.get("height"))


def test_no_baseline_bars_without_a_baseline():
    chart = Chart(make_plan([task(1, 3)]))

    assert chart.all("rect", "baseline") == []


def test_baseline_of_a_milestone_is_a_small_diamond_at_its_date():
    chart = Chart(make_plan([task(1, 0, milestone=True)]), baseline={1: (on(2, 17), on(2, 17))})

    top, _, _, _ = diamond(chart.shape(1, "polygon", "baseline"))
    assert top[0] == pytest.approx(chart.day_left(on(2).date()) + 24)


# ------------------------------------------------------------------------------ time scale
def test_day_zoom_header_labels_months_and_days_with_ticks():
    chart = Chart(make_plan([task(1, 5)]))

    upper, lower = chart.all("g", "scale")
    assert (upper.get("data-unit"), lower.get("data-unit")) == ("month", "day")
    assert "May 2024" in [t.text for t in upper.iter(SVG + "text")]
    days = {t.get("data-date"): t for t in lower.iter(SVG + "text")}
    monday = days["2024-05-06"]
    assert monday.text == "6"
    assert float(monday.get("x")) == pytest.approx(chart.day_left(MON) + 12)  # centred
    ticks = [float(t.get("x1")) for t in lower.iter(SVG + "line")]
    assert chart.day_left(MON) in ticks


def test_week_and_month_zoom_headers_label_their_periods():
    week = Chart(make_plan([task(1, 5)]), zoom="week")
    month = Chart(make_plan([task(1, 5)]), zoom="month")

    _, week_lower = week.all("g", "scale")
    assert week_lower.get("data-unit") == "week"
    assert "6 May" in [t.text for t in week_lower.iter(SVG + "text")]
    month_upper, month_lower = month.all("g", "scale")
    assert (month_upper.get("data-unit"), month_lower.get("data-unit")) == ("year", "month")
    assert [t.text for t in month_lower.iter(SVG + "text")] == ["May"]
    assert [t.text for t in month_upper.iter(SVG + "text")] == ["2024"]


def test_weekends_are_shaded_at_day_zoom_only():
    plan_tasks = [task(1, 5)]
    day = Chart(make_plan(plan_tasks))
    week = Chart(make_plan(plan_tasks), zoom="week")

    (weekend,) = day.all("rect", "nonworking")  # the chart is the week of 6 May
    assert float(weekend.get("x")) == pytest.approx(day.day_left(on(5).date()))
    assert float(weekend.get("width")) == pytest.approx(2 * 24)
    assert week.all("rect", "nonworking") == []


def test_today_and_status_date_lines_are_drawn_and_labelled_at_their_x():
    chart = Chart(
        make_plan([task(1, 10)]),
        today=on(3).date(),  # Thursday: the line at the start of the day
        status_date=on(1, 17),  # Tuesday evening: the end of Tuesday's column
    )

    (today,) = chart.all("line", "today")
    (status,) = chart.all("line", "status")
    assert (
        float(today.get("x1"))
        == float(today.get("x2"))
        == pytest.approx(chart.day_left(on(3).date()))
    )
    assert float(status.get("x1")) == pytest.approx(chart.day_left(on(1).date()) + 24)
    labels = [t.text for t in chart.all("text", "today") + chart.all("text", "status")]
    assert labels == ["Today 9 May 2024", "Status date 7 May 2024 17:00"]


def test_status_date_defaults_to_the_plans():
    chart = Chart(make_plan([task(1, 10)], status_date=on(2, 12)))

    (status,) = chart.all("line", "status")
    assert float(status.get("x1")) == pytest.approx(chart.day_left(on(2).date()) + 12)


def test_lines_outside_the_chart_are_left_out():
    chart = Chart(make_plan([task(1, 2)]), today=dt.date(2030, 1, 1))

    assert chart.all("line", "today") == []


# ------------------------------------------------------------------------------ rows and labels
def test_rows_follow_plan_order_and_labels_indent_by_outline_level():
    tasks = [
        Task(uid=10, name="Phase", summary=True),
        task(3, 1, "Second level", parent_uid=10, outline_level=2),
        task(1, 1, "Top level"),
    ]
    chart = Chart(make_plan(tasks))

    labels = chart.all("text", "label")
    assert [t.text for t in labels] == ["Phase", "Second level", "Top level"]
    ys = [float(t.get("y")) for t in labels]
    assert ys[1] - ys[0] == ys[2] - ys[1] == chart.options.row_height
    xs = [float(t.get("x")) for t in labels]
    assert xs[1] > xs[0] == xs[2]
    assert "summary" in labels[0].get("class").split()


def test_visible_uids_hide_collapsed_rows_and_their_arrows():
    tasks = [
        Task(uid=1, name="Phase", summary=True),
        task(2, 2, parent_uid=1, outline_level=2),
        task(3, 2, parent_uid=1, outline_level=2),
        task(4, 1),
    ]
    links = [Link(2, 3), Link(3, 4), Link(1, 4, LinkType.SS)]
    chart = Chart(make_plan(tasks, links), visible_uids={1, 4})

    assert [t.text for t in chart.all("text", "label")] == ["Phase", "T4"]
    assert [g.get("data-uid") for g in chart.all("g", "task")] == ["1", "4"]
    (arrow,) = chart.all("polyline", "link")
    assert (arrow.get("data-from"), arrow.get("data-to")) == ("1", "4")


def test_empty_plan_renders_a_valid_chart():
    chart = Chart(make_plan([]))

    assert chart.all("g", "task") == []
    assert chart.root.find(f"{SVG}desc").text == "The plan has no tasks to show."


# ------------------------------------------------------------------------------ escaping
def test_names_are_escaped_not_interpreted():
    name = '<script>alert("x")</script> R&D > "plan"'
    chart = Chart(make_plan([task(1, 2, name)], name="A & B <c>"))

    assert "<script" not in chart.text
    assert not list(chart.root.iter(SVG + "script"))
    assert [t.text for t in chart.all("text", "label")] == [name]
    assert chart.group(1).find(f"{SVG}title").text.startswith(name)
    assert chart.root.find(f"{SVG}title").text == "Gantt chart: A & B <c>"


def test_control_characters_in_names_are_dropped_to_keep_the_xml_valid():
    chart = Chart(make_plan([task(1, 2, "Bell\x07 and form\x0cfeed")]))

    assert [t.text for t in chart.all("text", "label")] == ["Bell and formfeed"]


# ------------------------------------------------------------------------------ options
def test_id_prefix_keeps_ids_unique_for_two_charts_on_a_page():
    chart = Chart(make_plan([task(1, 2), task(2, 1)], [Link(1, 2)]), id_prefix="g2")

    ids = [e.get("id") for e in chart.root.iter() if e.get("id")]
    assert ids and all(i.startswith("g2-") for i in ids)
    assert chart.all("polyline", "link")[0].get("marker-end").startswith("url(#g2-")


@pytest.mark.parametrize(
    "options",
    [
        {"zoom": "year"},
        {"row_height": 4},
        {"id_prefix": '" onload="x'},
        {"label_width": -1},
        {"tier_height": 6},
    ],
)
def test_unusable_options_are_refused_with_a_message(options):
    plan = make_plan([task(1, 1)])

    with pytest.raises(GanttError):
        render_gantt(plan, schedule_plan(plan), options=GanttOptions(**options))
