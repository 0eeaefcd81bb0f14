"""The plan page's split view in the browser: grid and Gantt chart side by side on one
vertical scroll, row i of the grid beside bar i of the chart, collapsing summaries, the
Today button, zoom without a page load, the divider, and a refused duration (issue 9).

The plan: eight phases of seven tasks (64 rows, more than the view shows at once), a
finish-to-start chain through each phase, starting three weeks before today so that the
today line falls inside the chart.
"""

from __future__ import annotations

import datetime as dt

import pytest

from .browsing import chain_within_phases, open_plan

pytestmark = pytest.mark.e2e

PHASES = 8
PER_PHASE = 7
DAY = 480


@pytest.fixture
def big_plan(org):
    from steerco.plans import services
    from steerco.plans.models import Task

    project = org.alpha
    today = dt.date.today()
    monday = today - dt.timedelta(days=today.weekday() + 21)
    settings = services.plan_settings(project)
    services.plan_update(
        actor=org.mary,
        project=project,
        expected_version=settings.version,
        start=dt.datetime.combine(monday, dt.time(8, 0)),
    )
    rows = []
    for phase in range(PHASES):
        base = phase * (PER_PHASE + 1)
        rows.append(
            Task(
                project=project,
                uid=base + 1,
                position=base + 1,
                outline_level=1,
                wbs=str(phase + 1),
                name=f"Phase {phase + 1}",
            )
        )
        for step in range(PER_PHASE):
            rows.append(
                Task(
                    project=project,
                    uid=base + step + 2,
                    position=base + step + 2,
                    outline_level=2,
                    wbs=f"{phase + 1}.{step + 1}",
                    name=f"Task {phase + 1}.{step + 1}",
                    duration_minutes=(2 + step % 3) * DAY,
                )
            )
    Task.objects.bulk_create(rows)
    chain_within_phases(project)
    return project


# Row i's box and the centre of bar i (a leaf's rect, a summary's bracket), for the rows
# inside the visible part of the view.
ALIGNMENT = """() => {
  const grid = document.getElementById("plan-grid-pane");
  const pane = grid.getBoundingClientRect();
  const visibleBottom = pane.top + grid.clientTop + grid.clientHeight;
  const head = document.querySelector("#plan-grid [role=columnheader]").getBoundingClientRect();
  const rows = [...document.querySelectorAll("#plan-grid .grid-body .grid-row")];
  const bars = [...document.querySelectorAll("#plan-chart .gantt-body g.task")];
  const pairs = [];
  rows.forEach((row, i) => {
    const box = row.getBoundingClientRect();
    if (box.top < head.bottom - 0.5 || box.bottom > visibleBottom + 0.5) return;
    const shape = bars[i].querySelector("rect.bar, path.summary-bar, polygon.milestone");
    const bar = shape.getBoundingClientRect();
    pairs.push({i, rowTop: box.top, rowBottom: box.bottom, rowHeight: box.height,
                barMiddle: (bar.top + bar.bottom) / 2, task: row.dataset.task,
                uid: bars[i].dataset.uid});
  });
  return {rows: rows.length, bars: bars.length, pairs};
}"""


def assert_rows_line_up(page) -> list[dict]:
    found = page.evaluate(ALIGNMENT)
    assert found["rows"] == found["bars"]
    assert len(found["pairs"]) >= 10, "the view should show many rows at once"
    for pair in found["pairs"]:
        assert pair["rowHeight"] == 28
        # The bar sits in the middle of its row, to the pixel.
        middle = (pair["rowTop"] + pair["rowBottom"]) / 2
        assert abs(pair["barMiddle"] - middle) <= 1, pair
    return found["pairs"]


GRID = "document.getElementById('plan-grid-pane')"
CHART = "document.getElementById('plan-chart')"
# Functions, not bare expressions: Playwright would evaluate a string, which the page's
# Content-Security-Policy (no 'unsafe-eval') refuses.
SCROLLED_TOGETHER = f"{GRID}.scrollTop === {CHART}.scrollTop"


SETTLED = f"""() => new Promise(resolve => {{
  let last = null, calm = 0;
  function look() {{
    const now = [{GRID}.scrollTop, {CHART}.scrollTop].join();
    calm = now === last ? calm + 1 : 0;
    last = now;
    if (calm >= 5) resolve(now); else requestAnimationFrame(look);
  }}
  look();
}})"""


def settle(page) -> None:
    """Wait until a smooth scroll has ended: the same positions for five frames running."""
    page.evaluate(SETTLED)


