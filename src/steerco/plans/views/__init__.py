"""Plan pages, one module per page: the plan grid and chart (``plan``), its settings,
baselines, milestones, and import and export (``transfer``).

Every view fetches the project through ``accounts.rules`` (404 for outsiders, 403 for users
who may look but not act), writes through ``services``/``transfer``, reads through
``selectors``, and maps refusals with ``core.pages``.
"""
