"""A 10,000-row risk import while other users read and save risks (issue 14, item 1): none
of their requests fails or waits more than 2 s, on SQLite and on PostgreSQL, and the
import still lands whole.

The import and the users run as in production, against a real database that several
processes share: ``benchmarks/bench_log_import_concurrency.py`` uploads the file on the
import page, runs ``steerco worker`` in its own process and keeps three users' threads
busy meanwhile, in another project's log and in the importing one. On SQLite it uses a
scratch database file (the test database lives in memory, where SQLite's locking is
another matter); on PostgreSQL a scratch database on the test server, dropped afterwards.
"""

from __future__ import annotations

import pytest

ROWS = 10_000
UPDATES = 500
LIMIT_SECONDS = 2.0


@pytest.mark.alone
def test_a_10000_row_log_import_blocks_no_other_request(benchmark_against_scratch_database):
    figures = benchmark_against_scratch_database(
        "bench_log_import_concurrency.py",
        "--rows",
        str(ROWS),
        "--updates",
        str(UPDATES),
        timeout=1800,
    )
    assert figures["worker_exit_code"] == 0, figures["worker_output"]
    assert figures["job_status"] == "succeeded", figures
    assert figures["import_state"] == "switched", figures
    assert figures["rejected_rows"] == 0, figures
    assert (figures["created"], figures["updated"]) == (ROWS - UPDATES, UPDATES), figures
    assert figures["hidden_rows_left"] == 0, figures
    assert figures["failure_count"] == 0, figures["failures"]
    assert figures["requests"] > 0, figures
    assert figures["longest_wait_seconds"] <= LIMIT_SECONDS, figures
