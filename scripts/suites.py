# Every subprocess here runs a fixed tool with arguments this script builds itself.
# ruff: noqa: S603
"""Run every SteerCo test suite and print one summary (``make test`` calls this).

Suites, in order:

  lint             ruff check, ruff format --check, lint-imports
  engine           tests/engine with Django switched off: the engine must not need it
  django-sqlite    the Django tests (tests/ minus engine and e2e) on SQLite
  django-postgres  the same tests on PostgreSQL, in a throwaway cluster made for this run
  e2e              tests/e2e in headless Chromium against a live server

A suite whose tool is missing (PostgreSQL server binaries, Chromium) is skipped with the
reason; with STEERCO_REQUIRE_ALL=1 (as in CI) a missing tool fails the run instead. The
variable and the Chromium lookup are read in ``steerco.testing``, as the tests read them.

The last line is ``N passed, N failed[, N skipped]`` over all suites, which CI reads.

Usage: python scripts/suites.py [SUITE ...] [-- PYTEST_ARGS ...]
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import ElementTree as ET
from pg_cluster import ClusterUnavailable, PostgresCluster

from steerco.testing import find_chromium, require_all

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ARTIFACTS = ROOT / "test-artifacts"
PYTEST_NO_TESTS = 5

SUITES = ["lint", "engine", "django-sqlite", "django-postgres", "e2e"]
DJANGO_TEST_ARGS = ["tests", "--ignore=tests/engine", "--ignore=tests/e2e"]


# Two workers halve the Django suites on the two-core machines we run on; 0 runs in-process.
DJANGO_WORKERS = os.environ.get("STEERCO_TEST_WORKERS", "2")


@dataclass
class Result:
    name: str
    status: str = "passed"  # passed | failed | skipped
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def counts(self) -> str:
        text = f"{self.passed} passed / {self.failed} failed"
        if self.skipped:
            text += f" / {self.skipped} skipped"
        return text


def banner(text: str) -> None:
    line = "=" * 78
    print(f"\n{line}\n{text}\n{line}", flush=True)


def missing(result: Result, reason: str) -> Result:
    """A suite that cannot run here: skipped, or failed when every suite is required."""
    if require_all():
        result.status = "failed"
        result.failed += 1
        result.notes.append(f"{reason} (STEERCO_REQUIRE_ALL=1 makes this a failure)")
    else:
        result.status = "skipped"
        result.notes.append(f"{reason} — suite skipped")
    print(result.notes[-1], flush=True)
    return result


def base_env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    # Tests must never reach a database the user configured for real work.
    env.pop("DATABASE_URL", None)
    env["STEERCO_DATA_DIR"] = str(data_dir)
    # WhiteNoise warns on every request when STATIC_ROOT is missing; tests serve static
    # files through the finders instead, so an empty directory is enough.
    (data_dir / "static").mkdir(parents=True, exist_ok=True)
    env.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    return env


def run_pytest(
    result: Result,
    args: list[str],
    env: dict[str, str],
    scratch: Path,
    extra: list[str],
    *,
    part: str = "",
) -> Result:
    """Run pytest and add its counts to ``result`` (a suite may run it more than once, each
    ``part`` keeping its own report)."""
    # Kept in test-artifacts/ beside the screenshots: per-test outcomes and timings.
    ARTIFACTS.mkdir(exist_ok=True)
    report = ARTIFACTS / f"junit-{result.name}{part}.xml"
    report.unlink(missing_ok=True)
    command = [sys.executable, "-m", "pytest", *args, "-q", f"--junitxml={report}", *extra]
    print("$ " + " ".join(command[1:]), flush=True)
    started = time.monotonic()
    code = subprocess.run(command, cwd=ROOT, env=env, check=False).returncode
    result.seconds += time.monotonic() - started
    if code == PYTEST_NO_TESTS:
        result.notes.append("no tests collected")
        return result
    if report.exists():
        try:
            for suite in ET.parse(report).getroot().iter("testsuite"):
                total = int(suite.get("tests", 0))
                failed = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
                skipped = int(suite.get("skipped", 0))
                result.failed += failed
                result.skipped += skipped
                result.passed += total - failed - skipped
        except (ET.ParseError, ValueError) as problem:
            result.notes.append(f"could not read pytest's report: {problem}")
    if code != 0:
        result.status = "failed"
        if result.failed == 0:
            # pytest failed outside any test (usage error, crash, interrupted worker).
            result.failed = 1
            result.notes.append(f"pytest exited with code {code}")
    return result


def suite_lint(scratch: Path, extra: list[str]) -> Result:
    result = Result("lint")
    checks = [
        ("ruff check", [BIN / "ruff", "check", "."]),
        ("ruff format --check", [BIN / "ruff", "format", "--check", "."]),
        ("lint-imports", [BIN / "lint-imports"]),
    ]
    started = time.monotonic()
    for label, command in checks:
        print(f"$ {label}", flush=True)
        code = subprocess.run([str(part) for part in command], cwd=ROOT, check=False).returncode
        if code == 0:
            result.passed += 1
        else:
            result.failed += 1
            result.status = "failed"
            result.notes.append(f"{label} failed")
    result.seconds = time.monotonic() - started
    return result


def suite_engine(scratch: Path, extra: list[str]) -> Result:
    env = base_env(scratch / "engine-data")
    # pytest-django stays loaded: it refuses database access to tests not marked for it,
    # and the import contract (lint) keeps Django out of the engine itself.
    return run_pytest(Result("engine"), ["tests/engine"], env, scratch, extra)


def django_args() -> list[str]:
    args = list(DJANGO_TEST_ARGS)
    if DJANGO_WORKERS not in {"", "0"}:
        args += ["-n", DJANGO_WORKERS]
    return args


def run_django_tests(result: Result, env: dict[str, str], scratch: Path, extra: list[str]) -> None:
    """The Django tests in parallel, then those marked ``alone`` one at a time: they measure
    how long other users wait while something heavy runs, so no other test may load the
    machine meanwhile."""
    run_pytest(result, [*django_args(), "-m", "not alone"], env, scratch, extra)
    run_pytest(result, [*DJANGO_TEST_ARGS, "-m", "alone"], env, scratch, extra, part="-alone")


def suite_django_sqlite(scratch: Path, extra: list[str]) -> Result:
    result = Result("django-sqlite")
    run_django_tests(result, base_env(scratch / "sqlite-data"), scratch, extra)
    return result


def suite_django_postgres(scratch: Path, extra: list[str]) -> Result:
    result = Result("django-postgres")
    try:
        cluster = PostgresCluster()
    except ClusterUnavailable as problem:
        return missing(result, str(problem))
    started = time.monotonic()
    try:
        with cluster:
            print(f"Started a throwaway PostgreSQL cluster at {cluster.url}", flush=True)
            result.seconds = time.monotonic() - started
            env = base_env(scratch / "postgres-data")
            env["DATABASE_URL"] = cluster.url
            run_django_tests(result, env, scratch, extra)
    except ClusterUnavailable as problem:
        result.status = "failed"
        result.failed += 1
        result.notes.append(f"the PostgreSQL cluster would not start: {problem}")
        print(result.notes[-1], flush=True)
    return result


def suite_e2e(scratch: Path, extra: list[str]) -> Result:
    result = Result("e2e")
    chromium = find_chromium()
    if chromium is None:
        return missing(
            result,
            "Chromium was not found (looked for STEERCO_CHROMIUM, `chromium`, "
            "`chromium-browser`). On Debian or Ubuntu: `apt-get install chromium`.",
        )
    probe = subprocess.run(
        [sys.executable, "-c", "import playwright.sync_api"], capture_output=True, check=False
    )
    if probe.returncode != 0:
        return missing(result, "the Python package 'playwright' is not installed in this venv")
    env = base_env(scratch / "e2e-data")
    env["STEERCO_CHROMIUM"] = chromium
    # Playwright's sync API runs an event loop in the test thread; Django would refuse
    # database access from it otherwise.
    env["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    return run_pytest(result, ["tests/e2e"], env, scratch, extra)


RUNNERS = {
    "lint": suite_lint,
    "engine": suite_engine,
    "django-sqlite": suite_django_sqlite,
    "django-postgres": suite_django_postgres,
    "e2e": suite_e2e,
}
DESCRIPTIONS = {
    "lint": "ruff check, ruff format --check, lint-imports",
    "engine": "engine tests (tests/engine), no Django, no database",
    "django-sqlite": "Django tests on SQLite",
    "django-postgres": "Django tests on PostgreSQL (throwaway cluster)",
    "e2e": "browser tests (tests/e2e) in headless Chromium",
}


def print_summary(results: list[Result]) -> None:
    banner("Summary")
    for result in results:
        timing = f"{result.seconds:6.1f} s" if result.status != "skipped" else ""
        print(f"  {result.name:<16} {result.status.upper():<8} {result.counts():<36} {timing}")
        for note in result.notes:
            print(f"  {'':<16} {note}")
    passed = sum(result.passed for result in results)
    failed = sum(result.failed for result in results)
    skipped = sum(result.skipped for result in results)
    skipped_suites = [result.name for result in results if result.status == "skipped"]
    if skipped_suites:
        print(f"  Suites not run on this machine: {', '.join(skipped_suites)}")
    closing = f"{passed} passed, {failed} failed"
    if skipped:
        closing += f", {skipped} skipped"
    print(closing, flush=True)


def parse_args(argv: list[str]) -> tuple[list[str], list[str]]:
    extra: list[str] = []
    if "--" in argv:
        split = argv.index("--")
        argv, extra = argv[:split], argv[split + 1 :]
    unknown = [name for name in argv if name not in RUNNERS]
    if unknown:
        raise SystemExit(f"unknown suite(s): {', '.join(unknown)}; choose from {', '.join(SUITES)}")
    return (argv or SUITES), extra


def main(argv: list[str]) -> int:
    selected, extra = parse_args(argv)

    # On SIGTERM (CI timeouts, `kill`) unwind like Ctrl-C so the cluster is removed.
    def terminate(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="steerco-tests-") as scratch_name:
        scratch = Path(scratch_name)
        try:
            for name in selected:
                banner(f"{name}: {DESCRIPTIONS[name]}")
                # Lint takes no pytest arguments.
                results.append(RUNNERS[name](scratch, [] if name == "lint" else extra))
        except KeyboardInterrupt:
            print("\nInterrupted.", file=sys.stderr)
            print_summary(results)
            return 130
    print_summary(results)
    return 1 if any(result.status == "failed" for result in results) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
