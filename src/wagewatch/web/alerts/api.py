"""API: the warning list."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from wagewatch.web.alerts.schemas import WarningChoices, WarningFilter, WarningPage
from wagewatch.web.alerts.service import list_warnings, warning_choices
from wagewatch.web.context import CurrentUser, Db, Rb

__all__ = ["router"]

router = APIRouter(tags=["预警"])


@router.get("/warnings", response_model=WarningPage, summary="预警列表")
def warnings(
    db: Db, user: CurrentUser, rb: Rb, f: Annotated[WarningFilter, Query()]
) -> WarningPage:
    """Current warnings in scope, with the same filters, sort and paging as the page."""
    return list_warnings(db, user, rb, f)


@router.get("/warnings/choices", response_model=WarningChoices, summary="预警列表筛选项")
def choices(
    db: Db,
    user: CurrentUser,
    rb: Rb,
    rulebook: Annotated[
        str | None,
        Query(max_length=60, pattern=r"^[A-Za-z0-9_\-]+$", description="预警规则代码"),
    ] = None,
) -> WarningChoices:
    """The rulebooks, that rulebook's levels, the statuses, townships and industries offered."""
    return warning_choices(db, user, rb, rulebook)
