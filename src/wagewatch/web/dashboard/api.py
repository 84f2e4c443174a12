"""API: dashboard statistics."""

from __future__ import annotations

from fastapi import APIRouter

from wagewatch.web.context import CurrentUser, Db, Rb
from wagewatch.web.dashboard.schemas import DashboardStats
from wagewatch.web.dashboard.service import dashboard_stats

__all__ = ["router"]

router = APIRouter(tags=["首页"])


@router.get("/dashboard", response_model=DashboardStats, summary="首页统计")
def dashboard(db: Db, user: CurrentUser, rb: Rb) -> DashboardStats:
    """Warnings by level, this week's changes, the monthly trend and bar charts, in scope."""
    return dashboard_stats(db, user, rb)
