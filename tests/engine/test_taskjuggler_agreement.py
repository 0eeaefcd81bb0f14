"""Our dates equal TaskJuggler's on a random network of FS links with gaps.

Reference: TaskJuggler 3 (``tj3``, Debian package ``tj3``), scheduling the same network written
as a ``.tjp`` project: global working hours Mon-Fri 08:00-12:00 and 13:00-17:00, public holidays
as ``leaves holiday``, tasks with ``length Nd`` and ``depends tX { gaplength Nd }``. The network,
both files and the mapping of TaskJuggler's start/end conventions onto ours are in
``steerco.engine.scheduling.synthetic``; the same comparison runs at scale in
``benchmarks/bench_vs_taskjuggler.py``.
"""

from __future__ import annotations

from steerco.engine.interop.plan_json import read_plan_json
from steerco.engine.interop.schedule_json import schedule_as_json
from steerco.engine.scheduling import schedule_plan
from steerco.engine.scheduling import synthetic as networks
from steerco.testing import run_tj3, skip_or_fail, tj3_available


def require_tj3() -> None:
    """Skip without tj3, or fail under STEERCO_REQUIRE_ALL=1 (as CI sets it)."""
    if tj3_available():
        return
    skip_or_fail("tj3 (TaskJuggler, Debian package tj3) is not installed: cannot compare with it")


def test_fs_network_with_gaps_and_holidays_has_taskjugglers_dates(tmp_path):
    require_tj3()
    # given a seeded network of 60 tasks, lengths and gaps in working days, holidays
    network = networks.fs_network(60, seed=11)
    assert any(gap for _, _, gap in network.links)
    # when TaskJuggler and our engine schedule it
    _, theirs = run_tj3(network, tmp_path)
    plan = read_plan_json(networks.plan_json(network))
    ours = networks.steerco_dates(schedule_as_json(plan, schedule_plan(plan)))
    # then every task starts and finishes at the same minute
    assert len(ours) == 60
    assert networks.mismatches(theirs, ours) == []
    # (and the check meant something: some tasks work across a public holiday)
    holidays = [date.isoformat() for date, _ in network.holidays]
    assert any(start < day < finish for start, finish in ours.values() for day in holidays)
