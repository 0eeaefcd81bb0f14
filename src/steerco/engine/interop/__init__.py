"""File formats to and from the engine's dataclasses. Functions take bytes/str, never paths."""
