"""API shapes of projects, memberships, portfolios and project history.

References to other objects (``portfolio``, ``manager``, ``sponsor``, ``owner``,
``person``) are integer ids both ways. In update bodies (``...PatchIn``) a field left out
is left alone; only fields that may be empty accept ``null``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from steerco.core.api import InputSchema, ObjectId, Version

from .models import Membership, Project

ProjectStatus = Literal[tuple(Project.Status.values)]
ProjectHealth = Literal[tuple(Project.Health.values)]
ClosingStatus = Literal["closed", "cancelled"]
MembershipRole = Literal[tuple(Membership.Role.values)]

_Input = InputSchema


class ProjectOut(Schema):
    id: int
    version: int
    code: str
    name: str
    description: str
    status: ProjectStatus
    health: ProjectHealth
    portfolio: int | None = Field(None, description="Portfolio id.")
    manager: int | None = Field(None, description="Person id of the project manager.")
    sponsor: int | None = Field(None, description="Person id of the sponsor.")
    planned_start: date | None
    planned_finish: date | None
    closed_on: date | None
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_portfolio(obj) -> int | None:
        return obj.portfolio_id

    @staticmethod
    def resolve_manager(obj) -> int | None:
        return obj.manager_id

    @staticmethod
    def resolve_sponsor(obj) -> int | None:
        return obj.sponsor_id


class ProjectCreateIn(_Input):
    code: str = Field(..., description="2–20 capital letters, digits, '-' or '_'.")
    name: str
    description: str = ""
    status: ProjectStatus = "proposed"
    health: ProjectHealth = "not_assessed"
    portfolio: ObjectId | None = None
    manager: ObjectId | None = Field(
        None, description="Person id; by default the person of whoever creates the project."
    )
    sponsor: ObjectId | None = None
    planned_start: date | None = None
    planned_finish: date | None = None


class ProjectPatchIn(_Input):
    # Defaults of None are not validated, so leaving a field out is allowed while an
    # explicit null for a field that cannot be empty is rejected as malformed.
    version: Version
    code: str = None
    name: str = None
    description: str = None
    status: ProjectStatus = None
    health: ProjectHealth = None
    portfolio: ObjectId | None = None
    manager: ObjectId | None = None
    sponsor: ObjectId | None = None
    planned_start: date | None = None
    planned_finish: date | None = None


class ProjectCloseIn(_Input):
    version: Version
    status: ClosingStatus = "closed"


class ProjectRestoreIn(_Input):
    version: Version


class TrashedProjectOut(ProjectOut):
    deleted_at: datetime = Field(..., description="When it was moved to the trash.")
    deleted_by: str | None = Field(None, description="Who moved it there (a person's name).")
    purge_on: date = Field(..., description="The day it is purged for good unless restored.")

    @staticmethod
    def resolve_deleted_by(obj) -> str | None:
        from steerco.core.history import name_of

        return name_of(obj.deleted_by)

    @staticmethod
    def resolve_purge_on(obj) -> date:
        from .services import purge_due_on

        return purge_due_on(obj)


class PurgeCountOut(Schema):
    kind: str = Field(..., description='What was deleted, plural: "tasks", "risks".')
    count: int


class MembershipOut(Schema):
    id: int
    version: int
    project: int = Field(..., description="Project id.")
    person: int = Field(..., description="Person id.")
    person_name: str
    role: MembershipRole
    added_at: datetime

    @staticmethod
    def resolve_project(obj) -> int:
        return obj.project_id

    @staticmethod
    def resolve_person(obj) -> int:
        return obj.person_id

    @staticmethod
    def resolve_person_name(obj) -> str:
        return obj.person.name


class MembershipCreateIn(_Input):
    person: ObjectId = Field(..., description="Person id.")
    role: MembershipRole


class MembershipPatchIn(_Input):
    version: Version
    role: MembershipRole


class PortfolioOut(Schema):
    id: int
    version: int
    code: str
    name: str
    description: str
    owner: int | None = Field(None, description="Person id of the portfolio owner.")

    @staticmethod
    def resolve_owner(obj) -> int | None:
        return obj.owner_id


class PortfolioCreateIn(_Input):
    code: str = Field(..., description="2–20 capital letters, digits, '-' or '_'.")
    name: str
    description: str = ""
    owner: ObjectId | None = None


class PortfolioPatchIn(_Input):
    version: Version
    code: str = None
    name: str = None
    description: str = None
    owner: ObjectId | None = None


class FieldChangeOut(Schema):
    field: str
    old: str
    new: str


class HistoryEntryOut(Schema):
    when: datetime
    who: str = Field(..., description="Username of whoever made the change, or 'system'.")
    name: str = Field(..., description="The name of the person who made the change, or 'system'.")
    subject: str
    action: Literal["created", "changed", "deleted"]
    changes: list[FieldChangeOut]

    # The entry's ``who`` is the person's name; this API has always answered the login
    # there, so ``who`` keeps the login and ``name`` carries the name.
    @staticmethod
    def resolve_who(entry) -> str:
        return entry.login

    @staticmethod
    def resolve_name(entry) -> str:
        return entry.who