def scroll_tops(page) -> tuple[float, float]:
    return page.evaluate(
        "[document.getElementById('plan-grid-pane').scrollTop,"
        " document.getElementById('plan-chart').scrollTop]"
    )


def test_grid_and_chart_scroll_as_one_and_row_i_is_beside_bar_i(page, live_server, org, big_plan):
    open_plan(page, live_server, org, big_plan)
    first = assert_rows_line_up(page)
    assert first[0]["i"] == 0

    # The mouse wheel over the grid scrolls the chart by the same amount.
    page.evaluate("document.getElementById('plan-split').scrollIntoView()")
    box = page.locator("#plan-grid-pane").bounding_box()
    page.mouse.move(box["x"] + 200, box["y"] + 200)
    page.mouse.wheel(0, 700)
    page.wait_for_function(f"() => {SCROLLED_TOGETHER} && {CHART}.scrollTop > 0")
    settle(page)
    grid_top, chart_top = scroll_tops(page)
    assert grid_top == chart_top > 0
    moved = assert_rows_line_up(page)
    assert moved[0]["i"] > 10

    # Both headers stay at the top of the view.
    heads = page.evaluate(
        """() => ['#plan-grid [role=columnheader]', '#plan-chart .chart-head', '#plan-grid-pane']
                 .map(selector => document.querySelector(selector).getBoundingClientRect().top)"""
    )
    assert abs(heads[0] - heads[2]) <= 1 and abs(heads[1] - heads[2]) <= 1

    # And the wheel over the chart scrolls the grid back.
    chart = page.locator("#plan-chart").bounding_box()
    page.mouse.move(chart["x"] + 100, chart["y"] + 200)
    page.mouse.wheel(0, -300)
    page.wait_for_function(f"() => {SCROLLED_TOGETHER} && {GRID}.scrollTop < {grid_top}")
    settle(page)
    assert_rows_line_up(page)


def test_the_last_rows_line_up_at_the_bottom(page, live_server, org, big_plan):
    open_plan(page, live_server, org, big_plan)

    page.evaluate("document.getElementById('plan-chart').scrollTop = 1e6")
    page.wait_for_function(f"() => {SCROLLED_TOGETHER} && {GRID}.scrollTop > 0")
    pairs = assert_rows_line_up(page)
    assert pairs[-1]["i"] == PHASES * (PER_PHASE + 1) - 1


def test_names_stay_in_view_when_the_grid_scrolls_sideways(page, live_server, org, big_plan):
    open_plan(page, live_server, org, big_plan)
    name = page.locator("#plan-grid .grid-body .grid-row").nth(3).locator(".col-name")
    before = name.bounding_box()["x"]

    page.evaluate("document.getElementById('plan-grid-pane').scrollLeft = 500")

    assert page.evaluate("document.getElementById('plan-grid-pane').scrollLeft") > 0
    assert name.bounding_box()["x"] == pytest.approx(before, abs=1)


def test_collapsing_a_summary_hides_its_tasks_on_both_sides_until_expanded(
    page, live_server, org, big_plan
):
    from playwright.sync_api import expect

    open_plan(page, live_server, org, big_plan)
    rows = page.locator("#plan-grid .grid-body .grid-row")
    bars = page.locator("#plan-chart .gantt-body g.task")
    total = PHASES * (PER_PHASE + 1)
    expect(rows).to_have_count(total)

    page.get_by_role("button", name="Hide the subtasks of Phase 2").click()

    expect(rows).to_have_count(total - PER_PHASE)
    expect(bars).to_have_count(total - PER_PHASE)
    expect(page.get_by_label("Name, row 10", exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="Show the subtasks of Phase 2")).to_be_focused()
    assert_rows_line_up(page)

    page.reload()
    page.wait_for_selector("#plan-page[data-ready]")
    expect(rows).to_have_count(total - PER_PHASE)
    expect(bars).to_have_count(total - PER_PHASE)

    page.get_by_role("button", name="Show the subtasks of Phase 2").press("Enter")
    expect(rows).to_have_count(total)
    expect(bars).to_have_count(total)


def test_today_button_brings_the_today_line_into_view(page, live_server, org, big_plan):
    open_plan(page, live_server, org, big_plan, "?zoom=day")
    today_line = page.locator("#plan-chart .gantt-body line.today")
    chart = page.locator("#plan-chart")

    def today_in_view() -> bool:
        line, view = today_line.bounding_box(), chart.bounding_box()
        return view["x"] <= line["x"] <= view["x"] + view["width"]

    page.evaluate("document.getElementById('plan-chart').scrollLeft = 0")
    assert not today_in_view()  # three weeks of days are wider than the view

    page.get_by_role("button", name="Today").click()

    assert page.evaluate("document.getElementById('plan-chart').scrollLeft") > 0
    assert today_in_view()
    assert "Today is in view" in page.locator("#plan-status").text_content()


