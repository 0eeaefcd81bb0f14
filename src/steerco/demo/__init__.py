"""The demo organisation: a realistic mid-size organisation loaded by ``steerco demo``."""
