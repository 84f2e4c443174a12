"""Pages: organisation units and accounts; creating an account; the security actions."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from wagewatch.auth.models import User
from wagewatch.auth.service import AccountError
from wagewatch.web.admin.schemas import LockForm, PasswordReset, UnmaskForm, UserCreate
from wagewatch.web.admin.service import (
    admin_overview,
    assign_user_role,
    create_account,
    grant_user_unmask,
    lock_account,
    reset_user_password,
    revoke_user_unmask,
    unlock_account,
)
from wagewatch.web.common import client_source
from wagewatch.web.context import CurrentUser, Db
from wagewatch.web.templating import render

__all__ = ["DONE_MESSAGES", "router"]

router = APIRouter(include_in_schema=False)

# What a redirect after a security action says (the key travels in ?done=).
DONE_MESSAGES = {
    "role": "已分配角色。",
    "lock": "已锁定账号，其会话已全部结束。",
    "unlock": "已解锁账号。",
    "unmask": "已授予个人信息查看权限。",
    "unmask_revoke": "已收回个人信息查看权限。",
}


def _page(
    request: Request,
    db: Session,
    user: User,
    *,
    error: str | None = None,
    created: str = "",
    done: str = "",
    reset: PasswordReset | None = None,
    status_code: int = 200,
) -> Response:
    context: dict[str, Any] = {
        "overview": admin_overview(db, user),
        "error": error,
        "created": created,
        "done": DONE_MESSAGES.get(done, ""),
        "reset": reset,
    }
    return render(request, "admin.html", context, status_code=status_code, active="admin")


def _done(key: str) -> Response:
    return RedirectResponse(f"/admin?done={key}", status_code=303)


@router.get("/admin")
def admin_page(
    request: Request, db: Db, user: CurrentUser, created: str = "", done: str = ""
) -> Response:
    """Units and accounts."""
    return _page(request, db, user, created=created, done=done)


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
        return _page(request, db, user, error=message, status_code=400)
    return RedirectResponse(f"/admin?created={created.username}", status_code=303)


@router.post("/admin/users/{user_id}/role")
def admin_assign_role(
    request: Request,
    db: Db,
    user: CurrentUser,
    user_id: int,
    role: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """Give an account a business role, or none (security administrator)."""
    try:
        assign_user_role(db, user, user_id, role, source=client_source(request))
    except AccountError as exc:
        return _page(request, db, user, error=str(exc), status_code=400)
    return _done("role")


@router.post("/admin/users/{user_id}/password")
def admin_reset_password(request: Request, db: Db, user: CurrentUser, user_id: int) -> Response:
    """Reset an account's password and show the one-time password this once."""
    try:
        reset = reset_user_password(db, user, user_id, source=client_source(request))
    except AccountError as exc:
        return _page(request, db, user, error=str(exc), status_code=400)
    return _page(request, db, user, reset=reset)


@router.post("/admin/users/{user_id}/lock")
def admin_lock(
    request: Request,
    db: Db,
    user: CurrentUser,
    user_id: int,
    reason: Annotated[str, Form(max_length=200)] = "",
    until: Annotated[date | None, Form()] = None,
) -> Response:
    """Lock an account until the end of a day, or until unlocked (security administrator)."""
    try:
        data = LockForm(reason=reason.strip(), until=until)
        lock_account(db, user, user_id, data, source=client_source(request))
    except (AccountError, ValidationError) as exc:
        message = str(exc) if isinstance(exc, AccountError) else "锁定账号须说明原因。"
        return _page(request, db, user, error=message, status_code=400)
    return _done("lock")


@router.post("/admin/users/{user_id}/unlock")
def admin_unlock(request: Request, db: Db, user: CurrentUser, user_id: int) -> Response:
    """Unlock an account (security administrator)."""
    try:
        unlock_account(db, user, user_id, source=client_source(request))
    except AccountError as exc:
        return _page(request, db, user, error=str(exc), status_code=400)
    return _done("unlock")


@router.post("/admin/users/{user_id}/unmask")
def admin_grant_unmask(
    request: Request,
    db: Db,
    user: CurrentUser,
    user_id: int,
    reason: Annotated[str, Form(max_length=200)] = "",
    until: Annotated[date | None, Form()] = None,
) -> Response:
    """Grant the right to read personal data in clear until a day (security administrator)."""
    try:
        if until is None:
            raise AccountError("请填写授权截止日期")
        data = UnmaskForm(reason=reason.strip(), until=until)
        grant_user_unmask(db, user, user_id, data, source=client_source(request))
    except (AccountError, ValidationError) as exc:
        message = str(exc) if isinstance(exc, AccountError) else "授予个人信息查看权限须说明原因。"
        return _page(request, db, user, error=message, status_code=400)
    return _done("unmask")


@router.post("/admin/users/{user_id}/unmask/revoke")
def admin_revoke_unmask(request: Request, db: Db, user: CurrentUser, user_id: int) -> Response:
    """Withdraw an account's unmasking grant (security administrator)."""
    try:
        revoke_user_unmask(db, user, user_id, source=client_source(request))
    except AccountError as exc:
        return _page(request, db, user, error=str(exc), status_code=400)
    return _done("unmask_revoke")
