"""A project log as a spreadsheet: ``sheets`` (the columns, writing a log out, reading a
file back into rows and parsing its cells; no database) and ``imports`` (writing those
rows through the services, all or nothing) with ``staging`` (hidden rows of an import
under way, and the switch that shows them). Large imports run as a background job
declared in ``tasks.py``; the pages are ``views.transfer``."""
