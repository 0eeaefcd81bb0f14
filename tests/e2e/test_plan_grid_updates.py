"""The plan grid in the browser after issue 9's partial updates and filters (ADR 18): a
duration edit replaces only the rows it moved, a bad duration marks its cell and changes
nothing else, collapsing a summary, filtering to critical tasks with the grid and the
chart showing the same rows, the filter kept in the address, and screenshots at desktop
and phone widths.

The plan: four phases of six tasks from three weeks ago, a finish-to-start chain in each;
phase k's tasks last k days, so phase 4 is the critical one and the others have float.
"""

from __future__ import annotations

import datetime as dt

import pytest

from .browsing import chain_within_phases, open_plan

pytestmark = pytest.mark.e2e

PHASES = 4
PER_PHASE = 6
DAY = 480


@pytest.fixture
def phased_plan(org):
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
    for phase in range(1, PHASES + 1):
        base = (phase - 1) * (PER_PHASE + 1)
        rows.append(
            Task(
                project=project,
                uid=base + 1,
                position=base + 1,
                outline_level=1,
                wbs=str(phase),
                name=f"Phase {phase}",
            )
        )
        for step in range(1, PER_PHASE + 1):
            rows.append(
                Task(
                    project=project,
                    uid=base + step + 1,
                    position=base + step + 1,
                    outline_level=2,
                    wbs=f"{phase}.{step}",
                    name=f"Task {phase}.{step}",
                    duration_minutes=phase * DAY,
                )
            )
    Task.objects.bulk_create(rows)
    chain_within_phases(project)
    return project


# Functions, not bare expressions: the page's Content-Security-Policy refuses eval.
MARK_ELEMENTS = """() => {
  document.querySelectorAll("#plan-grid .grid-body .grid-row, #plan-chart g.task")
    .forEach(element => { element.steercoKept = true; });
}"""

REPLACED = """() => ({
  rows: [...document.querySelectorAll("#plan-grid .grid-body .grid-row")]
    .filter(row => !row.steercoKept).map(row => row.querySelector(".col-id").textContent.trim()),
  bars: [...document.querySelectorAll("#plan-chart g.task")]
    .filter(bar => !bar.steercoKept).map(bar => bar.dataset.uid),
  links: document.querySelectorAll("#plan-chart g.links polyline").length,
})"""

SHOWN = """() => ({
  rows: [...document.querySelectorAll("#plan-grid .grid-body .grid-row")]
    .map(row => row.querySelector(".col-id").textContent.trim()),
  bars: [...document.querySelectorAll("#plan-chart g.task")].map(bar => bar.dataset.uid),
})"""


def type_into(cell, text: str) -> None:
    cell.click()
    cell.press("Control+a")
    cell.type(text)
    cell.press("Enter")


def test_a_duration_edit_replaces_only_the_rows_it_moved(page, live_server, org, phased_plan):
    from playwright.sync_api import expect

    open_plan(page, live_server, org, phased_plan)
    page.evaluate(MARK_ELEMENTS)
    links_before = page.evaluate(REPLACED)["links"]
    # Row 4 is task 1.3 of phase 1 (1 day each): two days moves 1.4 to 1.6, changes the
    # float of 1.1 and 1.2 and phase 1's finish; phases 2 to 4 stay as they are.
    type_into(page.get_by_label("Duration, row 4", exact=True), "2d")
    expect(page.locator("#plan-status-line")).to_contain_text("saved")

    replaced = page.evaluate(REPLACED)
    assert sorted(replaced["rows"], key=int) == ["1", "2", "3", "4", "5", "6", "7"]
    assert sorted(replaced["bars"], key=int) == ["1", "2", "3", "4", "5", "6", "7"]
    assert replaced["links"] == links_before  # the arrows redrawn, none doubled
    expect(page.get_by_label("Duration, row 4", exact=True)).to_have_value("2 d")
    # Still one table of rows: row i beside bar i, and the keyboard where it was.
    shown = page.evaluate(SHOWN)
    assert len(shown["rows"]) == len(shown["bars"]) == PHASES * (PER_PHASE + 1)
    expect(page.get_by_label("Duration, row 4", exact=True)).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Duration, row 5", exact=True)).to_be_focused()
    # A second save in a row that was swapped in works as the first did.
    type_into(page.get_by_label("Duration, row 5", exact=True), "3d")
    expect(page.locator("#plan-status-line")).to_contain_text("Task 1.4")
    expect(page.get_by_label("Duration, row 5", exact=True)).to_have_value("3 d")


def test_a_bad_duration_marks_its_cell_and_nothing_else_changes(
    page, live_server, org, phased_plan
):
    from playwright.sync_api import expect

    open_plan(page, live_server, org, phased_plan)
    page.evaluate(MARK_ELEMENTS)
    type_into(page.get_by_label("Duration, row 3", exact=True), "three days")

    duration = page.get_by_label("Duration, row 3", exact=True)
    expect(duration).to_have_attribute("aria-invalid", "true")
    expect(duration).to_have_value("three days")
    expect(page.get_by_label("Name, row 3", exact=True)).not_to_have_attribute(
        "aria-invalid", "true"
    )
    expect(page.get_by_role("alert")).to_contain_text("is not a duration")
    status = page.locator("#plan-status-line")
    expect(status).to_contain_text("was not saved")
    assert status.evaluate("element => getComputedStyle(element).color") == "rgb(166, 27, 27)"
    replaced = page.evaluate(REPLACED)
    assert replaced["rows"] == ["3"] and replaced["bars"] == []


