"""The case ledger (台账): cases, their history, tasks, remedies, complaints, inspections.

A case is one enterprise's (or one 宣恩 industry cluster's) open matter under one rulebook.
Every change to it is a `CaseEvent`; every disposal step of the rulebook is a `Task` with its
due time; remedies and referrals are `Remedy` rows. `version` is checked on every update so
two officers editing one case never lose an update silently (optimistic locking).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wagewatch.db.base import Base, JSONType, utcnow

__all__ = [
    "Case",
    "CaseEvent",
    "Complaint",
    "HolidayDay",
    "InspectionItem",
    "InspectionList",
    "Remedy",
    "Task",
]


class Case(Base):
    """One matter in the ledger: subject, level, state, lead and assisting offices, record."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rulebook: Mapped[str] = mapped_column(String(60), index=True)
    warning_id: Mapped[int | None] = mapped_column(ForeignKey("warnings.id"), index=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    cluster: Mapped[str | None] = mapped_column(String(100))
    # Copied from the enterprise (or the cluster's townships) so scoping needs no join.
    township: Mapped[str | None] = mapped_column(String(100), index=True)
    townships: Mapped[list[str]] = mapped_column(JSONType, default=list)
    industry: Mapped[str | None] = mapped_column(String(100), index=True)
    title: Mapped[str] = mapped_column(String(300))
    level: Mapped[str | None] = mapped_column(String(40), index=True)
    level_name: Mapped[str | None] = mapped_column(String(60))
    level_rank: Mapped[int] = mapped_column(Integer, default=-1)
    state: Mapped[str] = mapped_column(String(30), index=True)
    lead_office: Mapped[str] = mapped_column(String(40))
    lead_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    assisting_unit_ids: Mapped[list[int]] = mapped_column(JSONType, default=list)
    routing_clause: Mapped[str] = mapped_column(Text, default="")
    leader_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # 一案多查: the facts of the arrears, the liable party and the cause.
    arrears_facts: Mapped[str | None] = mapped_column(Text)
    liable_party: Mapped[str | None] = mapped_column(Text)
    arrears_cause: Mapped[str | None] = mapped_column(Text)
    # wages_paid {amount, workers} or a legal outcome {outcome, document_no}.
    resolution: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    form_values: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    reopened: Mapped[int] = mapped_column(Integer, default=0)
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closure_requested_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}

    tasks: Mapped[list[Task]] = relationship(
        back_populates="case", order_by="Task.id", lazy="selectin"
    )


class CaseEvent(Base):
    """One entry of a case's (or complaint's) history: who did what, when, from which state."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor: Mapped[str] = mapped_column(String(100), default="系统")
    kind: Mapped[str] = mapped_column(String(40), index=True)
    from_state: Mapped[str | None] = mapped_column(String(30))
    to_state: Mapped[str | None] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)


class Task(Base):
    """A disposal step with an owner unit and a due time (from a rulebook action or a list)."""

    __tablename__ = "tasks"
    __table_args__ = (UniqueConstraint("key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Stable identity (e.g. "case:12:baoshan:red:0", "monthly:12:2026-11") so syncing is idempotent.
    key: Mapped[str] = mapped_column(String(120))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    title: Mapped[str] = mapped_column(String(300))
    assignee: Mapped[str] = mapped_column(String(100), default="")
    office: Mapped[str] = mapped_column(String(40))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    clause: Mapped[str] = mapped_column(Text, default="")
    level: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    due_basis: Mapped[str] = mapped_column(String(60), default="")
    calendar_warning: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    completed_by: Mapped[str | None] = mapped_column(String(100))
    result: Mapped[str | None] = mapped_column(Text)
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    escalation: Mapped[int] = mapped_column(Integer, default=0)
    escalated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    case: Mapped[Case | None] = relationship(back_populates="tasks")


class Remedy(Base):
    """A remedy or referral on a case: blacklist, fund advance, referral, transfer, report."""

    __tablename__ = "remedies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    fields: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    document_name: Mapped[str | None] = mapped_column(String(300))
    document_path: Mapped[str | None] = mapped_column(String(500))
    document_sha256: Mapped[str | None] = mapped_column(String(64))
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Complaint(Base):
    """A complaint registered under 首问负责制, with its transfer and time limits."""

    __tablename__ = "complaints"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    received_via: Mapped[str] = mapped_column(String(20))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    enterprise_name: Mapped[str] = mapped_column(String(200))
    credit_code: Mapped[str | None] = mapped_column(String(40))
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    township: Mapped[str | None] = mapped_column(String(100), index=True)
    industry: Mapped[str | None] = mapped_column(String(100))
    complainant_name: Mapped[str | None] = mapped_column(String(100))
    complainant_phone: Mapped[str | None] = mapped_column(String(40))
    complainant_id_number: Mapped[str | None] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    months_owed: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    workers: Mapped[int | None] = mapped_column(Integer)
    amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    registered_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    registered_by: Mapped[str] = mapped_column(String(100))
    handling_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    status: Mapped[str] = mapped_column(String(30), index=True)
    transferred_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    acknowledged_by: Mapped[str | None] = mapped_column(String(100))
    responded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    due_accept: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    due_respond: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    due_close: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    calendar_warning: Mapped[str | None] = mapped_column(Text)
    response: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(Text)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}


class InspectionList(Base):
    """A directed inspection list (定向排查): a filter over facts, pushed to the townships."""

    __tablename__ = "inspection_lists"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    source_office: Mapped[str] = mapped_column(String(100))
    condition: Mapped[str] = mapped_column(Text)
    as_of: Mapped[date] = mapped_column(Date)
    due_working_days: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class InspectionItem(Base):
    """One enterprise of an inspection list, its township task and the visit's result."""

    __tablename__ = "inspection_items"
    __table_args__ = (UniqueConstraint("list_id", "enterprise_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("inspection_lists.id"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    township: Mapped[str | None] = mapped_column(String(100), index=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"))
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    visit_date: Mapped[date | None] = mapped_column(Date)
    inspector: Mapped[str | None] = mapped_column(String(100))
    found_arrears: Mapped[bool | None] = mapped_column(Boolean)
    months_owed: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    workers: Mapped[int | None] = mapped_column(Integer)
    amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    settled: Mapped[bool | None] = mapped_column(Boolean)
    notes: Mapped[str | None] = mapped_column(Text)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))
    recorded_by: Mapped[str | None] = mapped_column(String(100))
    recorded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class HolidayDay(Base):
    """A day of the bureau's loaded official 放假/调休 list (wins over the library)."""

    __tablename__ = "holiday_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    workday: Mapped[bool] = mapped_column(Boolean)
    name: Mapped[str] = mapped_column(String(60), default="")
    loaded_by: Mapped[str] = mapped_column(String(100), default="system")
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
