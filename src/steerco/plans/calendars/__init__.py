"""Working-time calendars: a project's own and the organisation's base calendars, with
their forms, services, pages and URLs (mounted at /calendars/ and under each plan)."""
