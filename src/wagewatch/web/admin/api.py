"""API: organisation units and accounts."""

from __future__ import annotations

from fastapi import APIRouter

from wagewatch.web.admin.schemas import AdminOverview
from wagewatch.web.admin.service import admin_overview
from wagewatch.web.context import CurrentUser, Db

__all__ = ["router"]

router = APIRouter(tags=["系统管理"])


@router.get("/admin", response_model=AdminOverview, summary="组织机构和用户")
def overview(db: Db, user: CurrentUser) -> AdminOverview:
    """Units and accounts (system, security administrators)."""
    return admin_overview(db, user)
