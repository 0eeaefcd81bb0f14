"""The risk heat map and the action board: counts, cells, moves, permissions, bad input."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from steerco.logs import services
from steerco.logs.models import Action


def _risk(org, title, probability, impact, **fields):
    return services.item_create(
        actor=org.priya,
        project=org.alpha,
        kind="risks",
        title=title,
        probability=probability,
        impact=impact,
        **fields,
    )


def _action(org, title, **fields):
    return services.item_create(
        actor=org.priya, project=org.alpha, kind="actions", title=title, **fields
    )


def heat_map_url(org, **query):
    url = reverse("logs:heat_map", args=[org.alpha.pk])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def board_url(org, query=""):
    return reverse("logs:action_board", args=[org.alpha.pk]) + query


def move_url(org, action):
    return reverse("logs:action_move", args=[org.alpha.pk, action.pk])


def cell_html(html: str, probability: int, impact: int) -> str:
    """The table cell of one probability × impact pair, found by its row and column."""
    table = html.split('<table class="heat-map">')[1].split("</table>")[0]
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</th>(.*?)</tr>", table, re.S)
    for label, cells in rows:
        if label.startswith(f"{probability} –"):
            return re.findall(r"<td class=\"heat-cell.*?</td>", cells, re.S)[impact - 1]
    raise AssertionError(f"no row for probability {probability}")


def visible_count(cell: str) -> int:
    return int(re.search(r'class="heat-cell__count">(\d+)<', cell).group(1))


# --------------------------------------------------------------------------- heat map


@pytest.fixture
def risks(org):
    made = {
        "a": _risk(org, "Supplier late", 4, 3),
        "b": _risk(
            org, "Key tester leaves", 4, 3, probability_after=2, impact_after=2, strategy="reduce"
        ),
        "c": _risk(org, "Data migration fails", 5, 5),
        "d": _risk(org, "Minor rework", 1, 2),
        "closed": _risk(org, "Old risk", 4, 3, status="closed"),
    }
    _risk_beta = services.item_create(
        actor=org.priya,
        project=org.beta,
        kind="risks",
        title="Beta only",
        probability=4,
        impact=3,
    )
    made["beta"] = _risk_beta
    return made


def test_heat_map_counts_match_the_open_risks_created(org, client_for, risks):
    html = client_for("priya").get(heat_map_url(org)).content.decode()
    assert visible_count(cell_html(html, 4, 3)) == 2  # closed and BETA's risk not counted
    assert visible_count(cell_html(html, 5, 5)) == 1
    assert visible_count(cell_html(html, 1, 2)) == 1
    assert visible_count(cell_html(html, 3, 3)) == 0
    assert "4 open risks on the map" in html


def test_heat_map_cells_say_their_band_in_words_and_axes_use_scale_labels(org, client_for, risks):
    html = client_for("priya").get(heat_map_url(org)).content.decode()
    assert "High" in cell_html(html, 4, 3)  # 12
    assert "Medium" in cell_html(html, 3, 3)  # 9
    assert "Low" in cell_html(html, 1, 2)  # 2
    assert '<th scope="row">5 – Very high</th>' in html
    assert '<th scope="col">1 – Very low</th>' in html
    # Rows run from the highest probability down.
    rows = re.findall(r'<th scope="row">(\d) –', html)
    assert rows == ["5", "4", "3", "2", "1"]


def test_heat_map_after_response_counts_mitigated_levels_and_unassessed(org, client_for, risks):
    html = client_for("priya").get(heat_map_url(org, basis="after")).content.decode()
    assert visible_count(cell_html(html, 2, 2)) == 1
    assert visible_count(cell_html(html, 4, 3)) == 0
    assert "3 open risks have no assessment after response" in html


def test_non_empty_cells_link_to_their_list_and_empty_ones_do_not(org, client_for, risks):
    html = client_for("priya").get(heat_map_url(org)).content.decode()
    assert "cell=4-3" in cell_html(html, 4, 3)
    assert "<a " not in cell_html(html, 3, 3)


def test_choosing_a_cell_lists_its_risks_linked_to_their_pages(org, client_for, risks):
    response = client_for("priya").get(heat_map_url(org, cell="4-3"))
    html = response.content.decode()
    section = html.split('id="cell-risks"')[1]
    for key in ("a", "b"):
        risk = risks[key]
        assert reverse("logs:item", args=[org.alpha.pk, "risks", risk.pk]) in section
        assert risk.ref in section
    assert "Old risk" not in section
    assert "Beta only" not in section
    assert "Data migration fails" not in section


def test_htmx_cell_choice_returns_only_the_map_and_its_list(org, client_for, risks):
    response = client_for("priya").get(
        heat_map_url(org, cell="5-5"), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="heat-map-body"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="heat-map-body">')
    assert "<html" not in html
    assert risks["c"].ref in html.split('id="cell-risks"')[1]


def test_after_basis_lists_risks_by_their_levels_after_response(org, client_for, risks):
    html = client_for("priya").get(heat_map_url(org, basis="after", cell="2-2")).content.decode()
    section = html.split('id="cell-risks"')[1]
    assert risks["b"].ref in section
    assert risks["a"].ref not in section


@pytest.mark.parametrize(
    "query", [{"basis": "during"}, {"cell": "9-9"}, {"cell": "four-three"}, {"cell": "0-1"}]
)
def test_bad_basis_or_cell_is_a_400_with_a_message(org, client_for, risks, query):
    response = client_for("priya").get(heat_map_url(org, **query))
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_heat_map_is_hidden_from_outsiders_and_readable_by_executives(org, client_for, risks):
    assert client_for("olga").get(heat_map_url(org)).status_code == 404
    response = client_for("erin").get(heat_map_url(org))
    assert response.status_code == 200
    assert "New risk" not in response.content.decode()
    assert client_for("erin").post(heat_map_url(org)).status_code == 405


# --------------------------------------------------------------------------- action board


@pytest.fixture
def actions(org):
    yesterday = date.today() - timedelta(days=1)
    return {
        "late": _action(org, "Chase supplier", owner=org.people["tom"], due_date=yesterday),
        "later": _action(
            org, "Book workshop", owner=org.people["priya"], due_date=date.today() + timedelta(9)
        ),
        "blocked": _action(
            org, "Load test", status="blocked", blocked_by="Test environment not ready"
        ),
        "done": _action(org, "Sign contract", status="done", due_date=yesterday),
        "cancelled": _action(org, "Old idea", status="cancelled"),
    }


def card_html(html: str, action) -> str:
    after = html.split(f'id="card-{action.pk}"')[1]
    return after.split('<li class="board-card')[0].split('class="board__column"')[0]


def column_html(html: str, status: str) -> str:
    return html.split(f'id="column-{status}"')[1].split('class="board__column"')[0]


def test_board_puts_each_action_in_its_status_column(org, client_for, actions):
    html = client_for("priya").get(board_url(org)).content.decode()
    assert "Chase supplier" in column_html(html, "open")
    assert "Book workshop" in column_html(html, "open")
    assert "Load test" in column_html(html, "blocked")
    assert "Sign contract" in column_html(html, "done")
    # Cancelled actions are folded away in a disclosure.
    cancelled = column_html(html, "cancelled")
    assert "Old idea" in cancelled
    assert "<details" in html.split('id="column-cancelled"')[0].rsplit("<section", 1)[1]


def test_overdue_cards_say_so_in_words_and_done_ones_do_not(org, client_for, actions):
    html = client_for("priya").get(board_url(org)).content.decode()
    late = card_html(html, actions["late"])
    done = card_html(html, actions["done"])
    assert "Overdue" in late
    assert "board-card--overdue" in html.split(f'id="card-{actions["late"].pk}"')[0][-200:]
    assert "Overdue" not in done


def test_blocked_cards_show_what_blocks_them(org, client_for, actions):
    html = client_for("priya").get(board_url(org)).content.decode()
    card = card_html(html, actions["blocked"])
    assert "Blocked by:" in card
    assert "Test environment not ready" in card


def test_mine_filter_shows_only_my_actions(org, client_for, actions):
    html = client_for("tom").get(board_url(org, "?owner=mine")).content.decode()
    assert "Chase supplier" in html
    assert "Book workshop" not in html
    by_person = (
        client_for("bob").get(board_url(org, f"?owner={org.people['priya'].pk}")).content.decode()
    )
    assert "Book workshop" in by_person
    assert "Chase supplier" not in by_person


@pytest.mark.parametrize("owner", ["abc", "1;drop"])
def test_bad_owner_filter_is_a_400(org, client_for, actions, owner):
    response = client_for("priya").get(board_url(org, f"?owner={owner}"))
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_team_member_moves_an_action_to_in_progress(org, client_for, actions):
    action = actions["late"]
    response = client_for("tom").post(
        move_url(org, action), {"status": "in_progress", "version": action.version}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "in_progress"
    assert action.version == 2
    html = client_for("tom").get(response["Location"]).content.decode()
    assert "Chase supplier" in column_html(html, "in_progress")


def test_htmx_move_answers_with_the_board_and_a_status_message(org, client_for, actions):
    action = actions["later"]
    response = client_for("priya").post(
        move_url(org, action), {"status": "done", "version": action.version}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="action-board">')
    assert f"{action.ref} moved to Done." in html
    assert "Book workshop" in column_html(html, "done")
    action.refresh_from_db()
    assert action.completed_on == date.today()


def test_moving_to_blocked_needs_what_blocks_it_shown_on_the_card(org, client_for, actions):
    action = actions["later"]
    response = client_for("priya").post(
        move_url(org, action), {"status": "blocked", "version": action.version, "blocked_by": ""}
    )
    assert response.status_code == 422
    html = response.content.decode()
    card = card_html(html, action)
    assert "Describe what blocks the action." in card
    action.refresh_from_db()
    assert action.status == "open"

    response = client_for("priya").post(
        move_url(org, action),
        {"status": "blocked", "version": action.version, "blocked_by": "Waiting for legal"},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.blocked_by) == ("blocked", "Waiting for legal")


def test_htmx_refused_move_keeps_what_was_typed_on_the_card(org, client_for, actions):
    action = actions["later"]
    response = client_for("priya").post(
        move_url(org, action),
        {"status": "blocked", "version": action.version, "blocked_by": "  "},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200  # htmx swaps only successful answers
    card = card_html(html, action)
    assert "Describe what blocks the action." in card
    assert '<option value="blocked" selected>' in card


def test_stale_move_is_refused_with_a_message_on_the_card(org, client_for, actions):
    action = actions["later"]
    read_version = action.version
    services.item_update(
        actor=org.mary, item=action, expected_version=read_version, status="in_progress"
    )
    response = client_for("priya").post(
        move_url(org, action), {"status": "done", "version": read_version}
    )
    assert response.status_code == 409
    html = response.content.decode()
    card = card_html(html, action)
    assert "Mary Moss changed" in card
    assert "it is now In progress" in card
    assert "Your move to Done was not saved" in card
    # The choice is kept, and the form now carries the stored version.
    assert '<option value="done" selected>' in card
    assert f'name="version" value="{read_version + 1}"' in card
    action.refresh_from_db()
    assert action.status == "in_progress"


def test_executive_sees_a_read_only_board_and_cannot_move(org, client_for, actions):
    action = actions["late"]
    html = client_for("erin").get(board_url(org)).content.decode()
    assert "Chase supplier" in html
    assert "action_move" not in html and "/move/" not in html
    response = client_for("erin").post(
        move_url(org, action), {"status": "done", "version": action.version}
    )
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.status == "open"


def test_outsider_gets_404_for_the_board_and_moves(org, client_for, actions):
    action = actions["late"]
    assert client_for("olga").get(board_url(org)).status_code == 404
    response = client_for("olga").post(
        move_url(org, action), {"status": "done", "version": action.version}
    )
    assert response.status_code == 404


def test_team_member_cannot_move_actions_of_a_project_he_is_not_on(org, client_for):
    beta_action = services.item_create(
        actor=org.priya, project=org.beta, kind="actions", title="Beta action"
    )
    url = reverse("logs:action_move", args=[org.beta.pk, beta_action.pk])
    response = client_for("tom").post(url, {"status": "done", "version": 1})
    assert response.status_code == 404


@pytest.mark.parametrize(
    "data", [{"status": "finished", "version": 1}, {"status": "done", "version": "x"}, {}]
)
def test_malformed_move_is_a_400_and_changes_nothing(org, client_for, actions, data):
    action = actions["late"]
    response = client_for("priya").post(move_url(org, action), data)
    assert response.status_code == 400
    action.refresh_from_db()
    assert action.status == "open"


def test_move_of_an_action_of_another_project_is_a_404(org, client_for):
    beta_action = services.item_create(
        actor=org.priya, project=org.beta, kind="actions", title="Beta action"
    )
    url = reverse("logs:action_move", args=[org.alpha.pk, beta_action.pk])
    assert client_for("priya").post(url, {"status": "done", "version": 1}).status_code == 404
    assert Action.objects.get(pk=beta_action.pk).status == "open"


def test_move_is_post_only(org, client_for, actions):
    assert client_for("priya").get(move_url(org, actions["late"])).status_code == 405


def test_move_of_an_action_deleted_meanwhile_says_so(org, client_for, actions, monkeypatch):
    from steerco.core.exceptions import VersionConflict
    from steerco.logs.views import board

    def deleted_meanwhile(**kwargs):
        raise VersionConflict(None, sent_version=kwargs["expected_version"])

    monkeypatch.setattr(board.services, "item_update", deleted_meanwhile)
    action = actions["late"]
    data = {"status": "done", "version": action.version}
    response = client_for("priya").post(move_url(org, action), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f"{action.ref} was deleted by someone else." in response.content.decode()
    client = client_for("priya")
    response = client.post(move_url(org, action), data)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert f"{action.ref} was deleted by someone else." in page


def test_drag_and_drop_is_offered_only_to_those_who_may_move(org, client_for, actions):
    mover = client_for("tom").get(board_url(org)).content.decode()
    assert "logs/board.js" in mover
    assert f'draggable="true" data-action="{actions["late"].pk}"' in mover
    reader = client_for("erin").get(board_url(org)).content.decode()
    assert "logs/board.js" not in reader
    assert "draggable" not in reader


# ------------------------------------------------------------ finished columns, dates, moves


def card_ids(column: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<li class="board-card[^"]*" id="card-(\d+)"', column)]


@pytest.fixture
def many_done(org):
    """Twelve done actions, completed on different days; ties broken by the later number."""
    today = timezone.localdate()
    made = []
    for index in range(12):
        action = _action(org, f"Finished {index}", status="done")
        # Completed one day apart, oldest first, except the last two share a day.
        completed = today - timedelta(days=20 - min(index, 10))
        Action.objects.filter(pk=action.pk).update(completed_on=completed)
        made.append(action)
    return made


def test_done_column_shows_the_ten_latest_completed_and_links_to_all(org, client_for, many_done):
    html = client_for("priya").get(board_url(org)).content.decode()
    done = column_html(html, "done")
    # Newest completion first; the two done on the same day by the later number first.
    expected = [a.pk for a in (many_done[11], many_done[10], *reversed(many_done[2:10]))]
    assert card_ids(done) == expected
    assert "Finished 0<" not in done and "Finished 1<" not in done
    link = re.search(r'<a id="column-done-toggle" href="([^"]+)" hx-get="([^"]+)"[^>]*>', done)
    assert link is not None
    assert link.group(1) == link.group(2) == board_url(org, "?done=all")
    assert 'hx-target="#action-board"' in link.group(0)
    assert "Show all 12 done" in done
    # The heading still counts every done action.
    assert re.search(r"Done\s*<span class=\"badge badge--neutral\">12<", done)


def test_done_all_shows_every_done_action_and_a_way_back(org, client_for, many_done):
    html = client_for("priya").get(board_url(org, "?done=all")).content.decode()
    done = column_html(html, "done")
    assert sorted(card_ids(done)) == sorted(a.pk for a in many_done)
    assert "Show only the latest 10 done" in done
    assert f'href="{board_url(org)}"' in done


def test_done_all_over_htmx_swaps_only_the_board(org, client_for, many_done):
    response = client_for("priya").get(board_url(org, "?done=all"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="action-board">')
    assert len(card_ids(column_html(html, "done"))) == 12


def test_a_column_of_ten_or_fewer_has_no_show_all_link(org, client_for, actions):
    html = client_for("priya").get(board_url(org)).content.decode()
    assert "column-done-toggle" not in html
    assert "Show all" not in html


def test_show_all_keeps_the_owner_filter_and_the_filter_keeps_show_all(org, client_for, many_done):
    tom = org.people["tom"]
    for action in many_done:
        Action.objects.filter(pk=action.pk).update(owner=tom)
    html = client_for("priya").get(board_url(org, f"?owner={tom.pk}")).content.decode()
    assert board_url(org, f"?owner={tom.pk}&amp;done=all") in html
    html = client_for("priya").get(board_url(org, f"?owner={tom.pk}&done=all")).content.decode()
    filter_form = html.split('class="filters board-filter"')[1].split("</form>")[0]
    assert '<input type="hidden" name="done" value="all">' in filter_form


def test_a_move_from_the_full_done_column_comes_back_to_it(org, client_for, many_done):
    action = many_done[0]  # the oldest, shown only with done=all
    html = client_for("priya").get(board_url(org, "?done=all")).content.decode()
    assert '<input type="hidden" name="done" value="all">' in card_html(html, action)
    response = client_for("priya").post(
        move_url(org, action), {"status": "open", "version": action.version, "done": "all"}
    )
    assert response.status_code == 302
    assert response["Location"] == board_url(org, "?done=all")


def test_a_refused_move_keeps_its_card_in_sight_beyond_the_latest_ten(org, client_for, many_done):
    action = many_done[0]
    response = client_for("priya").post(
        move_url(org, action), {"status": "blocked", "version": action.version, "blocked_by": ""}
    )
    assert response.status_code == 422
    card = card_html(response.content.decode(), action)
    assert "Describe what blocks the action." in card


def test_cancelled_column_shows_the_ten_changed_last_with_a_link_to_all(org, client_for):
    made = [_action(org, f"Dropped {index}", status="cancelled") for index in range(11)]
    html = client_for("priya").get(board_url(org)).content.decode()
    cancelled = column_html(html, "cancelled")
    assert card_ids(cancelled) == [a.pk for a in reversed(made[1:])]
    assert "Show all 11 cancelled" in cancelled
    assert board_url(org, "?cancelled=all") in cancelled
    html = client_for("priya").get(board_url(org, "?cancelled=all")).content.decode()
    assert len(card_ids(column_html(html, "cancelled"))) == 11
    # Asked for in full, the folded column opens.
    assert "<details open>" in html.split('id="column-cancelled"')[0].rsplit("<section", 1)[1]


def test_columns_of_work_count_their_overdue_actions_in_words(org, client_for, actions):
    yesterday = timezone.localdate() - timedelta(days=1)
    _action(org, "Late and started", status="in_progress", due_date=yesterday)
    _action(org, "Late as well", due_date=yesterday - timedelta(days=3))
    _action(org, "Late and stuck", status="blocked", blocked_by="Vendor", due_date=yesterday)
    html = client_for("priya").get(board_url(org)).content.decode()

    def heading(status):
        return html.split(f'id="column-{status}"')[1].split("</h3>")[0]

    assert re.search(r'badge--overdue">Overdue 2<', heading("open"))
    assert re.search(r'badge--overdue">Overdue 1<', heading("in_progress"))
    assert re.search(r'badge--overdue">Overdue 1<', heading("blocked"))
    # Done and cancelled actions are never overdue, even with a past due date.
    assert "Overdue" not in heading("done")
    assert "Overdue" not in heading("cancelled")
    # The plain count says what it counts to a screen reader.
    assert '3<span class="visually-hidden"> actions</span>' in heading("open")


def test_column_without_overdue_actions_shows_no_overdue_count(org, client_for):
    _action(org, "On time", due_date=timezone.localdate() + timedelta(days=2))
    html = client_for("priya").get(board_url(org)).content.decode()
    assert "badge--overdue" not in html


def test_cards_say_how_far_off_the_due_date_is(org, client_for, actions):
    today = timezone.localdate()
    soon = _action(org, "Soon", due_date=today + timedelta(days=3))
    now = _action(org, "Now", due_date=today)
    very_late = _action(org, "Very late", status="in_progress", due_date=today - timedelta(5))
    html = client_for("priya").get(board_url(org)).content.decode()
    assert "(due in 3 days)" in card_html(html, soon)
    assert "(due today)" in card_html(html, now)
    assert "(due in 9 days)" in card_html(html, actions["later"])
    late = card_html(html, very_late)
    assert "(5 days overdue)" in late
    assert "Overdue</span>" in late  # the word badge stays
    assert "(1 day overdue)" in card_html(html, actions["late"])
    assert f'<time datetime="{soon.due_date.isoformat()}">' in card_html(html, soon)
    # A finished action is not due any more.
    done = card_html(html, actions["done"])
    assert "overdue)" not in done and "(due" not in done


@pytest.mark.parametrize(
    ("offset", "words"),
    [
        (0, "due today"),
        (1, "due tomorrow"),
        (2, "due in 2 days"),
        (30, "due in 30 days"),
        (-1, "1 day overdue"),
        (-12, "12 days overdue"),
    ],
)
def test_due_wording(offset, words):
    from steerco.logs.views.board import due_wording

    today = date(2026, 11, 25)
    assert due_wording(today + timedelta(days=offset), today) == words


def test_move_controls_are_labelled_and_blocked_by_is_there_without_javascript(
    org, client_for, actions
):
    action = actions["later"]
    html = client_for("priya").get(board_url(org)).content.decode()
    card = card_html(html, action)
    assert (
        f'<label for="move-{action.pk}" class="visually-hidden">Move {action.ref} to</label>'
    ) in card
    assert f'id="move-{action.pk}" name="status"' in card
    # The box is in the page for everyone; board.js folds it until Blocked is chosen.
    assert f'<label for="blocked-{action.pk}">Blocked by' in card
    assert f'id="blocked-{action.pk}" name="blocked_by"' in card
    assert "is-blocking" not in card
    assert f'Move<span class="visually-hidden"> {action.ref}</span></button>' in card
    # A blocked card cannot be moved to Blocked, so it has no box.
    assert 'name="blocked_by"' not in card_html(html, actions["blocked"])


def test_board_script_loads_before_the_board_so_it_is_drawn_enhanced(org, client_for, actions):
    html = client_for("priya").get(board_url(org)).content.decode()
    script = re.search(r'<script src="[^"]*logs/board\.js"([^>]*)>', html)
    assert script is not None and "defer" not in script.group(1)
    assert html.index("logs/board.js") < html.index('id="action-board"')


def test_blocked_by_is_still_required_by_the_server_and_marked_invalid(org, client_for, actions):
    action = actions["later"]
    response = client_for("tom").post(
        move_url(org, action),
        {"status": "blocked", "version": action.version, "blocked_by": "   "},
        HTTP_HX_REQUEST="true",
    )
    card = card_html(response.content.decode(), action)
    assert "Describe what blocks the action." in card
    # The box stays open on the refused card and points at the message.
    assert "board-card__move has-reason is-blocking" in card
    assert (
        f'id="blocked-{action.pk}" name="blocked_by" value="" maxlength="2000" '
        f'aria-invalid="true" aria-describedby="card-{action.pk}-errors"'
    ) in card
    action.refresh_from_db()
    assert (action.status, action.blocked_by) == ("open", "")


def test_a_stale_move_is_not_marked_as_a_blocked_by_problem(org, client_for, actions):
    action = actions["later"]
    services.item_update(actor=org.mary, item=action, expected_version=1, status="in_progress")
    response = client_for("priya").post(move_url(org, action), {"status": "done", "version": 1})
    assert response.status_code == 409
    assert "aria-invalid" not in card_html(response.content.decode(), action)
