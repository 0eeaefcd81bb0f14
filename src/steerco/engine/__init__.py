"""Pure computation for SteerCo: plain dataclasses in and out, no Django, no I/O.

An import-linter contract (see pyproject.toml) forbids this package from importing
Django or any of SteerCo's web apps.
"""
