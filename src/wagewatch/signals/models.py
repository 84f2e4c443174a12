"""Import batches and the entity-resolution review queue in the operational database.

A batch row is the commit point of an import: a Parquet file in the lake without its batch
row does not exist (the facts engine reads only files named by committed batches).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from wagewatch.db.base import Base, JSONType, utcnow

__all__ = ["ImportBatch", "ReviewItem"]


class ImportBatch(Base):
    """One imported file: its kind, content hash, counts and where its rows are."""

    __tablename__ = "import_batches"
    __table_args__ = (UniqueConstraint("kind", "content_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    file_name: Mapped[str] = mapped_column(String(300))
    content_hash: Mapped[str] = mapped_column(String(64))
    encoding: Mapped[str | None] = mapped_column(String(20))
    rows_in: Mapped[int] = mapped_column(Integer)
    rows_imported: Mapped[int] = mapped_column(Integer)
    rows_rejected: Mapped[int] = mapped_column(Integer)
    rows_review: Mapped[int] = mapped_column(Integer, default=0)
    enterprises_created: Mapped[int] = mapped_column(Integer, default=0)
    lake_path: Mapped[str | None] = mapped_column(String(500))
    rejected_path: Mapped[str | None] = mapped_column(String(500))
    imported_by: Mapped[str] = mapped_column(String(100), default="system")
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    summary: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)


class ReviewItem(Base):
    """A row whose enterprise could not be decided automatically: candidates, never a guess."""

    __tablename__ = "review_items"
    __table_args__ = (UniqueConstraint("batch_id", "row_no"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"), index=True)
    row_no: Mapped[int] = mapped_column(Integer)
    credit_code: Mapped[str | None] = mapped_column(String(40))
    name: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text, default="")
    candidates: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    best_score: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"))
    resolved_by: Mapped[str | None] = mapped_column(String(100))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
