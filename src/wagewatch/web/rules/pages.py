"""Pages: the active rulebook, and the level colours as CSS."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from wagewatch.web.context import CurrentUser, Rb
from wagewatch.web.rules.service import describe_rulebook, level_css
from wagewatch.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/rules")
def rules_page(request: Request, user: CurrentUser, rb: Rb) -> Response:
    """Levels, criteria with their seed clauses and readings, disposal steps."""
    return render(request, "rules.html", {"rb": describe_rulebook(rb)}, active="rules")


@router.get("/levels.css")
def levels_css(rb: Rb) -> Response:
    """`.lv-<code>` classes with each level's colour (so no inline style is needed)."""
    return Response(
        level_css(rb), media_type="text/css", headers={"cache-control": "public, max-age=300"}
    )
