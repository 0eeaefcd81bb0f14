"""What the test suites and benchmarks need from the machine, decided in one place.

Some tests need tools or files the product does not: Chromium for the browser tests,
TaskJuggler's ``tj3`` to compare schedules with, Java for .mpp files, the reference data beside
the repository. On a developer's machine a missing one skips those tests with the reason; with
``STEERCO_REQUIRE_ALL=1`` (as CI sets it) it fails them instead, so nothing is left out unseen.

``scripts/suites.py`` (``make test``) and the tests read the variable here, and they and the
benchmarks look the tools up here, so none can disagree with another about either. It lives in the
package rather than in ``tests/`` or ``scripts/`` because all three then import it as the installed
``steerco``, without ``sys.path`` edits. Standard library only at import, so the suites runner
starts without Django, numpy or pytest: pytest is imported only to skip or fail a test, the engine
only to run ``tj3``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from steerco.engine.scheduling.synthetic import FsNetwork

REQUIRE_ALL_VARIABLE = "STEERCO_REQUIRE_ALL"
CHROMIUM_VARIABLE = "STEERCO_CHROMIUM"
#: Debian's Chromium, found even when /usr/bin is not on PATH.
DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
TJ3 = "tj3"


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


def tj3_available() -> bool:
    """Whether TaskJuggler (Debian package ``tj3``) is on PATH."""
    return shutil.which(TJ3) is not None


def run_tj3(network: FsNetwork, workdir: Path) -> tuple[float, dict[int, tuple[str, str]]]:
    """Schedule a synthetic network with ``tj3``; return its wall time and each task's
    (start, end) in SteerCo's conventions (see
    :func:`steerco.engine.scheduling.synthetic.tj3_dates`). Raises RuntimeError if tj3 fails."""
    # Deferred on purpose: the suites runner imports this module without numpy.
    from steerco.engine.scheduling.synthetic import tj3_dates, tjp

    source = workdir / f"fs{network.size}.tjp"
    source.write_text(tjp(network, report=f"fs{network.size}"))
    began = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - our own file and a fixed program
        [TJ3, "--silent", "--no-color", "-o", str(workdir), str(source)],
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        raise RuntimeError(f"tj3 failed ({done.returncode}): {done.stdout}{done.stderr}")
    report = (workdir / f"fs{network.size}.csv").read_text()
    return seconds, tj3_dates(report, network)