def test_zoom_changes_without_loading_the_page_and_the_address_keeps_it(
    page, live_server, org, big_plan
):
    from playwright.sync_api import expect

    open_plan(page, live_server, org, big_plan, "?zoom=day")
    page.evaluate("window.stillTheSamePage = true")
    head = page.locator("#plan-chart svg.gantt-head")
    expect(head).to_have_attribute("data-zoom", "day")

    page.get_by_label("Zoom").select_option("month")

    expect(head).to_have_attribute("data-zoom", "month")
    assert page.evaluate("window.stillTheSamePage === true")
    assert "zoom=month" in page.url
    assert_rows_line_up(page)

    page.reload()
    page.wait_for_selector("#plan-page[data-ready]")
    expect(page.locator("#plan-chart svg.gantt-head")).to_have_attribute("data-zoom", "month")
    expect(page.get_by_label("Zoom")).to_have_value("month")


def test_the_divider_moves_with_the_keyboard_and_is_remembered(page, live_server, org, big_plan):
    open_plan(page, live_server, org, big_plan)
    grid = page.locator("#plan-grid-pane")
    before = grid.bounding_box()["width"]

    divider = page.get_by_role("separator", name="Width of the task grid")
    divider.focus()
    for _ in range(3):
        page.keyboard.press("ArrowLeft")

    narrower = grid.bounding_box()["width"]
    assert narrower == pytest.approx(before - 72, abs=2)
    page.reload()
    page.wait_for_selector("#plan-page[data-ready]")
    assert page.locator("#plan-grid-pane").bounding_box()["width"] == pytest.approx(narrower, abs=2)
    assert_rows_line_up(page)

    # And with the mouse.
    handle = page.locator(".split-divider").bounding_box()
    page.mouse.move(handle["x"] + 3, handle["y"] + 100)
    page.mouse.down()
    page.mouse.move(handle["x"] + 103, handle["y"] + 100, steps=4)
    page.mouse.up()
    assert page.locator("#plan-grid-pane").bounding_box()["width"] == pytest.approx(
        narrower + 100, abs=3
    )


def test_a_bad_duration_marks_the_duration_cell_and_says_so_in_red(
    page, live_server, org, big_plan
):
    from playwright.sync_api import expect

    open_plan(page, live_server, org, big_plan)
    duration = page.get_by_label("Duration, row 3", exact=True)
    duration.click()
    duration.press("Control+a")
    duration.type("three days")
    duration.press("Enter")

    duration = page.get_by_label("Duration, row 3", exact=True)
    expect(duration).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Name, row 3", exact=True)).not_to_have_attribute(
        "aria-invalid", "true"
    )
    expect(page.get_by_role("alert")).to_contain_text("is not a duration")
    status = page.locator(".plan-status-line")
    expect(status).to_contain_text("was not saved")
    colour = status.evaluate("element => getComputedStyle(element).color")
    assert colour == "rgb(166, 27, 27)"  # --danger, not the success green
    assert_rows_line_up(page)  # the message is above the grid, not inside it


def test_arrow_keys_move_down_the_grid_and_the_chart_follows(page, live_server, org, big_plan):
    from playwright.sync_api import expect

    open_plan(page, live_server, org, big_plan)
    page.get_by_label("Duration, row 2", exact=True).focus()
    for _ in range(40):
        page.keyboard.press("ArrowDown")

    focused = page.get_by_label("Duration, row 47", exact=True)
    expect(focused).to_be_focused()
    settle(page)
    grid_top, chart_top = scroll_tops(page)
    assert grid_top == chart_top > 0
    row = focused.bounding_box()
    view = page.locator("#plan-grid-pane").bounding_box()
    assert view["y"] + 40 <= row["y"] and row["y"] + row["height"] <= view["y"] + view["height"]
    assert_rows_line_up(page)


def test_the_skip_link_jumps_past_the_grid(page, live_server, org, big_plan):
    from playwright.sync_api import expect

    open_plan(page, live_server, org, big_plan)
    skip = page.get_by_role("link", name="Skip past the plan grid")
    skip.focus()
    expect(skip).to_be_visible()
    skip.press("Enter")
    expect(page.locator("#plan-after")).to_be_focused()
