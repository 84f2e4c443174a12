"""Page: the dashboard (首页驾驶舱)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from wagewatch.auth.service import can
from wagewatch.cases.service import state_counts
from wagewatch.notify.service import unread_count
from wagewatch.web.cases.service import task_views
from wagewatch.web.clusters.service import cluster_board
from wagewatch.web.context import CurrentUser, Db, Rb
from wagewatch.web.dashboard.service import dashboard_stats
from wagewatch.web.session.service import home_path
from wagewatch.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/")
def dashboard(request: Request, db: Db, user: CurrentUser, rb: Rb) -> Response:
    """The dashboard; administrators, who see no business data, go to their own page."""
    if not can(user, "warnings.read"):
        return RedirectResponse(home_path(user), status_code=303)
    stats = dashboard_stats(db, user, rb)
    context: dict[str, object] = {"stats": stats, "clusters": cluster_board(db, user, rb)}
    if can(user, "cases.read"):
        context["overdue"] = task_views(db, user, only_overdue=True, only_mine=False, limit=10)
        context["case_counts"] = state_counts(db, user)
        context["unread"] = unread_count(db, user)
    return render(request, "dashboard.html", context, active="dashboard")
