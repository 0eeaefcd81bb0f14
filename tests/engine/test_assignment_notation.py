"""Microsoft Project's Resource Names notation (``Priya[50%], Tom``) and the work of a
fixed-units assignment.

Reference: Microsoft Project's Resource Names field ("Assign resources to tasks", Microsoft
support), which lists each resource with its units in square brackets when they are not
100 %, separated by the list separator; and its scheduling formula Work = Duration × Units.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from steerco.engine.scheduling.assignment_notation import (
    AssignmentNotationError,
    ResourceEntry,
    format_percent,
    format_resources,
    parse_resources,
)
from steerco.engine.scheduling.resources import fixed_units_work


def test_name_without_units_is_assigned_full_time():
    assert parse_resources("Tom") == [ResourceEntry("Tom", Decimal(1))]


def test_units_in_brackets_are_a_percentage():
    assert parse_resources("Priya[50%], Tom") == [
        ResourceEntry("Priya", Decimal("0.5")),
        ResourceEntry("Tom", Decimal(1)),
    ]


def test_percent_sign_may_be_left_out_as_project_accepts():
    assert parse_resources("Tom[150]") == [ResourceEntry("Tom", Decimal("1.5"))]


def test_names_keep_inner_spaces_and_lose_outer_ones():
    assert parse_resources("  Priya  Shah [ 25 % ] ,Tom Baker,") == [
        ResourceEntry("Priya Shah", Decimal("0.25")),
        ResourceEntry("Tom Baker", Decimal(1)),
    ]


def test_empty_text_is_no_resources():
    assert parse_resources("") == []
    assert parse_resources(" , ") == []


def test_zero_units_are_allowed_as_in_project():
    assert parse_resources("Tom[0%]") == [ResourceEntry("Tom", Decimal(0))]


def test_units_are_kept_to_a_tenth_of_a_percent():
    assert parse_resources("Tom[33.33%]")[0].units == Decimal("0.333")


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Priya[abc%]", "'Priya[abc%]'"),
        ("Tom, [50%]", "'[50%]'"),
        ("Tom[-5%]", "'Tom[-5%]'"),
        ("Tom[10001%]", "'Tom[10001%]'"),
        ("Tom[50%]x", "'Tom[50%]x'"),
        ("Tom[NaN]", "'Tom[NaN]'"),
        ("Tom[]", "'Tom[]'"),
    ],
)
def test_bad_entry_is_refused_naming_it(text, named):
    with pytest.raises(AssignmentNotationError) as refused:
        parse_resources(text)
    assert named in str(refused.value)


def test_negative_units_say_so():
    with pytest.raises(AssignmentNotationError, match="cannot be negative"):
        parse_resources("Tom[-5%]")


def test_units_above_ten_thousand_percent_say_the_limit():
    with pytest.raises(AssignmentNotationError, match="10000%"):
        parse_resources("Tom[10001%]")


def test_ten_thousand_percent_is_the_limit_itself():
    assert parse_resources("Tom[10000%]")[0].units == Decimal(100)


def test_same_name_twice_is_refused_whatever_the_case():
    with pytest.raises(AssignmentNotationError, match="'tom' is in the list twice"):
        parse_resources("Tom[50%], tom")


def test_format_leaves_full_time_resources_bare():
    entries = [ResourceEntry("Priya", Decimal("0.5")), ResourceEntry("Tom", Decimal(1))]
    assert format_resources(entries) == "Priya[50%], Tom"


def test_format_accepts_name_and_units_pairs():
    assert format_resources([("Ana", Decimal("1.500")), ("Bo", Decimal("0.333"))]) == (
        "Ana[150%], Bo[33.3%]"
    )


@pytest.mark.parametrize(
    ("units", "text"),
    [
        (Decimal("0.5"), "50%"),
        (Decimal("2"), "200%"),
        (Decimal("0"), "0%"),
        (Decimal("0.125"), "12.5%"),
    ],
)
def test_percent_text(units, text):
    assert format_percent(units) == text


@pytest.mark.parametrize("text", ["Tom", "Priya[50%], Tom", "A B[12.5%], C[200%], D[0%]"])
def test_formatted_list_parses_back_to_the_same_entries(text):
    entries = parse_resources(text)
    assert parse_resources(format_resources(entries)) == entries
    assert format_resources(entries) == text


def test_work_of_a_fixed_units_assignment_is_duration_times_units():
    five_days = 5 * 480
    assert fixed_units_work(five_days, Decimal("0.5")) == 1200
    assert fixed_units_work(five_days, 1) == five_days
    assert fixed_units_work(0, 1) == 0
