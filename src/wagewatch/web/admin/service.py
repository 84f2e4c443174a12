"""Administration views and the one change the page makes: creating an account."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from wagewatch.auth.models import OrgUnit, User
from wagewatch.auth.roles import ORG_KIND_LABELS, OrgKind, find_role, roles
from wagewatch.auth.service import (
    AccountError,
    assign_role,
    can,
    create_user,
    generate_password,
    grant_unmask,
    is_locked,
    lock_user,
    require,
    revoke_unmask,
    set_password,
    unlock_user,
)
from wagewatch.web.admin.schemas import (
    AdminOverview,
    LockForm,
    OrgUnitPublic,
    PasswordReset,
    RoleChoice,
    SecurityActions,
    UnmaskForm,
    UserCreate,
    UserPublic,
)
from wagewatch.web.common import NotFound, china_day_start, to_china

__all__ = [
    "ADMIN_PERMISSIONS",
    "admin_overview",
    "assign_user_role",
    "create_account",
    "grant_user_unmask",
    "lock_account",
    "reset_user_password",
    "revoke_user_unmask",
    "unlock_account",
]

ADMIN_PERMISSIONS = ("users.manage", "org.manage", "roles.assign")


def _may_view(user: User) -> None:
    if not any(can(user, p) for p in ADMIN_PERMISSIONS):
        require(user, "users.manage")


def _kind_label(kind: str) -> str:
    try:
        return ORG_KIND_LABELS[OrgKind(kind)]
    except ValueError:
        return kind


def _role_choices(unit: OrgUnit | None) -> list[RoleChoice]:
    if unit is None:
        return []
    try:
        kind = OrgKind(unit.kind)
    except ValueError:
        return []
    return [
        RoleChoice(code=r.code, label=r.label)
        for r in roles()
        if not r.administrative and kind in r.org_kinds
    ]


def _unmask_until(u: User) -> datetime | None:
    until = u.unmask_granted_until
    if until is None:
        return None
    return until if to_china(until) > datetime.now(UTC) else None


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
                administrative=bool((r := find_role(u.role)) and r.administrative),
                unmask_until=_unmask_until(u),
                role_choices=_role_choices(u.org_unit),
            )
            for u in users
        ],
        can_create_user=can(user, "users.manage"),
        security=SecurityActions(
            assign_role=can(user, "roles.assign"),
            reset_password=can(user, "passwords.reset"),
            lock=can(user, "accounts.lock"),
            grant_unmask=can(user, "unmask.grant"),
        ),
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


# ---------------------------------------------------------------- security administrator


def _target(session: Session, actor: User, permission: str, user_id: int) -> User:
    # The permission first: who may not act learns nothing about which accounts exist.
    require(actor, permission)
    target = session.get(User, user_id)
    if target is None:
        raise NotFound("用户不存在。")
    return target


def _end_of(day: date) -> datetime:
    return china_day_start(day + timedelta(days=1))


def assign_user_role(
    session: Session, actor: User, user_id: int, role: str | None, *, source: str | None = None
) -> User:
    """Give an account a business role or none (the auth service decides who may)."""
    target = _target(session, actor, "roles.assign", user_id)
    return assign_role(session, actor, target, role or None, source=source)


def reset_user_password(
    session: Session, actor: User, user_id: int, *, source: str | None = None
) -> PasswordReset:
    """Set a generated one-time password; the user must change it at the next sign-in."""
    target = _target(session, actor, "passwords.reset", user_id)
    password = generate_password()
    set_password(session, actor, target, password, source=source)
    return PasswordReset(username=target.username, password=password)


def lock_account(
    session: Session, actor: User, user_id: int, data: LockForm, *, source: str | None = None
) -> User:
    """Lock an account until the end of a day, or until unlocked."""
    target = _target(session, actor, "accounts.lock", user_id)
    until = _end_of(data.until) if data.until else None
    if until is not None and until <= datetime.now(UTC):
        raise AccountError("锁定截止日期须不早于今天（留空为直到解锁）")
    return lock_user(session, actor, target, reason=data.reason, until=until, source=source)


def unlock_account(
    session: Session, actor: User, user_id: int, *, source: str | None = None
) -> User:
    """Unlock an account and clear its failure count."""
    target = _target(session, actor, "accounts.lock", user_id)
    return unlock_user(session, actor, target, source=source)


def grant_user_unmask(
    session: Session, actor: User, user_id: int, data: UnmaskForm, *, source: str | None = None
) -> User:
    """Let a business user read personal data in clear until the end of a day."""
    target = _target(session, actor, "unmask.grant", user_id)
    until = _end_of(data.until)
    return grant_unmask(session, actor, target, until=until, reason=data.reason, source=source)


def revoke_user_unmask(
    session: Session, actor: User, user_id: int, *, source: str | None = None
) -> User:
    """Withdraw an account's unmasking grant."""
    target = _target(session, actor, "unmask.grant", user_id)
    return revoke_unmask(session, actor, target, source=source)
