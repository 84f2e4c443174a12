"""Views of the ledger for pages and the API: never ORM rows, personal data already masked."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from wagewatch.web.forms import FilterForm
from wagewatch.web.rules.schemas import LevelPublic

__all__ = [
    "CaseDetail",
    "CaseFilter",
    "CasePage",
    "CaseRow",
    "ComplaintDetail",
    "ComplaintRow",
    "EventPublic",
    "InboxItem",
    "InspectionItemRow",
    "InspectionListRow",
    "RemedyPublic",
    "TaskPublic",
]


class TaskPublic(BaseModel):
    """A task with its due clock."""

    id: int
    case_id: int | None
    case_title: str = ""
    kind: str
    title: str
    assignee: str
    unit_name: str
    clause: str
    status: str
    status_label: str
    due_at: datetime | None
    due_basis: str
    due_label: str  # 剩余 3 小时 / 已逾期 2 天 / 规则未设时限
    overdue: bool
    calendar_warning: str | None
    escalation: int
    completed_at: datetime | None
    completed_by: str | None
    result: str | None
    can_complete: bool = False


class EventPublic(BaseModel):
    """One history entry."""

    at: datetime
    actor: str
    kind: str
    kind_label: str
    text: str
    from_state: str | None
    to_state: str | None


class RemedyPublic(BaseModel):
    """A remedy or referral recorded on a case."""

    id: int
    kind: str
    label: str
    fields: list[tuple[str, str]]
    document_name: str | None
    recorded_by: str
    recorded_at: datetime


class CaseFilter(FilterForm):
    """The ledger's filter."""

    state: str | None = Field(
        None, description="状态：verifying/handling/closure_requested/closed/transferred"
    )
    level: str | None = Field(None, description="预警等级代码")
    township: str | None = Field(None, description="所属镇街")
    mine: bool = Field(False, description="只看本单位牵头的台账")
    q: str | None = Field(None, max_length=100, description="企业名称")
    sort: Literal["level", "opened", "updated"] = "level"
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(20, ge=1, le=200)


class CaseRow(BaseModel):
    """One case in the ledger."""

    id: int
    title: str
    enterprise_id: int | None
    cluster: str | None
    township: str | None
    industry: str | None
    level: LevelPublic | None
    state: str
    state_label: str
    lead_unit: str
    open_tasks: int
    overdue_tasks: int
    next_due: datetime | None
    opened_at: datetime
    updated_at: datetime


class CasePage(BaseModel):
    """A page of the ledger."""

    items: list[CaseRow]
    total: int
    page: int
    page_size: int
    pages: int
    counts: dict[str, int]


class CaseDetail(BaseModel):
    """Everything the case page shows, with what the user may do."""

    row: CaseRow
    version: int
    rulebook_title: str
    routing_clause: str
    assisting_units: list[str]
    leader: str | None
    reasons: list[dict[str, Any]]
    facts: list[tuple[str, str]]
    arrears_facts: str | None
    liable_party: str | None
    arrears_cause: str | None
    resolution: dict[str, Any] | None
    investigation_clause: str | None
    tasks: list[TaskPublic]
    events: list[EventPublic]
    remedies: list[RemedyPublic]
    form: dict[str, Any] | None
    reopened: int
    can_write: bool
    can_supervise: bool
    actions: list[str]
    remedy_kinds: list[dict[str, Any]]
    legal_outcomes: dict[str, str]
    leaders: list[tuple[int, str]]


class ComplaintRow(BaseModel):
    """One complaint (personal fields masked unless read in clear with a reason)."""

    id: int
    ref: str
    received_via: str
    received_at: datetime
    enterprise_name: str
    enterprise_id: int | None
    township: str | None
    complainant_name: str | None
    complainant_phone: str | None
    status: str
    status_label: str
    registered_unit: str
    handling_unit: str
    due_label: str
    overdue: bool


class ComplaintDetail(BaseModel):
    """A complaint with its history and what the user may do."""

    row: ComplaintRow
    version: int
    text: str
    complainant_id_number: str | None
    months_owed: str | None
    workers: int | None
    amount: str | None
    case_id: int | None
    due_accept: datetime | None
    due_respond: datetime | None
    due_close: datetime | None
    calendar_warning: str | None
    response: str | None
    outcome: str | None
    events: list[EventPublic]
    clear: bool
    can_acknowledge: bool
    can_handle: bool
    can_transfer: bool
    can_unmask: bool
    units: list[tuple[int, str]]


class InspectionListRow(BaseModel):
    """A directed inspection list with its progress."""

    id: int
    title: str
    source_office: str
    condition: str
    created_by: str
    created_at: datetime
    total: int
    done: int
    found: int


class InspectionItemRow(BaseModel):
    """One enterprise of a list and its visit result."""

    id: int
    enterprise_id: int
    enterprise_name: str
    township: str | None
    status: str
    due_at: datetime | None
    due_label: str
    overdue: bool
    visit_date: str | None
    inspector: str | None
    found_arrears: bool | None
    settled: bool | None
    summary: str
    can_feedback: bool


class InboxItem(BaseModel):
    """A message in the inbox."""

    id: int
    title: str
    body: str
    link: str
    event: str
    due_at: datetime | None
    created_at: datetime
    read: bool