def test_collapsing_a_summary_after_a_save_hides_its_rows_on_both_sides(
    page, live_server, org, phased_plan
):
    from playwright.sync_api import expect

    open_plan(page, live_server, org, phased_plan)
    type_into(page.get_by_label("Duration, row 2", exact=True), "2d")
    expect(page.locator("#plan-status-line")).to_contain_text("saved")
    page.get_by_role("button", name="Hide the subtasks of Phase 2").click()
    expect(page.get_by_role("button", name="Show the subtasks of Phase 2")).to_be_visible()
    shown = page.evaluate(SHOWN)
    assert "9" not in shown["rows"] and "8" in shown["rows"]
    assert len(shown["rows"]) == len(shown["bars"]) == PHASES * (PER_PHASE + 1) - PER_PHASE


def test_filter_to_critical_tasks_shows_the_same_rows_in_grid_and_chart(
    page, live_server, org, phased_plan
):
    from playwright.sync_api import expect

    open_plan(page, live_server, org, phased_plan)
    page.get_by_label("Show", exact=True).select_option("critical")
    page.wait_for_url("**show=critical**")
    expect(page.locator("#plan-grid .grid-body .grid-row")).to_have_count(PER_PHASE + 1)
    shown = page.evaluate(SHOWN)
    # Phase 4 and its tasks (rows 22 to 28, uids the same here), in the chart alike.
    assert shown["rows"] == [str(n) for n in range(22, 29)]
    assert shown["bars"] == shown["rows"]
    expect(page.locator("#plan-summary")).to_contain_text("The filter hides 21 tasks.")

    # The address keeps the filter: a reload shows the same rows.
    page.reload()
    page.wait_for_selector("#plan-page[data-ready]")
    expect(page.get_by_label("Show", exact=True)).to_have_value("critical")
    expect(page.locator("#plan-grid .grid-body .grid-row")).to_have_count(PER_PHASE + 1)

    # Text search on top, then everything again.
    page.get_by_label("Find", exact=True).fill("4.2")
    expect(page.locator("#plan-grid .grid-body .grid-row")).to_have_count(2)
    page.get_by_role("link", name="Show all tasks").first.click()
    expect(page.locator("#plan-grid .grid-body .grid-row")).to_have_count(PHASES * (PER_PHASE + 1))


def test_the_slipped_columns_replace_start_and_finish(page, live_server, org, phased_plan):
    from playwright.sync_api import expect

    open_plan(page, live_server, org, phased_plan)
    page.get_by_label("Columns", exact=True).select_option("slipped")
    expect(page.get_by_role("columnheader", name="Baseline finish")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Start", exact=True)).to_have_count(0)
    shown = page.evaluate(SHOWN)
    assert len(shown["rows"]) == len(shown["bars"]) == PHASES * (PER_PHASE + 1)


def test_the_skip_link_still_jumps_past_a_filtered_grid(page, live_server, org, phased_plan):
    from playwright.sync_api import expect

    open_plan(page, live_server, org, phased_plan, "?show=critical")
    skip = page.get_by_role("link", name="Skip past the plan grid")
    skip.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#plan-after")).to_be_focused()


@pytest.mark.parametrize(("width", "height"), [(1440, 900), (390, 844)])
def test_screenshots_of_the_filtered_plan(
    page, live_server, org, phased_plan, artifacts, width, height
):
    page.set_viewport_size({"width": width, "height": height})
    open_plan(page, live_server, org, phased_plan)
    page.screenshot(
        path=artifacts / f"plan-grid-{width}.png", caret="initial", full_page=width < 600
    )
    page.get_by_label("Show", exact=True).select_option("critical")
    page.wait_for_url("**show=critical**")
    page.screenshot(
        path=artifacts / f"plan-grid-critical-{width}.png", caret="initial", full_page=width < 600
    )
    page.get_by_label("Columns", exact=True).select_option("slipped")
    page.wait_for_url("**columns=slipped**")
    page.screenshot(
        path=artifacts / f"plan-grid-slipped-{width}.png", caret="initial", full_page=width < 600
    )
    # Nothing sticks out sideways at this width but the panes that scroll on purpose.
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0


def test_one_row_stays_picked_and_the_toolbar_acts_on_it(page, live_server, org, phased_plan):
    """The rows' radios belong to no form (ADR 18): picking one, by its radio or by
    editing a cell, unchecks the others and the toolbar sends that row."""
    from playwright.sync_api import expect

    from steerco.plans.models import Task

    open_plan(page, live_server, org, phased_plan)
    page.get_by_label("Select row 3: Task 1.2").check()
    page.get_by_label("Select row 5: Task 1.4").check()
    expect(page.locator("#plan-grid input.row-pick:checked")).to_have_count(1)
    expect(page.locator("#plan-grid .grid-row.is-selected input.cell--name")).to_have_value(
        "Task 1.4"
    )
    # A save picks its row; the row picked before is no longer checked.
    type_into(page.get_by_label("Duration, row 4", exact=True), "2d")
    expect(page.get_by_label("Duration, row 4", exact=True)).to_have_value("2 d")
    expect(page.locator("#plan-grid input.row-pick:checked")).to_have_count(1)
    expect(page.get_by_label("Select row 4: Task 1.3")).to_be_checked()
    page.get_by_role("button", name="Move down").click()
    expect(page.get_by_label("Name, row 5", exact=True)).to_have_value("Task 1.3")
    assert Task.objects.get(project=phased_plan, name="Task 1.3").position == 5
