"""Review queue views: one pending row with its candidates, the queue, a decision."""

from __future__ import annotations

from pydantic import BaseModel

__all__ = ["ReviewCandidate", "ReviewDecision", "ReviewQueue", "ReviewRow"]


class ReviewCandidate(BaseModel):
    """A registry enterprise the row may mean, with the name-match score (0–100)."""

    enterprise_id: int
    name: str
    score: float | None
    credit_code: str | None
    township: str | None
    industry: str | None


class ReviewRow(BaseModel):
    """One pending row: where it came from, what it says, why it waits, who it may be."""

    id: int
    batch_id: int
    file_name: str
    row_no: int
    name: str | None
    credit_code: str | None
    reason: str
    candidates: list[ReviewCandidate]


class ReviewQueue(BaseModel):
    """The pending rows (oldest first) and what the user may do with them."""

    items: list[ReviewRow]
    total: int
    can_create: bool


class ReviewDecision(BaseModel):
    """The enterprise a row was settled on, and its level after re-grading."""

    item_id: int
    enterprise_id: int
    enterprise_name: str
    created: bool
    level: str | None
