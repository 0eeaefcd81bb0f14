"""The one exception the capacity engine raises for input it cannot use."""

from __future__ import annotations


class CapacityError(ValueError):
    """Input the capacity engine cannot use; the message names the person or demand item."""
