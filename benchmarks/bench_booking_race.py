"""Many people booking the same room at the same moment: exactly one succeeds.

Threads, each with its own database connection, wait at a barrier and then all send
``POST /api/v1/bookings`` for overlapping times at once. Round 1: every thread asks for
the same room and slot. Round 2: half ask for a split hall as a whole, half for one of its
halves, at overlapping times. Each round must end with exactly one booking made and every
other request answered 409 naming it, and no two claims of one unit overlapping in the
database. Prints the figures; ``--json`` prints them as JSON (the test reads them).

    python benchmarks/bench_booking_race.py                 # SQLite, a scratch file
    DATABASE_URL=postgres://... python benchmarks/bench_booking_race.py  # PostgreSQL

On PostgreSQL, give a database that may be migrated and written to (a throwaway one).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import threading
import time
import uuid
from collections import Counter
from itertools import pairwise
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _scratch_django import configure


def race(requests: list[tuple], users) -> dict:
    """Send each (user index, body) at once from its own thread; return what came back."""
    from django.db import connection
    from django.test import Client

    barrier = threading.Barrier(len(requests))
    answers: list[tuple[int, dict]] = []
    lock = threading.Lock()

    def attempt(user, body) -> None:
        client = Client()
        client.force_login(user)
        barrier.wait()
        try:
            response = client.post("/api/v1/bookings", body, content_type="application/json")
            outcome = (response.status_code, response.json())
        except Exception as error:  # a failure to report, not to hide
            outcome = (0, {"detail": f"{type(error).__name__}: {error}"})
        finally:
            connection.close()
        with lock:
            answers.append(outcome)

    threads = [threading.Thread(target=attempt, args=(users[n], body)) for n, body in requests]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    made = [body for status, body in answers if status == 201]
    refused = [body for status, body in answers if status == 409]
    names_winner = bool(made) and all(
        body.get("conflicting", {}).get("booking") == made[0]["id"] for body in refused
    )
    return {
        "requests": len(requests),
        "statuses": dict(Counter(status for status, _ in answers)),
        "made": len(made),
        "refused_409": len(refused),
        "refusals_name_the_winner": names_winner,
        "seconds": round(time.monotonic() - started, 3),
        "other_answers": [body for status, body in answers if status not in (201, 409)][:3],
    }


def overlapping_claims() -> int:
    from steerco.bookings.models import Claim

    count = 0
    claims = list(Claim.objects.order_by("unit_id", "start").values_list("unit_id", "start", "end"))
    for (unit, _start, end), (next_unit, next_start, _end) in pairwise(claims):
        if unit == next_unit and next_start < end:
            count += 1
    return count


def run(threads: int) -> dict:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from steerco.accounts.models import User
    from steerco.bookings.services import resource_create
    from steerco.resources.models import Person

    call_command("migrate", verbosity=0)
    tag = uuid.uuid4().hex[:6]
    admin = User.objects.create(username=f"race-admin-{tag}", is_superuser=True)
    users = []
    for n in range(threads):
        user = User.objects.create(username=f"race-{tag}-{n}")
        Person.objects.create(name=f"Racer {n}", user=user)
        users.append(user)
    room = resource_create(actor=admin, name=f"Race room {tag}", capacity=6)
    hall = resource_create(actor=admin, name=f"Race hall {tag}", capacity=40)
    east = resource_create(actor=admin, name=f"Race hall east {tag}", part_of=hall)
    resource_create(actor=admin, name=f"Race hall west {tag}", part_of=hall)
    connection.close()

    day = timezone.now().replace(microsecond=0, second=0, minute=0) + dt.timedelta(days=3)

    def body(resource, start_hours: float, end_hours: float) -> dict:
        return {
            "resource": resource.pk,
            "start": (day + dt.timedelta(hours=start_hours)).isoformat(),
            "end": (day + dt.timedelta(hours=end_hours)).isoformat(),
            "purpose": "Race",
        }

    same_slot = race([(n, body(room, 0, 1)) for n in range(threads)], users)
    mixed = race(
        [
            (n, body(hall, 0, 2) if n % 2 else body(east, 0.5 + n * 0.01, 1.5))
            for n in range(threads)
        ],
        users,
    )
    return {
        "database": connection.vendor,
        "threads": threads,
        "same_slot": same_slot,
        "whole_and_parts": mixed,
        "overlapping_claims": overlapping_claims(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--json", action="store_true")
    arguments = parser.parse_args()
    configure("steerco-bench-race-")
    figures = run(arguments.threads)
    if arguments.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key}: {value}")


if __name__ == "__main__":
    main()
