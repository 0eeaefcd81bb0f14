"""The log pages, one module per page or family of pages.

Per project (``urls.py``): ``lists`` (the overview, each log's list with its inline edits,
the add, edit and delete forms), ``items`` (one item's page, its links, raising an issue
from a risk, moving a change request on), ``board`` (the action board), ``heat_map``
(the risk heat map) and ``transfer`` (spreadsheet export and import). Across the
organisation (``org_urls.py``): ``library`` (escalations and lessons), ``scales``,
``digest`` and ``register`` (the PMO's risk and issue register).
"""
