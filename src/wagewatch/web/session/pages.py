"""Pages: sign in, sign out, change one's own password."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from wagewatch.auth.service import AuthenticationFailed, PasswordPolicyError
from wagewatch.web.common import client_source, safe_next
from wagewatch.web.context import SESSION_COOKIE, CurrentUser, Db, OptionalUser
from wagewatch.web.session.service import change_own_password, home_path, sign_in, sign_out
from wagewatch.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/login")
def login_page(request: Request, user: OptionalUser, next: str = "") -> Response:
    """The sign-in form (a signed-in user goes straight on)."""
    if user is not None:
        return RedirectResponse(safe_next(next, home_path(user)), status_code=303)
    return render(request, "login.html", {"next": safe_next(next, ""), "error": None})


@router.post("/login")
def login(
    request: Request,
    db: Db,
    username: Annotated[str, Form(max_length=128)] = "",
    password: Annotated[str, Form(max_length=256)] = "",
    next: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Sign in; a failure is kept (the failure count drives the lockout) and shown in Chinese."""
    result = sign_in(db, username, password, client_source(request))
    if not result.ok or result.user is None or result.token is None:
        context = {"next": safe_next(next, ""), "error": result.message, "username": username}
        return render(request, "login.html", context, status_code=401)
    target = safe_next(next, home_path(result.user))
    if result.user.must_change_password:
        target = "/password?next=" + target
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        result.token,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


@router.post("/logout")
def logout(request: Request, db: Db) -> Response:
    """Sign out and return to the sign-in page."""
    sign_out(db, request.cookies.get(SESSION_COOKIE), client_source(request))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/password")
def password_page(request: Request, user: CurrentUser, next: str = "") -> Response:
    """The change-password form."""
    return render(request, "password.html", {"next": safe_next(next, ""), "error": None})


@router.post("/password")
def password_change(
    request: Request,
    db: Db,
    user: CurrentUser,
    current: Annotated[str, Form(max_length=256)] = "",
    new: Annotated[str, Form(max_length=256)] = "",
    confirm: Annotated[str, Form(max_length=256)] = "",
    next: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Change one's own password (the current one is checked; other sessions end)."""
    error = None
    if new != confirm:
        error = "两次输入的新密码不一致。"
    else:
        try:
            change_own_password(
                db, user, current, new, request.cookies.get(SESSION_COOKIE), client_source(request)
            )
        except (AuthenticationFailed, PasswordPolicyError) as exc:
            error = str(exc)
    if error:
        context = {"next": safe_next(next, ""), "error": error}
        return render(request, "password.html", context, status_code=400)
    return RedirectResponse(safe_next(next, home_path(user)), status_code=303)
