"""Pages: the audit log, its chain check and its Excel export (audit administrator only)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from wagewatch.auth.service import can
from wagewatch.web.alerts.pages import XLSX
from wagewatch.web.audit.schemas import AuditFilter
from wagewatch.web.audit.service import (
    audit_choices,
    check_chain,
    export_audit_xlsx,
    list_audit_page,
)
from wagewatch.web.common import CHINA, client_source
from wagewatch.web.context import CurrentUser, Db
from wagewatch.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/audit")
def audit_page(
    request: Request,
    db: Db,
    user: CurrentUser,
    f: Annotated[AuditFilter, Query()],
    verify: bool = False,
) -> Response:
    """The filtered, paged audit log; `verify=1` also checks the hash chain."""
    page = list_audit_page(db, user, f)
    context = {
        "page": page,
        "f": page.filter,
        "choices": audit_choices(user),
        "chain": check_chain(db, user) if verify else None,
        "can_export": can(user, "audit.export"),
    }
    return render(request, "audit.html", context, active="audit")


@router.get("/audit/export.xlsx")
def audit_export(
    request: Request, db: Db, user: CurrentUser, f: Annotated[AuditFilter, Query()]
) -> Response:
    """The current filter as an Excel file (the export is itself audited)."""
    data, _ = export_audit_xlsx(db, user, f, source=client_source(request))
    name = f"审计日志-{datetime.now(CHINA):%Y%m%d-%H%M}.xlsx"
    disposition = f"attachment; filename=\"audit.xlsx\"; filename*=UTF-8''{quote(name)}"
    return Response(data, media_type=XLSX, headers={"content-disposition": disposition})
