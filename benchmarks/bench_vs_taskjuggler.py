"""``steerco schedule`` side by side with TaskJuggler (``tj3``) on the same FS networks.

Each network (see ``steerco.engine.scheduling.synthetic``: working hours Mon-Fri 08:00-12:00 and
13:00-17:00, a few public holidays, lengths in whole working days, FS links with gaps of whole
working days) is written as a SteerCo JSON plan and as a TaskJuggler project. Both programs run in
subprocesses, timed wall clock (TaskJuggler once, it is slow; ``steerco schedule`` best of 3); then
every task's start and finish from both are compared, after mapping TaskJuggler's conventions
(``synthetic.tj3_dates`` lists each mapping). The dates must be identical.

Without ``tj3`` (Debian package ``tj3``) the comparison is skipped with a plain message and only
SteerCo's times are printed. 10,000 tasks take TaskJuggler a few minutes; progress is printed.

Run: ``.venv/bin/python benchmarks/bench_vs_taskjuggler.py [--sizes 1000,5000] [--quick]``
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_scheduling import best_of

from steerco.engine.interop.plan_json import read_plan_json
from steerco.engine.scheduling import schedule_plan
from steerco.engine.scheduling import synthetic as networks
from steerco.testing import run_tj3, tj3_available

DEFAULT_SIZES = (1_000, 5_000, 10_000)
QUICK_SIZES = (200, 1_000)
SHOWN_MISMATCHES = 5


def steerco_command() -> list[str]:
    """``steerco`` beside this interpreter (the project's venv), else the one on PATH."""
    beside = Path(sys.executable).with_name("steerco")
    found = str(beside) if beside.exists() else shutil.which("steerco")
    if found is None:
        raise SystemExit("steerco is not installed: run `make run` or `pip install -e .` first")
    return [found, "schedule"]


def run_steerco(plan_file: Path) -> dict:
    done = subprocess.run(  # noqa: S603 - our own program and file
        [*steerco_command(), str(plan_file), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"steerco schedule failed ({done.returncode}): {done.stderr}")
    return json.loads(done.stdout)


def compare(size: int, workdir: Path, with_tj3: bool) -> dict:
    """Time both programs on one network and count the tasks whose dates differ."""
    network = networks.fs_network(size)
    plan_file = workdir / f"fs{size}.json"
    plan_file.write_text(networks.plan_json(network))
    row = {"size": size, "links": len(network.links)}

    plan = read_plan_json(plan_file.read_text())
    row["engine"] = best_of(3, lambda: schedule_plan(plan))  # in-process, for reference
    print(f"  {size:,} tasks: steerco schedule (best of 3) ...", flush=True)
    result: dict = {}
    row["steerco"] = best_of(3, lambda: result.update(run_steerco(plan_file)))
    ours = networks.steerco_dates(result)
    if not with_tj3:
        return row

    print(f"  {size:,} tasks: tj3 (once; until {networks.horizon(network)}) ...", flush=True)
    began = time.perf_counter()
    row["tj3"], theirs = run_tj3(network, workdir)
    print(f"  {size:,} tasks: tj3 took {time.perf_counter() - began:.1f} s", flush=True)
    row["mismatches"] = networks.mismatches(theirs, ours)
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default=",".join(str(n) for n in DEFAULT_SIZES),
        help="comma-separated task counts (default: %(default)s)",
    )
    parser.add_argument(
        "--quick", action="store_true", help=f"only {', '.join(map(str, QUICK_SIZES))} tasks"
    )
    args = parser.parse_args(argv)
    sizes = QUICK_SIZES if args.quick else tuple(int(n) for n in args.sizes.split(","))

    with_tj3 = tj3_available()
    if not with_tj3:
        print(
            "tj3 (TaskJuggler) is not installed: skipping the comparison with it and timing "
            "steerco schedule alone. Install the Debian package tj3 to compare."
        )
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-tj3-") as scratch:
        for size in sizes:
            rows.append(compare(size, Path(scratch), with_tj3))

    print()
    print(
        f"{'tasks':>7} {'links':>7} {'tj3 s':>8} {'steerco s':>10} {'ratio tj3/steerco':>18}"
        f" {'mismatches':>11} {'(engine alone s)':>17}"
    )
    failed = False
    for row in rows:
        if with_tj3:
            tj3 = f"{row['tj3']:8.2f}"
            ratio = f"{row['tj3'] / row['steerco']:18.1f}"
            count = f"{len(row['mismatches']):>11,}"
            failed = failed or bool(row["mismatches"])
        else:
            tj3, ratio, count = f"{'-':>8}", f"{'-':>18}", f"{'-':>11}"
        print(
            f"{row['size']:>7,} {row['links']:>7,} {tj3} {row['steerco']:10.2f} {ratio}"
            f" {count} {row['engine']:17.3f}"
        )
    for row in rows:
        for line in row.get("mismatches", [])[:SHOWN_MISMATCHES]:
            print(f"{row['size']:,} tasks, {line}")
    if failed:
        print("Dates differ from TaskJuggler's (see above).")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
