"""Demo logs: risks, issues, actions and the other project logs of every demo project.

The content is hand-written per project, the way its team would have logged things as
the work went on: risks with cause, event and effect that are re-assessed after their
response, issues that are escalated or resolved by a decision, change requests at every
step of their workflow, actions from meetings that slip, and lessons at the end.

Read it in this order:

- ``story``: the small language the stories are written in (an item as raised, the
  steps that happened to it later, and dates relative to the project's life);
- ``projects``: one module per demo project with its story, and the load order;
- ``governance``: the routine governance actions several projects share;
- ``loader``: plays the stories through the logs services and dates their history.
"""

from .loader import load_demo_logs

__all__ = ["load_demo_logs"]
