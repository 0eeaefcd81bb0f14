"""Probability × impact scoring and the heat map on ordinal scales.

Reference: the common 5×5 probability–impact matrix of PMO practice (e.g. the Office of
Government Commerce's *Management of Risk* and most public-sector templates), where a
score is probability level × impact level and the bands are 1–4 low, 5–11 medium and
12–25 high. The matrix is drawn with the highest probability as its top row and impact
rising from left to right.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from steerco.engine.risk.scoring import Band, heat_map, risk_score, score_band

LOW_5X5 = set(range(1, 5))
MEDIUM_5X5 = set(range(5, 12))
HIGH_5X5 = set(range(12, 26))


def test_score_is_probability_times_impact():
    assert risk_score(4, 3) == 12
    assert risk_score(1, 1) == 1
    assert risk_score(5, 5) == 25


@pytest.mark.parametrize(("probability", "impact"), [(None, 3), (2, None), (None, None)])
def test_score_is_none_until_both_levels_are_assessed(probability, impact):
    assert risk_score(probability, impact) is None


@pytest.mark.parametrize(("probability", "impact"), [(0, 3), (3, 0), (-1, 2)])
def test_levels_below_one_are_refused(probability, impact):
    with pytest.raises(ValueError, match="start at 1"):
        risk_score(probability, impact)


@pytest.mark.parametrize("score", sorted(LOW_5X5 | MEDIUM_5X5 | HIGH_5X5))
def test_bands_on_a_5x5_scale_follow_the_standard_matrix(score):
    expected = Band.LOW if score in LOW_5X5 else Band.MEDIUM if score in MEDIUM_5X5 else Band.HIGH
    assert score_band(score) is expected


def test_band_boundaries_on_a_5x5_scale_are_4_5_11_and_12():
    assert [score_band(s).value for s in (4, 5, 11, 12)] == ["low", "medium", "medium", "high"]


def test_every_cell_of_the_5x5_matrix_has_the_band_of_its_score():
    rows = heat_map([])
    bands = {(cell.probability, cell.impact): cell.band for row in rows for cell in row}
    assert bands[(1, 1)] is Band.LOW
    assert bands[(2, 2)] is Band.LOW  # 4
    assert bands[(1, 5)] is Band.MEDIUM  # 5
    assert bands[(2, 5)] is Band.MEDIUM  # 10
    assert bands[(3, 3)] is Band.MEDIUM  # 9
    assert bands[(4, 3)] is Band.HIGH  # 12
    assert bands[(3, 4)] is Band.HIGH  # 12
    assert bands[(5, 5)] is Band.HIGH  # 25
    # Counted over the whole matrix: 8 low cells, 9 medium, 8 high.
    tally = {band: list(bands.values()).count(band) for band in Band}
    assert tally == {Band.LOW: 8, Band.MEDIUM: 9, Band.HIGH: 8}


def test_score_band_is_none_for_an_unassessed_risk():
    assert score_band(None) is None


@pytest.mark.parametrize("score", [0, 26, -3])
def test_scores_outside_the_scale_are_refused(score):
    with pytest.raises(ValueError, match="1–25"):
        score_band(score)


def test_bands_scale_with_the_size_of_the_matrix():
    # On 4×4 (max 16) the same shares give low 1–3, medium 4–7, high 8–16.
    assert [score_band(s, probability_size=4, impact_size=4).value for s in (3, 4, 7, 8)] == [
        "low",
        "medium",
        "medium",
        "high",
    ]
    with pytest.raises(ValueError):
        score_band(17, probability_size=4, impact_size=4)


def test_heat_map_rows_run_from_highest_probability_down_and_impact_left_to_right():
    rows = heat_map([])
    assert len(rows) == 5
    assert [row[0].probability for row in rows] == [5, 4, 3, 2, 1]
    for row in rows:
        assert [cell.impact for cell in row] == [1, 2, 3, 4, 5]
        assert all(cell.score == cell.probability * cell.impact for cell in row)


def test_heat_map_counts_risks_per_cell():
    pairs = [(4, 3), (4, 3), (4, 3), (1, 5), (5, 5), (2, 2)]
    rows = heat_map(pairs)
    counts = {(c.probability, c.impact): c.count for row in rows for c in row if c.count}
    assert counts == {(4, 3): 3, (1, 5): 1, (5, 5): 1, (2, 2): 1}
    # The top row is probability 5: its last cell is impact 5.
    assert rows[0][4].count == 1
    # Probability 4 is the second row; impact 3 the third column.
    assert rows[1][2].count == 3


def test_heat_map_leaves_out_unassessed_and_off_scale_pairs():
    rows = heat_map([(None, 3), (3, None), (None, None), (6, 1), (1, 6), (0, 2), (3, 3)])
    assert sum(cell.count for row in rows for cell in row) == 1
    assert rows[2][2].count == 1  # probability 3, impact 3


def test_heat_map_follows_a_non_square_scale():
    rows = heat_map([(3, 4), (4, 4)], probability_size=3, impact_size=4)
    assert len(rows) == 3
    assert all(len(row) == 4 for row in rows)
    assert rows[0][3].count == 1  # (3, 4) counted; probability 4 is off this scale
    assert rows[0][3].band is Band.HIGH  # 12 of 12


@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.integers(min_value=-1, max_value=7)),
            st.one_of(st.none(), st.integers(min_value=-1, max_value=7)),
        ),
        max_size=60,
    )
)
def test_heat_map_counts_every_assessed_on_scale_pair_exactly_once(pairs):
    rows = heat_map(pairs)
    on_scale = [
        (p, i) for p, i in pairs if p is not None and i is not None and 1 <= p <= 5 and 1 <= i <= 5
    ]
    assert sum(cell.count for row in rows for cell in row) == len(on_scale)
    for row in rows:
        for cell in row:
            assert cell.count == on_scale.count((cell.probability, cell.impact))
