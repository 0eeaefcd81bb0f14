"""What the test suites and benchmarks need from the machine, decided in one place.

Some tests need tools or files the product does not: Chromium for the browser tests,
TaskJuggler's ``tj3`` to compare schedules with, Java for .mpp files, the reference data beside
the repository. On a developer's machine a missing one skips those tests with the reason; with
``STEERCO_REQUIRE_ALL=1`` (as CI sets it) it fails them instead, so nothing is left out unseen.

``scripts/suites.py`` (``make test``) and the tests read the variable and look Chromium up here,
so neither can disagree with the other about either. It lives in the
package rather than in ``tests/`` or ``scripts/`` because all three then import it as the installed
``steerco``, without ``sys.path`` edits. Standard library only at import, so the suites runner
starts without Django or pytest: pytest is imported only to skip or fail a test.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import NoReturn

REQUIRE_ALL_VARIABLE = "STEERCO_REQUIRE_ALL"
CHROMIUM_VARIABLE = "STEERCO_CHROMIUM"
#: Debian's Chromium, found even when /usr/bin is not on PATH.
DEBIAN_CHROMIUM = Path("/usr/bin/chromium")


def require_all() -> bool:
    """Whether a missing tool or file fails the run instead of skipping it.

    Read on every call, not once at import, so a test can set or clear the variable.
    """
    value = os.environ.get(REQUIRE_ALL_VARIABLE, "")
    return value.strip().lower() in {"1", "true", "yes", "on"}


def skip_or_fail(reason: str) -> NoReturn:
    """Skip the calling test for ``reason``, or fail it when :func:`require_all` says so."""
    import pytest  # a development dependency: only tests call this

    if require_all():
        pytest.fail(reason)
    pytest.skip(reason)


def find_chromium() -> str | None:
    """The Chromium the browser tests drive, or None.

    ``STEERCO_CHROMIUM`` wins when set, and then only that file counts: a wrong path is
    reported, not quietly replaced by another browser. Otherwise ``chromium`` or
    ``chromium-browser`` on PATH, then Debian's ``/usr/bin/chromium``.
    """
    configured = os.environ.get(CHROMIUM_VARIABLE)
    if configured:
        return configured if Path(configured).is_file() else None
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return str(DEBIAN_CHROMIUM) if DEBIAN_CHROMIUM.is_file() else None
