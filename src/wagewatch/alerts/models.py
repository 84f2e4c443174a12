"""The current warning of each subject and the history of every level change."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from wagewatch.db.base import Base, JSONType, utcnow

__all__ = ["Warning", "WarningChange"]


class Warning(Base):  # noqa: A001 (the domain word; never imported as a bare name)
    """The current warning (预警) of one enterprise or industry cluster under one rulebook."""

    __tablename__ = "warnings"
    __table_args__ = (UniqueConstraint("rulebook", "subject_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rulebook: Mapped[str] = mapped_column(String(60), index=True)
    subject_key: Mapped[str] = mapped_column(String(120))
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    cluster: Mapped[str | None] = mapped_column(String(100))
    level: Mapped[str | None] = mapped_column(String(40), index=True)
    level_name: Mapped[str | None] = mapped_column(String(60))
    level_rank: Mapped[int] = mapped_column(Integer, default=-1, index=True)
    reasons: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    also_matched: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    facts: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    rulebook_version: Mapped[str] = mapped_column(String(20))
    as_of: Mapped[date] = mapped_column(Date)
    raised_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class WarningChange(Base):
    """One level change: old and new level, reasons, facts snapshot, rulebook version, time."""

    __tablename__ = "warning_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    warning_id: Mapped[int] = mapped_column(ForeignKey("warnings.id"), index=True)
    change: Mapped[str] = mapped_column(String(20), index=True)
    old_level: Mapped[str | None] = mapped_column(String(40))
    new_level: Mapped[str | None] = mapped_column(String(40))
    reasons: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    facts: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    rulebook_version: Mapped[str] = mapped_column(String(20))
    as_of: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
