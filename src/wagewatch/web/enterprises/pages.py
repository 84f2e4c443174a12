"""Pages: the enterprise file, and reading its personal fields in clear (POST with a reason)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from starlette.responses import Response

from wagewatch.web.common import client_source
from wagewatch.web.context import CurrentUser, Db, Rb
from wagewatch.web.enterprises.service import enterprise_file
from wagewatch.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/enterprises/{enterprise_id}")
def enterprise_page(
    request: Request,
    db: Db,
    user: CurrentUser,
    rb: Rb,
    enterprise_id: int,
    kinds: Annotated[list[str] | None, Query()] = None,
) -> Response:
    """The enterprise file (403 outside the user's scope, before anything is read);
    `?kinds=complaints,inspections` narrows the source rows to those kinds."""
    file = enterprise_file(db, user, rb, enterprise_id, kinds=kinds)
    return render(request, "enterprise.html", {"file": file}, active="warnings")


@router.post("/enterprises/{enterprise_id}/unmask")
def enterprise_unmask(
    request: Request,
    db: Db,
    user: CurrentUser,
    rb: Rb,
    enterprise_id: int,
    reason: Annotated[str, Form(min_length=2, max_length=200)],
) -> Response:
    """The enterprise file with its personal fields in clear (pii.unmask; audited)."""
    file = enterprise_file(
        db, user, rb, enterprise_id, unmask_reason=reason, source=client_source(request)
    )
    return render(request, "enterprise.html", {"file": file}, active="warnings")
