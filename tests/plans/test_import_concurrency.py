"""A 40,000-task plan import while other users read and write (issue 14, item 1): none of
their requests fails or waits more than 2 s, on SQLite and on PostgreSQL.

The import and the users run as in production, against a real database that several
processes share: ``benchmarks/bench_import_concurrency.py`` uploads the file through the
API, runs ``steerco worker`` in its own process and keeps three users' threads busy
meanwhile. On SQLite it uses a scratch database file (the test database lives in memory,
where SQLite's locking is another matter); on PostgreSQL a scratch database on the test
server, dropped afterwards.
"""

from __future__ import annotations

import pytest

TASKS = 40_000
LIMIT_SECONDS = 2.0


@pytest.mark.alone
def test_a_40000_task_import_blocks_no_other_request(benchmark_against_scratch_database):
    figures = benchmark_against_scratch_database(
        "bench_import_concurrency.py", "--tasks", str(TASKS), timeout=1500
    )
    assert figures["state"] == "switched", figures
    assert figures["tasks_after"] == TASKS, figures
    assert figures["worker_exit_code"] == 0, figures["worker_output"]
    assert figures["failure_count"] == 0, figures["failures"]
    assert figures["requests"] > 0, figures
    assert figures["longest_wait_seconds"] <= LIMIT_SECONDS, figures
