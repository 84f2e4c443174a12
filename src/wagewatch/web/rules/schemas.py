"""Rulebook views: levels, criteria (condition, seed text, reading) and disposal actions."""

from __future__ import annotations

from pydantic import BaseModel

__all__ = [
    "ActionPublic",
    "CriterionPublic",
    "LevelActions",
    "LevelPublic",
    "ReasonPublic",
    "RulebookPublic",
]


class LevelPublic(BaseModel):
    """A warning level with its Chinese name and colour."""

    code: str
    name: str
    colour: str
    rank: int
    description: str = ""


class ReasonPublic(BaseModel):
    """A criterion that fired: id, seed clause, and the rulebook's condition and reading."""

    criterion: str
    text: str
    condition: str = ""
    reading: str = ""


class CriterionPublic(BaseModel):
    """One criterion of the rulebook."""

    id: str
    level: str
    level_name: str
    condition: str
    text: str
    reading: str
    manual: bool


class ActionPublic(BaseModel):
    """One disposal step: task, who does it, deadline and the clause that sets it."""

    task: str
    assignee: str
    office: str
    clause: str
    due: str
    due_hours: float | None = None
    due_working_days: int | None = None
    recurrence: str | None = None
    note: str = ""


class LevelActions(BaseModel):
    """The disposal steps of one level (or of every level: code `any`)."""

    level: str
    level_name: str
    actions: list[ActionPublic]


class RulebookPublic(BaseModel):
    """The active rulebook."""

    name: str
    title: str
    jurisdiction: str
    version: str
    subject: str
    seed_document: str
    seed_clause: str
    notes: str
    levels: list[LevelPublic]
    criteria: list[CriterionPublic]
    actions: list[LevelActions]
