"""Cluster warning views: one industry's warning with its disposal steps and deadlines."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel

from wagewatch.web.rules.schemas import ActionPublic, LevelPublic, ReasonPublic

__all__ = ["ClusterAction", "ClusterBoard", "ClusterCard", "ClusterFact"]


class ClusterAction(BaseModel):
    """A disposal step of the cluster's level, with its deadline counted from the warning."""

    action: ActionPublic
    due_at: datetime | None
    overdue: bool


class ClusterFact(BaseModel):
    """One fact the grading used (e.g. 涉及人数), for display."""

    name: str
    label: str
    value: str


class ClusterCard(BaseModel):
    """One industry cluster's current warning."""

    warning_id: int
    industry: str
    level: LevelPublic
    reasons: list[ReasonPublic]
    facts: list[ClusterFact]
    actions: list[ClusterAction]
    raised_at: datetime | None
    as_of: date


class ClusterBoard(BaseModel):
    """The cluster warnings the user may see, and why a scoped user sees fewer (or none)."""

    items: list[ClusterCard]
    scope_note: str | None = None
