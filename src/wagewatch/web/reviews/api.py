"""API: the review queue (district-wide importers)."""

from __future__ import annotations

from fastapi import APIRouter

from wagewatch.web.context import CurrentUser, Db
from wagewatch.web.reviews.schemas import ReviewQueue
from wagewatch.web.reviews.service import review_queue

__all__ = ["router"]

router = APIRouter(tags=["待核对"])


@router.get("/reviews", response_model=ReviewQueue, summary="待核对事项")
def reviews(db: Db, user: CurrentUser) -> ReviewQueue:
    """The pending rows whose enterprise must be decided, with candidates and scores."""
    return review_queue(db, user)
