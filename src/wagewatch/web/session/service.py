"""Sign-in and the description of the signed-in user (thin over `wagewatch.auth`)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from wagewatch.auth.models import User
from wagewatch.auth.roles import Scope, permissions
from wagewatch.auth.service import (
    LoginResult,
    authenticate,
    can,
    change_password,
    logout,
    role_of,
)
from wagewatch.web.session.schemas import Me

__all__ = ["change_own_password", "describe", "home_path", "sign_in", "sign_out"]

SCOPE_LABELS = {
    Scope.DISTRICT: "全区",
    Scope.TOWNSHIP: "本镇街",
    Scope.INDUSTRY: "本行业",
    Scope.NONE: "无业务数据",
}


def describe(user: User) -> Me:
    """The `Me` view of a user."""
    role = role_of(user)
    unit = user.org_unit
    scope = role.scope if role else Scope.NONE
    return Me(
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        role_label=role.label if role else "未分配角色",
        unit_name=unit.name if unit else "",
        unit_kind=unit.kind if unit else None,
        scope=scope.value,
        scope_label=SCOPE_LABELS[scope],
        permissions=[p.code for p in permissions() if can(user, p.code)],
        must_change_password=bool(user.must_change_password),
    )


def home_path(user: User) -> str:
    """Where a user lands after signing in: the dashboard, or administration for admins."""
    if can(user, "warnings.read"):
        return "/"
    if any(can(user, p) for p in ("users.manage", "org.manage", "roles.assign")):
        return "/admin"
    return "/rules"


def sign_in(session: Session, username: str, password: str, source: str | None) -> LoginResult:
    """Authenticate; the request's unit of work commits whatever the result."""
    return authenticate(session, username, password, source)


def sign_out(session: Session, token: str | None, source: str | None) -> bool:
    """End the session of this token."""
    return logout(session, token, source=source)


def change_own_password(
    session: Session, user: User, current: str, new: str, token: str | None, source: str | None
) -> User:
    """Change one's own password, keeping this session and ending the others."""
    return change_password(session, user, current, new, keep_token=token, source=source)
