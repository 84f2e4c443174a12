"""Security headers and the CSRF cookie, as one small ASGI middleware."""

from __future__ import annotations

import re
import secrets

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wagewatch.web.context import CSRF_COOKIE

__all__ = ["CSP", "SecurityMiddleware", "cookie_header"]

# No inline script or style anywhere: page code is /static/app.js, data travels in
# <script type="application/json"> blocks and data- attributes, level colours in /levels.css.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
_HEADERS = (
    ("content-security-policy", CSP),
    ("x-frame-options", "DENY"),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "same-origin"),
    ("permissions-policy", "camera=(), microphone=(), geolocation=(), payment=()"),
    ("cross-origin-opener-policy", "same-origin"),
)
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")


def cookie_header(
    name: str,
    value: str,
    *,
    secure: bool,
    http_only: bool = True,
    same_site: str = "Lax",
    max_age: int | None = None,
) -> str:
    """A Set-Cookie header value (Path=/)."""
    parts = [f"{name}={value}", "Path=/", f"SameSite={same_site}"]
    if http_only:
        parts.append("HttpOnly")
    if secure:
        parts.append("Secure")
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    return "; ".join(parts)


class SecurityMiddleware:
    """Adds the security headers, no-store on pages, and issues the CSRF cookie once."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI call."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        token = request.cookies.get(CSRF_COOKIE) or ""
        issue = not _TOKEN.fullmatch(token)
        if issue:
            token = secrets.token_urlsafe(32)
        scope.setdefault("state", {})["csrf_token"] = token
        https = scope.get("scheme") == "https"
        static = scope["path"].startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for key, value in _HEADERS:
                    if key not in headers:
                        headers[key] = value
                if https:
                    headers["strict-transport-security"] = "max-age=31536000"
                if not static and "cache-control" not in headers:
                    headers["cache-control"] = "no-store"
                if issue and not static:
                    headers.append(
                        "set-cookie",
                        cookie_header(CSRF_COOKIE, token, secure=https),
                    )
            await send(message)

        await self.app(scope, receive, send_with_headers)
