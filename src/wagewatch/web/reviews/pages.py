"""Pages: the review queue and its two decisions (district-wide importers)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from wagewatch.auth.models import User
from wagewatch.enterprises.service import ReviewError
from wagewatch.web.common import client_source
from wagewatch.web.context import CurrentUser, Db, Rb
from wagewatch.web.reviews.schemas import ReviewDecision
from wagewatch.web.reviews.service import confirm_review, register_from_review, review_queue
from wagewatch.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _page(
    request: Request,
    db: Session,
    user: User,
    *,
    error: str | None = None,
    decided: ReviewDecision | None = None,
    status_code: int = 200,
) -> Response:
    context: dict[str, Any] = {
        "queue": review_queue(db, user),
        "error": error,
        "decided": decided,
    }
    return render(request, "reviews.html", context, status_code=status_code, active="reviews")


@router.get("/reviews")
def reviews_page(request: Request, db: Db, user: CurrentUser) -> Response:
    """The pending rows with their candidates."""
    return _page(request, db, user)


@router.post("/reviews/{item_id}/confirm")
def reviews_confirm(
    request: Request,
    db: Db,
    user: CurrentUser,
    rb: Rb,
    item_id: int,
    enterprise_id: Annotated[int, Form()],
) -> Response:
    """Tie a row to a candidate (the written name is remembered), then re-grade it."""
    try:
        decided = confirm_review(
            db, user, rb, item_id, enterprise_id, source=client_source(request)
        )
    except ReviewError as exc:
        return _page(request, db, user, error=str(exc), status_code=400)
    return _page(request, db, user, decided=decided)


@router.post("/reviews/{item_id}/create")
def reviews_create(request: Request, db: Db, user: CurrentUser, rb: Rb, item_id: int) -> Response:
    """Register the row's enterprise as a new one, then grade it."""
    try:
        decided = register_from_review(db, user, rb, item_id, source=client_source(request))
    except ReviewError as exc:
        return _page(request, db, user, error=str(exc), status_code=400)
    return _page(request, db, user, decided=decided)
