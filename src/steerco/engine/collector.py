"""Pausing Python's cyclic garbage collector around work that makes many objects and no
garbage cycles: reading a large plan file, scheduling it, drawing its page.

Such work allocates millions of small objects that live until it ends; each automatic
collection walks all of them again and frees nothing. Reference counting still frees
everything; the collector runs as before once the outermost pause ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block; leave it as the caller had it
    (a pause inside another pause keeps it off until the outer one ends)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
