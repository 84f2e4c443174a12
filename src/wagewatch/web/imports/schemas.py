"""Import views: one past batch, and the summary of an upload."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

__all__ = ["ImportBatchPublic", "ImportSummary", "KindChoice", "RowErrorPublic"]


class KindChoice(BaseModel):
    """A source kind the upload form offers."""

    key: str
    title: str
    description: str


class ImportBatchPublic(BaseModel):
    """One committed import batch and who imported it."""

    id: int
    kind: str
    kind_title: str
    file_name: str
    rows_in: int
    rows_imported: int
    rows_rejected: int
    rows_review: int
    enterprises_created: int
    imported_by: str
    imported_by_name: str
    imported_at: datetime
    rejected_url: str | None


class RowErrorPublic(BaseModel):
    """One rejected cell or row: row number, column, value (masked if personal), reason."""

    row: int
    column: str
    value: str
    reason: str


class ImportSummary(BaseModel):
    """What an upload did: rows in = imported + rejected, with the reasons."""

    status: str  # imported | duplicate | failed
    status_label: str
    message: str
    file: str
    kind: str | None
    kind_title: str | None
    batch_id: int | None
    rows_in: int
    imported: int
    rejected: int
    review: int
    duplicates: int
    enterprises_created: int
    errors: list[RowErrorPublic]
    errors_total: int
    rejected_url: str | None
    regraded: int
    changes: dict[str, int]
