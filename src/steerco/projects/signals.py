"""What the projects app tells the apps above it, which it cannot import (ADR 11)."""

from django.dispatch import Signal

# Sent inside the purge's transaction and change set, before the project's rows go, with
# ``project`` and ``actor``. Apps that keep rows in *other* projects pointing at it (a
# dependency on it) rewrite them here, with history, rather than let the database blank
# them silently.
project_purging = Signal()
