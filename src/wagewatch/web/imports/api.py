"""API: import batches and uploads."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile

from wagewatch.auth.service import require
from wagewatch.web.common import client_source
from wagewatch.web.context import CurrentUser, Db, Rb, web_state
from wagewatch.web.imports.schemas import ImportBatchPublic, ImportSummary, KindChoice
from wagewatch.web.imports.service import kind_choices, list_batches, run_import
from wagewatch.web.imports.upload import UploadRefused, saved_upload

__all__ = ["router"]

router = APIRouter(tags=["数据导入"])


@router.get("/imports", response_model=list[ImportBatchPublic], summary="导入批次")
def imports(db: Db, user: CurrentUser) -> list[ImportBatchPublic]:
    """Past batches: all for district-wide roles, one's own uploads for the others."""
    return list_batches(db, user)


@router.get("/imports/kinds", response_model=list[KindChoice], summary="数据来源类型")
def kinds(user: CurrentUser) -> list[KindChoice]:
    """The source kinds a file can be imported as."""
    return kind_choices()


@router.post("/imports", response_model=ImportSummary, summary="导入文件")
def upload(
    request: Request,
    db: Db,
    user: CurrentUser,
    rb: Rb,
    file: Annotated[UploadFile | None, File()] = None,
    kind: Annotated[str, Form(max_length=40)] = "",
) -> ImportSummary:
    """Import one file as one batch and re-grade the enterprises it touched."""
    require(user, "imports.create")
    try:
        with saved_upload(file) as (path, name):
            return run_import(
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
        raise HTTPException(400, str(exc)) from exc
