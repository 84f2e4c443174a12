"""Request-scoped dependencies: the unit of work, the signed-in user, CSRF, the rulebook.

One database session per request: it commits when the route returns without an exception and
rolls back otherwise (routes never commit). Sign-in, whose failures must be kept, therefore
returns a page instead of raising.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker

from wagewatch.auth.models import User
from wagewatch.auth.service import resolve_session
from wagewatch.rules.model import Rulebook
from wagewatch.rules.registry import get_rulebook
from wagewatch.settings import Settings
from wagewatch.web.session.service import describe

__all__ = [
    "CSRF_COOKIE",
    "CSRF_FIELD",
    "CSRF_HEADER",
    "SESSION_COOKIE",
    "CsrfFailed",
    "CurrentUser",
    "Db",
    "LoginRequired",
    "OptionalUser",
    "PasswordChangeRequired",
    "Rb",
    "WebState",
    "csrf_protect",
    "current_user",
    "get_db",
    "optional_user",
    "web_state",
]

SESSION_COOKIE = "ww_session"
CSRF_COOKIE = "ww_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class WebState:
    """What the app keeps between requests: settings and the session factory."""

    settings: Settings
    sessions: sessionmaker[Session]


class LoginRequired(Exception):
    """No signed-in user: pages redirect to the sign-in page, the API answers 401."""


class PasswordChangeRequired(Exception):
    """The user must choose their own password before doing anything else."""


class CsrfFailed(Exception):
    """A state-changing request without a matching CSRF token (or from another origin)."""


def web_state(request: Request) -> WebState:
    """The app's WebState."""
    state: WebState = request.app.state.web
    return state


def get_db(request: Request) -> Iterator[Session]:
    """One unit of work per request: commit on success, roll back on any exception."""
    session = web_state(request).sessions()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


# scope="function": the commit happens before the response is sent, so a failed commit is
# a 500 and never a success page for a change that was not saved.
Db = Annotated[Session, Depends(get_db, scope="function")]


def optional_user(request: Request, db: Db) -> User | None:
    """The user behind the session cookie, or None."""
    user = resolve_session(db, request.cookies.get(SESSION_COOKIE))
    request.state.user = user
    # Described now, while the session is open: an error page rendered after a rollback
    # (which expires every loaded object) still shows who is signed in.
    request.state.me = describe(user) if user is not None else None
    return user


_PASSWORD_PATHS = frozenset({"/password", "/logout", "/api/v1/me"})


def current_user(request: Request, user: Annotated[User | None, Depends(optional_user)]) -> User:
    """The signed-in user (LoginRequired otherwise; PasswordChangeRequired after a reset)."""
    if user is None:
        raise LoginRequired()
    if user.must_change_password and request.url.path not in _PASSWORD_PATHS:
        raise PasswordChangeRequired()
    return user


OptionalUser = Annotated[User | None, Depends(optional_user)]
CurrentUser = Annotated[User, Depends(current_user)]


def _rulebook(request: Request) -> Rulebook:
    return get_rulebook(web_state(request).settings.rulebook)


Rb = Annotated[Rulebook, Depends(_rulebook)]


async def csrf_protect(request: Request) -> None:
    """Refuse a state-changing request whose token does not match the CSRF cookie.

    Double submit: the token is in an HttpOnly SameSite=Lax cookie and in every form
    (`csrf_token`) or htmx/API request header (`X-CSRF-Token`); a cross-site page can send the
    cookie but cannot read it. A request naming another Origin is refused as well.
    """
    if request.method in _SAFE_METHODS:
        return
    origin = request.headers.get("origin")
    if origin and origin != "null":
        own = f"{request.url.scheme}://{request.url.netloc}"
        if origin.rstrip("/") != own:
            raise CsrfFailed()
    cookie = request.cookies.get(CSRF_COOKIE)
    sent = request.headers.get(CSRF_HEADER)
    if not sent:
        ctype = request.headers.get("content-type", "")
        if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            value = (await request.form()).get(CSRF_FIELD)
            sent = value if isinstance(value, str) else None
    if not cookie or not sent or not secrets.compare_digest(cookie, sent):
        raise CsrfFailed()
