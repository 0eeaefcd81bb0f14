"""SteerCo: project support and PMO platform."""

__version__ = "0.1.0"
