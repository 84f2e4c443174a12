"""Administration views and the one change the page makes: creating an account."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from wagewatch.auth.models import OrgUnit, User
from wagewatch.auth.roles import ORG_KIND_LABELS, OrgKind, find_role
from wagewatch.auth.service import AccountError, can, create_user, is_locked, require
from wagewatch.web.admin.schemas import AdminOverview, OrgUnitPublic, UserCreate, UserPublic

__all__ = ["ADMIN_PERMISSIONS", "admin_overview", "create_account"]

ADMIN_PERMISSIONS = ("users.manage", "org.manage", "roles.assign")


def _may_view(user: User) -> None:
    if not any(can(user, p) for p in ADMIN_PERMISSIONS):
        require(user, "users.manage")


def _kind_label(kind: str) -> str:
    try:
        return ORG_KIND_LABELS[OrgKind(kind)]
    except ValueError:
        return kind


def admin_overview(session: Session, user: User) -> AdminOverview:
    """Units and accounts (requires users.manage, org.manage or roles.assign)."""
    _may_view(user)
    units = list(session.scalars(select(OrgUnit).order_by(OrgUnit.id)))
    names = {u.id: u.name for u in units}
    users = list(session.scalars(select(User).order_by(User.id)))
    return AdminOverview(
        units=[
            OrgUnitPublic(
                id=u.id,
                code=u.code,
                name=u.name,
                kind=u.kind,
                kind_label=_kind_label(u.kind),
                parent_name=names.get(u.parent_id) if u.parent_id else None,
                township=u.township,
                industries=list(u.industries or []),
                active=u.active,
            )
            for u in units
        ],
        users=[
            UserPublic(
                id=u.id,
                username=u.username,
                display_name=u.display_name,
                role=u.role,
                role_label=(r.label if (r := find_role(u.role)) else "未分配"),
                unit_name=u.org_unit.name if u.org_unit else "",
                active=u.active,
                locked=is_locked(u),
                has_password=u.password_hash is not None,
                must_change_password=u.must_change_password,
                last_login_at=u.last_login_at,
            )
            for u in users
        ],
        can_create_user=can(user, "users.manage"),
    )


def create_account(
    session: Session, user: User, data: UserCreate, *, source: str | None = None
) -> User:
    """Create an account without role or password (those are the security administrator's).

    Requires users.manage; AccountError (Chinese message) for a bad name or unit.
    """
    require(user, "users.manage")
    unit = session.get(OrgUnit, data.org_unit_id)
    if unit is None or not unit.active:
        raise AccountError("所选机构不存在或已停用")
    return create_user(
        session,
        user,
        username=data.username,
        display_name=data.display_name,
        org_unit=unit,
        source=source,
    )
