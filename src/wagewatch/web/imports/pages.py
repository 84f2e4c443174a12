"""Pages: upload a file, see what the import did, list batches, download rejected rows."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from starlette.responses import FileResponse, Response

from wagewatch.auth.service import can, require
from wagewatch.web.common import client_source
from wagewatch.web.context import CurrentUser, Db, Rb, web_state
from wagewatch.web.imports.schemas import ImportSummary
from wagewatch.web.imports.service import kind_choices, list_batches, rejected_file, run_import
from wagewatch.web.imports.upload import UploadRefused, saved_upload
from wagewatch.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _page(
    request: Request,
    db: Db,
    user: CurrentUser,
    *,
    summary: ImportSummary | None = None,
    error: str | None = None,
    kind: str = "",
    status_code: int = 200,
) -> Response:
    context = {
        "kinds": kind_choices(),
        "batches": list_batches(db, user),
        "can_upload": can(user, "imports.create"),
        "summary": summary,
        "error": error,
        "kind": kind,
    }
    return render(request, "imports.html", context, status_code=status_code, active="imports")


@router.get("/imports")
def imports_page(request: Request, db: Db, user: CurrentUser) -> Response:
    """The upload form and the past batches."""
    return _page(request, db, user)


@router.post("/imports")
def imports_upload(
    request: Request,
    db: Db,
    user: CurrentUser,
    rb: Rb,
    file: Annotated[UploadFile | None, File()] = None,
    kind: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """Import the uploaded file as one batch, re-grade what it touched, show the summary."""
    require(user, "imports.create")
    try:
        with saved_upload(file) as (path, name):
            summary = run_import(
                db,
                user,
                rb,
                path,
                kind=kind or None,
                display_name=name,
                settings=web_state(request).settings,
                source=client_source(request),
            )
    except UploadRefused as exc:
        return _page(request, db, user, error=str(exc), kind=kind, status_code=400)
    return _page(request, db, user, summary=summary, kind=kind)


@router.get("/imports/{batch_id}/rejected")
def imports_rejected(request: Request, db: Db, user: CurrentUser, batch_id: int) -> Response:
    """Download the rejected rows of a batch (its importer only), as CSV."""
    path = rejected_file(
        db, user, batch_id, web_state(request).settings, source=client_source(request)
    )
    return FileResponse(path, media_type="text/csv; charset=utf-8", filename=path.name)
