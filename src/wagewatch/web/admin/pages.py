"""Pages: organisation units and accounts; creating an account."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from pydantic import ValidationError
from starlette.responses import RedirectResponse, Response

from wagewatch.auth.service import AccountError
from wagewatch.web.admin.schemas import UserCreate
from wagewatch.web.admin.service import admin_overview, create_account
from wagewatch.web.common import client_source
from wagewatch.web.context import CurrentUser, Db
from wagewatch.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/admin")
def admin_page(request: Request, db: Db, user: CurrentUser, created: str = "") -> Response:
    """Units and accounts."""
    context = {"overview": admin_overview(db, user), "error": None, "created": created}
    return render(request, "admin.html", context, active="admin")


@router.post("/admin/users")
def admin_create_user(
    request: Request,
    db: Db,
    user: CurrentUser,
    username: Annotated[str, Form(max_length=64)] = "",
    display_name: Annotated[str, Form(max_length=100)] = "",
    org_unit_id: Annotated[int, Form()] = 0,
) -> Response:
    """Create an account without role or password (the security administrator sets those)."""
    try:
        data = UserCreate(username=username, display_name=display_name, org_unit_id=org_unit_id)
        created = create_account(db, user, data, source=client_source(request))
    except (AccountError, ValidationError) as exc:
        message = str(exc) if isinstance(exc, AccountError) else "请填写用户名、姓名和所属机构。"
        context = {"overview": admin_overview(db, user), "error": message, "created": ""}
        return render(request, "admin.html", context, status_code=400, active="admin")
    return RedirectResponse(f"/admin?created={created.username}", status_code=303)
