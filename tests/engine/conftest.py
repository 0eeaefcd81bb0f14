"""Shared fixtures for the engine tests: the reference data beside the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from steerco.testing import skip_or_fail

#: ``shared/`` sits beside the repository root: <repo>/../shared/data
SHARED_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


def shared_file(*parts: str) -> Path:
    """Path of a reference file; skip (or fail under STEERCO_REQUIRE_ALL=1) if it is missing."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        message = (
            f"reference data {path} is missing: the shared/ folder must sit beside the repository"
        )
        skip_or_fail(message)
    return path


@pytest.fixture
def shared() -> type:
    """Access to the reference data: ``shared.file("mspdi", "x.xml")``."""

    class Shared:
        file = staticmethod(shared_file)
        root = SHARED_DATA

    return Shared
