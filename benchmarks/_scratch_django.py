"""Django set up for a benchmark script that may migrate and write its database: the one in
DATABASE_URL (give a throwaway one), else a SQLite file in a new temporary directory."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def configure(prefix: str) -> None:
    """Set Django up on this checkout's code; ``prefix`` names the scratch directory."""
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steerco.config.settings")
    if not os.environ.get("DATABASE_URL") and not os.environ.get("STEERCO_DATA_DIR"):
        os.environ["STEERCO_DATA_DIR"] = tempfile.mkdtemp(prefix=prefix)
    import django

    django.setup()
