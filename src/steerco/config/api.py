"""The HTTP API root: /api/v1/..., OpenAPI at /api/openapi.json, docs at /api/docs."""

from __future__ import annotations

from ninja import NinjaAPI

from steerco.accounts.services import token_check
from steerco.core.api import api_auth, docs_access, install_error_handlers

# core/api.py sits below every domain app, so the token check (accounts') is handed to it here.
API_AUTH = api_auth(token_check)

api = NinjaAPI(
    title="SteerCo API",
    version="1",
    description=(
        "Project support and PMO data. Authenticate with `Authorization: Bearer <token>` "
        "(create a token on your account page or with `steerco token create`)."
    ),
    auth=API_AUTH,
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    # The API description names every resource: it is for authenticated callers only,
    # with the same credentials as the endpoints (a client generator sends its token).
    docs_decorator=docs_access(API_AUTH),
)
install_error_handlers(api)

from steerco.accounts.api import router as accounts_router  # noqa: E402
from steerco.bookings.api import router as bookings_router  # noqa: E402
from steerco.logs.api import log_router, org_log_router  # noqa: E402
from steerco.plans.api import plan_router  # noqa: E402
from steerco.projects.api import portfolio_router, project_router  # noqa: E402
from steerco.resources.api import router as resources_router  # noqa: E402
from steerco.staffing.api import router as staffing_router  # noqa: E402

api.add_router("/v1/", accounts_router)
api.add_router("/v1/", resources_router)  # the people directory
api.add_router("/v1/projects", project_router)
api.add_router("/v1/projects", plan_router)  # the plan of each project, under its path
api.add_router("/v1/projects", log_router)  # each project's logs, under its path
api.add_router("/v1/", org_log_router)  # lessons library, escalations, my actions, scales
api.add_router("/v1/portfolios", portfolio_router)
api.add_router("/v1/", staffing_router)  # allocations, skills, capacity
api.add_router("/v1/", bookings_router)  # rooms, equipment and their bookings
