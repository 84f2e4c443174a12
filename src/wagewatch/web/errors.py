"""Error handling: Chinese pages for people, JSON for the API, every refusal audited."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy import inspect
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, RedirectResponse, Response

from wagewatch.auth.models import User
from wagewatch.auth.service import PermissionDenied, record_denial
from wagewatch.web.common import NotFound, client_source, is_api
from wagewatch.web.context import CsrfFailed, LoginRequired, PasswordChangeRequired, web_state
from wagewatch.web.templating import render

__all__ = ["STATUS_TITLES", "error_response", "install_error_handlers"]

log = logging.getLogger(__name__)

STATUS_TITLES = {
    400: "请求有误",
    401: "请先登录",
    403: "无权访问",
    404: "页面不存在",
    405: "不支持的操作",
    413: "文件过大",
    422: "填写的内容有误",
    500: "系统内部错误",
}
_DEFAULT_MESSAGES = {
    401: "您尚未登录或登录已过期，请重新登录。",
    403: "您没有访问此内容的权限。",
    404: "您要找的页面或记录不存在，可能已被删除或地址有误。",
    405: "该地址不支持此操作。",
    500: "系统处理请求时出错，已记录日志。请稍后重试，或联系系统管理员。",
}


def error_response(request: Request, status: int, message: str | None = None) -> Response:
    """A Chinese error page, or `{"detail": ...}` JSON for the API."""
    text = message or _DEFAULT_MESSAGES.get(status) or STATUS_TITLES.get(status, "出错了")
    if is_api(request):
        return JSONResponse({"detail": text, "status": status}, status_code=status)
    title = STATUS_TITLES.get(status, "出错了")
    return render(
        request,
        "error.html",
        {"status": status, "title": title, "message": text},
        status_code=status,
    )


def _reattached(session: Session, exc: PermissionDenied) -> PermissionDenied:
    # The refused user was loaded by the rolled-back session (its attributes are expired):
    # load it again by its identity in the fresh one.
    if exc.user is None:
        return exc
    identity = inspect(exc.user).identity
    user = session.get(User, identity[0]) if identity else None
    return PermissionDenied(exc.message, user=user, permission=exc.permission)


async def _permission_denied(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PermissionDenied)
    # The refused unit of work was rolled back; the denial is kept in a fresh one.
    try:
        with web_state(request).sessions() as session:
            record_denial(
                session,
                _reattached(session, exc),
                source=client_source(request),
                object_type="path",
                object_id=request.url.path[:64],
            )
            session.commit()
    except Exception:  # never let auditing hide the refusal itself
        log.exception("could not record an access denial")
    return error_response(request, 403, exc.message)


async def _login_required(request: Request, exc: Exception) -> Response:
    if is_api(request) or request.headers.get("hx-request"):
        return error_response(request, 401)
    target = request.url.path
    if request.url.query:
        target += "?" + request.url.query
    from urllib.parse import quote

    return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)


async def _not_found(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, NotFound)
    return error_response(request, 404, exc.message)


async def _password_change_required(request: Request, exc: Exception) -> Response:
    if is_api(request) or request.headers.get("hx-request"):
        return error_response(request, 403, "密码已由管理员重置，请先修改密码。")
    return RedirectResponse("/password", status_code=303)


async def _csrf_failed(request: Request, exc: Exception) -> Response:
    return error_response(
        request, 403, "安全校验未通过（表单已过期或来源不明），请刷新页面后重试。"
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    message = exc.detail if isinstance(exc.detail, str) and exc.status_code != 404 else None
    if message and message.isascii():
        message = None  # Starlette's English defaults ("Not Found") are replaced by ours
    return error_response(request, exc.status_code, message)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    fields = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if p not in ("query", "body", "path", "form")]
        if loc:
            fields.append(".".join(loc))
    text = "请求参数不正确" + (f"：{'、'.join(dict.fromkeys(fields))}" if fields else "") + "。"
    return error_response(request, 422, text)


async def _server_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s", request.url.path, exc_info=exc)
    return error_response(request, 500)


def install_error_handlers(app: FastAPI) -> None:
    """Register every handler on the app."""
    app.add_exception_handler(PermissionDenied, _permission_denied)
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(CsrfFailed, _csrf_failed)
    app.add_exception_handler(PasswordChangeRequired, _password_change_required)
    app.add_exception_handler(NotFound, _not_found)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _server_error)
