"""A project's plan over HTTP (/api/v1/projects/{project_id}/...): its settings, tasks,
dependencies (task links), baselines, the computed schedule, and plan files in and out.

Each endpoint fetches the project through the permission rules (unknown or invisible →
404, visible but not allowed → 403), turns id references into objects of this project
(unknown → 422 naming the field), and calls one service or selector, which keep the plan
schedulable (a dependency loop is a 422 naming the tasks, and nothing is saved); the
error answers themselves are produced in steerco.core.api.

One module per resource, each with its own router; ``plan_router`` gathers them.
"""

from ninja import Router

from . import baselines, calendars, links, schedule, settings, tasks, transfer

plan_router = Router(tags=["plans"])
# One router per resource, added in this order: the order of the OpenAPI document.
for resource in (settings, tasks, links, baselines, schedule, transfer, calendars):
    plan_router.add_router("", resource.router)

__all__ = ["plan_router"]
