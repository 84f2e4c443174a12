"""Pages: the warning list and its Excel export."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from wagewatch.auth.service import can
from wagewatch.web.alerts.schemas import SORTS, WarningFilter
from wagewatch.web.alerts.service import (
    export_warnings,
    list_warnings,
    resolve_rulebook,
    warning_choices,
)
from wagewatch.web.clusters.service import cluster_board
from wagewatch.web.common import CHINA, client_source
from wagewatch.web.context import CurrentUser, Db, Rb
from wagewatch.web.rules.service import level_css
from wagewatch.web.templating import render

__all__ = ["XLSX", "router"]

router = APIRouter(include_in_schema=False)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/warnings")
def warnings_page(
    request: Request, db: Db, user: CurrentUser, rb: Rb, f: Annotated[WarningFilter, Query()]
) -> Response:
    """The filtered, sorted, paged warning list (htmx asks for the table alone, and gets
    the chosen rulebook's level choices and cluster board out of band)."""
    page = list_warnings(db, user, rb, f)
    partial = (
        request.headers.get("hx-request") == "true"
        and request.headers.get("hx-target") == "results"
        and not request.headers.get("hx-history-restore-request")
    )
    context = {
        "page": page,
        "f": page.filter,
        "choices": warning_choices(db, user, rb, f.rulebook),
        "sorts": SORTS,
        "can_export": can(user, "reports.export"),
        "clusters": cluster_board(db, user, resolve_rulebook(db, rb, f.rulebook)),
        "partial": partial,
    }
    template = "warnings/_results.html" if partial else "warnings/list.html"
    return render(request, template, context, active="warnings")


@router.get("/warnings/levels.css")
def warnings_levels_css(
    db: Db, user: CurrentUser, rb: Rb, f: Annotated[WarningFilter, Query()]
) -> Response:
    """`.lv-<code>` colours of the rulebook the list shows (the page's /levels.css has the
    active one's): linked by the list when another rulebook is chosen."""
    chosen = resolve_rulebook(db, rb, f.rulebook)
    return Response(
        level_css(chosen), media_type="text/css", headers={"cache-control": "private, max-age=300"}
    )


@router.get("/warnings/export.xlsx")
def warnings_export(
    request: Request, db: Db, user: CurrentUser, rb: Rb, f: Annotated[WarningFilter, Query()]
) -> Response:
    """The current filter as an Excel file, masked as the user sees it."""
    data, _ = export_warnings(db, user, rb, f, source=client_source(request))
    name = f"预警列表-{datetime.now(CHINA):%Y%m%d-%H%M}.xlsx"
    disposition = f"attachment; filename=\"warnings.xlsx\"; filename*=UTF-8''{quote(name)}"
    return Response(data, media_type=XLSX, headers={"content-disposition": disposition})
