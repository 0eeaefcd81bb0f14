"""Probability × impact scoring on ordinal scales, as in a 5×5 risk matrix.

Scales are ordinal levels numbered from 1 (lowest) to ``size``; a score is the product
of a probability level and an impact level, so on a 5×5 scale it runs from 1 to 25.
Bands split the score range by its share of the largest possible score, so the same
thresholds serve a 4×4 or a 6×6 scale.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

# Shares of the maximum score at which a risk moves to the next band. On a 5×5 scale
# (max 25) they give the common PMO convention: 1–4 low, 5–11 medium, 12–25 high.
MEDIUM_FROM_SHARE = 0.2
HIGH_FROM_SHARE = 0.48


class Band(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


def risk_score(probability: int | None, impact: int | None) -> int | None:
    """Probability level × impact level; None when either level is not assessed."""
    if probability is None or impact is None:
        return None
    if probability < 1 or impact < 1:
        raise ValueError("Probability and impact levels start at 1.")
    return probability * impact


def score_band(
    score: int | None, *, probability_size: int = 5, impact_size: int = 5
) -> Band | None:
    """The band of ``score`` on a scale of ``probability_size`` × ``impact_size`` levels."""
    if score is None:
        return None
    maximum = probability_size * impact_size
    if not 1 <= score <= maximum:
        raise ValueError(
            f"A score on a {probability_size}×{impact_size} scale lies in 1–{maximum}."
        )
    share = score / maximum
    if share >= HIGH_FROM_SHARE:
        return Band.HIGH
    if share >= MEDIUM_FROM_SHARE:
        return Band.MEDIUM
    return Band.LOW


@dataclass(frozen=True)
class HeatMapCell:
    probability: int
    impact: int
    score: int
    band: Band
    count: int


def heat_map(
    levels: Iterable[tuple[int | None, int | None]],
    *,
    probability_size: int = 5,
    impact_size: int = 5,
) -> list[list[HeatMapCell]]:
    """Count risks per (probability, impact) cell.

    Returns rows from the highest probability down (as the matrix is drawn), each row
    listing impact from lowest to highest. Pairs with a missing level are not counted.
    """
    counts = Counter(
        (p, i)
        for p, i in levels
        if p is not None and i is not None and 1 <= p <= probability_size and 1 <= i <= impact_size
    )
    rows = []
    for p in range(probability_size, 0, -1):
        row = []
        for i in range(1, impact_size + 1):
            score = p * i
            band = score_band(score, probability_size=probability_size, impact_size=impact_size)
            row.append(HeatMapCell(p, i, score, band, counts[(p, i)]))
        rows.append(row)
    return rows
