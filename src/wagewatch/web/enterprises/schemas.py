"""Enterprise file views; personal fields are masked unless an audited unmasking asked."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from wagewatch.web.rules.schemas import ActionPublic, LevelPublic, ReasonPublic

__all__ = [
    "EnterpriseFile",
    "EnterprisePublic",
    "FactPublic",
    "HistoryEntry",
    "SourceRow",
    "UnmaskIn",
    "WarningDetail",
]


class EnterprisePublic(BaseModel):
    """Registry data of one enterprise (contact phone masked unless unmasked)."""

    id: int
    name: str
    credit_code: str | None
    code_checksum_ok: bool
    township: str | None
    industry: str | None
    employees: int | None
    legal_representative: str | None
    contact_phone: str | None
    address: str | None
    outsourcing: bool | None
    pii_clear: bool = False


class FactPublic(BaseModel):
    """One fact of the snapshot with its Chinese label."""

    name: str
    label: str
    value: str
    raw: bool | int | float | str | None


class WarningDetail(BaseModel):
    """The current warning: level, every reason, lower criteria also matched, disposal."""

    level: LevelPublic
    reasons: list[ReasonPublic]
    also_matched: list[ReasonPublic]
    actions: list[ActionPublic]
    facts: list[FactPublic]
    rulebook_version: str
    as_of: date
    raised_at: datetime | None
    updated_at: datetime


class HistoryEntry(BaseModel):
    """One level change."""

    at: datetime
    as_of: date
    change: str
    change_name: str
    old_level: LevelPublic | None
    new_level: LevelPublic | None
    reasons: list[ReasonPublic]
    rulebook_version: str


class SourceRow(BaseModel):
    """One imported row about the enterprise: which file, which row, what kind, what date."""

    batch_id: int
    file_name: str
    kind: str
    kind_title: str
    row_no: int
    date: date | None
    imported_at: datetime
    match_method: str | None


class CaseBrief(BaseModel):
    """One of the enterprise's cases (台账), for the enterprise file."""

    id: int
    rulebook: str
    level_name: str | None
    state: str
    state_label: str
    lead_unit: str
    open_tasks: int
    opened_at: datetime
    closed_at: datetime | None


class EnterpriseFile(BaseModel):
    """Everything the enterprise file page shows."""

    enterprise: EnterprisePublic
    warning: WarningDetail | None
    history: list[HistoryEntry]
    sources: list[SourceRow]
    sources_truncated: bool
    can_unmask: bool
    cases: list[CaseBrief] = []


class UnmaskIn(BaseModel):
    """An explicit request to read the enterprise's personal fields in clear."""

    reason: str = Field(min_length=2, max_length=200, description="查看事由")
