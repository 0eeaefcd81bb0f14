"""The thread in which a long-running worker keeps one periodic job an app declares.

Each periodic job whose schedule is on gets its own ``PeriodicScheduler`` beside the
worker's job loop, calling the job's ``tick`` now and then every ``every`` seconds. A tick
only queues work (the worker's loop runs it), so one job's schedule never holds up another.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from django.db import connection

logger = logging.getLogger(__name__)


class PeriodicScheduler(threading.Thread):
    """Runs ``tick`` now and then every ``interval`` seconds until stopped.

    A daemon thread beside the job loop: the worker's own signal handling stops the
    process, and a tick interrupted half way should leave nothing behind (each periodic
    job claims its turn in one transaction).
    """

    def __init__(
        self, *, tick: Callable[[], object], interval: float = 60.0, name: str = "periodic"
    ):
        super().__init__(name=f"steerco-{name}-scheduler", daemon=True)
        self.job_name = name
        self.interval = interval
        self.tick = tick
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            try:
                self.tick()
            except Exception:
                # A database hiccup must not end the schedule; the next tick tries again.
                logger.exception("Could not look whether %s is due.", self.job_name)
            finally:
                # This thread has its own connection; do not keep it open between ticks.
                connection.close()
            self._stop_event.wait(self.interval)

    def stop(self, timeout: float | None = 5.0) -> None:
        self._stop_event.set()
        self.join(timeout)
