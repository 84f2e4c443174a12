"""Accounts, sign-in, sessions, permissions, data scope and the audit log.

Every function takes the caller's `Session`, flushes its changes and never commits: the caller
(a web request's unit of work, a CLI command) commits once. Functions that refuse raise before
they write anything, except `authenticate`, whose failures must be kept (the failure count
drives the lockout) and which therefore returns a `LoginResult` instead of raising.

Times are timezone-aware UTC; every function that reads the clock takes `now=` so tests and
batch jobs can inject one.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import secrets
import string
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import ColumnElement, false, select, true
from sqlalchemy.orm import Session

from wagewatch.auth.models import AuditEntry, AuditHead, OrgUnit, User, UserSession
from wagewatch.auth.roles import OrgKind, Role, Scope, find_role, permission_label
from wagewatch.db.base import utcnow
from wagewatch.enterprises.models import Enterprise

__all__ = [
    "ABSOLUTE_SESSION_HOURS",
    "ADMIN_ACCOUNT_MESSAGE",
    "AUDIT_ACTIONS",
    "AUDIT_COLUMNS",
    "AUDIT_RESULTS",
    "GENESIS_HASH",
    "IDLE_MINUTES",
    "LOCKOUT_MINUTES",
    "LOGIN_FAILED_MESSAGE",
    "MAX_FAILED_LOGINS",
    "SYSTEM",
    "AccountError",
    "Actor",
    "AuditBreak",
    "AuthenticationFailed",
    "LoginResult",
    "PasswordPolicyError",
    "PermissionDenied",
    "SystemActor",
    "assign_role",
    "authenticate",
    "can",
    "change_password",
    "check_password",
    "create_org_unit",
    "create_user",
    "end_sessions",
    "export_audit",
    "generate_password",
    "grant_unmask",
    "in_scope",
    "is_locked",
    "list_audit",
    "lock_user",
    "logout",
    "normalise_username",
    "object_in_scope",
    "record_audit",
    "record_denial",
    "register_audit_action",
    "register_scope_check",
    "require",
    "require_in_scope",
    "resolve_session",
    "revoke_unmask",
    "role_of",
    "scope_filter",
    "set_password",
    "unlock_user",
    "update_user",
    "use_password_hasher",
    "verify_audit_chain",
]

MAX_FAILED_LOGINS = 5
LOCKOUT_MINUTES = 10
IDLE_MINUTES = 30
ABSOLUTE_SESSION_HOURS = 12
# last_seen_at is written at most this often, so reading a page is not always a write.
_TOUCH_EVERY = timedelta(seconds=60)
_FOREVER = datetime(9999, 12, 31, tzinfo=UTC)
GENESIS_HASH = "0" * 64
_CHINA = timezone(timedelta(hours=8), "CST")

# One message for every failed sign-in, so the reply never tells whether an account exists.
LOGIN_FAILED_MESSAGE = (
    f"用户名或密码错误，或账号已停用、已临时锁定"
    f"（连续 {MAX_FAILED_LOGINS} 次输错密码将锁定 {LOCKOUT_MINUTES} 分钟）。"
)

AUDIT_RESULTS = {"success": "成功", "failure": "失败", "denied": "拒绝"}

AUDIT_ACTIONS: dict[str, str] = {
    "auth.login": "登录",
    "auth.logout": "退出登录",
    "auth.lockout": "连续登录失败，账号临时锁定",
    "org.create": "新建组织机构",
    "users.create": "新建用户",
    "users.update": "修改用户信息",
    "users.role": "分配角色",
    "users.password_reset": "重置密码",
    "users.password_change": "修改本人密码",
    "users.lock": "锁定账号",
    "users.unlock": "解锁账号",
    "users.unmask_grant": "授予个人信息查看权限",
    "users.unmask_revoke": "收回个人信息查看权限",
    "sessions.revoke": "强制下线",
    "pii.unmask": "查看个人信息明文",
    "audit.export": "导出审计日志",
    "audit.head_rebuilt": "审计链头缺失后重建",
    "access.denied": "越权访问被拒绝",
}

AUDIT_COLUMNS: dict[str, str] = {
    "id": "序号",
    "at": "时间",
    "username": "用户",
    "role_label": "角色",
    "action_label": "操作",
    "object_type": "对象类型",
    "object_id": "对象编号",
    "result_label": "结果",
    "source": "来源地址",
    "details": "详情",
    "prev_hash": "前一条哈希",
    "hash": "本条哈希",
}


class PermissionDenied(Exception):
    """The user lacks a permission or the object is outside the user's scope."""

    def __init__(
        self, message: str, *, user: User | None = None, permission: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.user = user
        self.permission = permission


class PasswordPolicyError(ValueError):
    """A password that breaks the policy; `problems` says why, in Chinese."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("密码不符合要求：" + "；".join(self.problems) + "。")


class AccountError(ValueError):
    """An account or organisation-unit change that cannot be made (Chinese message)."""


class AuthenticationFailed(Exception):
    """The current password given to `change_password` is wrong."""


@dataclass(frozen=True)
class SystemActor:
    """The installer or a command-line bootstrap acting without a signed-in user."""

    name: str = "系统"


SYSTEM = SystemActor()
Actor = User | SystemActor


@dataclass
class LoginResult:
    """The outcome of a sign-in attempt; `message` is safe to show, `reason` is for logs."""

    token: str | None = None
    user: User | None = None
    reason: str | None = None  # unknown_user, bad_password, locked, inactive, no_password
    message: str | None = None
    locked_until: datetime | None = None

    @property
    def ok(self) -> bool:
        """Whether the attempt signed the user in."""
        return self.token is not None


@dataclass(frozen=True)
class AuditBreak:
    """Where the audit chain is broken: the entry (if it still exists) and why."""

    entry_id: int | None
    reason: str
    entry: AuditEntry | None = None


# ---------------------------------------------------------------- time, names, passwords


def _utc(value: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything stored is UTC.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _now(now: datetime | None) -> datetime:
    return _utc(now) if now is not None else utcnow()


_USERNAME = re.compile(r"[a-z0-9][a-z0-9_.@-]{1,63}")


def normalise_username(username: str) -> str:
    """The stored form of a username: trimmed, lower case (AccountError if not allowed)."""
    name = (username or "").strip().lower()
    if not _USERNAME.fullmatch(name):
        raise AccountError(
            "用户名须为 2–64 位小写字母、数字或 _ . @ -，并以字母或数字开头"
            f"（收到“{(username or '')[:64]}”）"
        )
    return name


def _is_symbol(c: str) -> bool:
    return not (c.isascii() and c.isalnum())


_CLASSES: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("大写字母", lambda c: c in string.ascii_uppercase),
    ("小写字母", lambda c: c in string.ascii_lowercase),
    ("数字", lambda c: c in string.digits),
    ("特殊符号", _is_symbol),
)
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128


def check_password(password: str, username: str | None = None) -> list[str]:
    """The policy problems of `password`, in Chinese (empty when it is acceptable)."""
    problems: list[str] = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(
            f"长度至少 {MIN_PASSWORD_LENGTH} 位（当前 {len(password)} 位），过短的密码容易被暴力破解"
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        problems.append(f"长度不能超过 {MAX_PASSWORD_LENGTH} 位")
    present = [name for name, test in _CLASSES if any(test(c) for c in password)]
    if len(present) < 3:
        have = "、".join(present) if present else "无"
        problems.append(
            "须包含大写字母、小写字母、数字、特殊符号中的至少 3 类"
            f"（当前 {len(present)} 类：{have}），字符种类少的密码容易被猜中"
        )
    if username and len(username) >= 3 and username.lower() in password.lower():
        problems.append("不能包含用户名，否则容易被猜中")
    return problems


_PASSWORD_ALPHABETS = (
    "ABCDEFGHJKLMNPQRSTUVWXYZ",
    "abcdefghijkmnpqrstuvwxyz",
    "23456789",
    "!#%+-=?@^_",
)


def generate_password(length: int = 16) -> str:
    """A random password that meets the policy (all four classes, no look-alike characters)."""
    if length < MIN_PASSWORD_LENGTH:
        raise ValueError("length must be at least the policy minimum")
    chars = [secrets.choice(alphabet) for alphabet in _PASSWORD_ALPHABETS]
    pool = "".join(_PASSWORD_ALPHABETS)
    chars += [secrets.choice(pool) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


# argon2id with argon2-cffi's defaults (RFC 9106 low-memory profile).
_hasher = PasswordHasher()
_dummy: tuple[PasswordHasher, str] | None = None


def use_password_hasher(hasher: PasswordHasher) -> PasswordHasher:
    """Replace the password hasher (deployment tuning, fast tests); returns the previous one."""
    global _hasher
    previous, _hasher = _hasher, hasher
    return previous


def _dummy_hash() -> str:
    global _dummy
    if _dummy is None or _dummy[0] is not _hasher:
        _dummy = (_hasher, _hasher.hash(secrets.token_urlsafe(16)))
    return _dummy[1]


def _verify_password(password_hash: str | None, password: str) -> bool:
    # With no hash (unknown user, no password yet) verify against a dummy hash anyway, so the
    # answer takes as long as for a real account.
    try:
        return _hasher.verify(password_hash or _dummy_hash(), password or "") and bool(
            password_hash
        )
    except (VerificationError, InvalidHashError):
        return False


def _store_password(user: User, password: str, now: datetime) -> None:
    problems = check_password(password, user.username)
    if problems:
        raise PasswordPolicyError(problems)
    user.password_hash = _hasher.hash(password)
    user.password_changed_at = now


# ---------------------------------------------------------------- permissions and scope


def role_of(user: User | None) -> Role | None:
    """The registered role of an active user, or None."""
    if user is None or not user.active:
        return None
    return find_role(user.role)


def can(user: User | None, permission: str, *, now: datetime | None = None) -> bool:
    """Whether the user holds `permission` (by role, or by an unexpired unmasking grant)."""
    role = role_of(user)
    if role is None or user is None:
        return False
    if role.has(permission):
        return True
    if permission == "pii.unmask" and not role.administrative and user.unmask_granted_until:
        return _now(now) < _utc(user.unmask_granted_until)
    return False


def require(user: User | None, permission: str, *, now: datetime | None = None) -> None:
    """Raise PermissionDenied unless the user holds `permission`."""
    if not can(user, permission, now=now):
        raise PermissionDenied(
            f"没有权限：{permission_label(permission)}。如需此权限，请联系安全管理员。",
            user=user,
            permission=permission,
        )


def _require_actor(actor: Actor, permission: str, now: datetime) -> User | None:
    if isinstance(actor, SystemActor):
        return None
    require(actor, permission, now=now)
    return actor


def scope_filter(user: User | None, enterprise: Any = Enterprise) -> ColumnElement[bool]:
    """A where-clause limiting `enterprise` (the model or an alias) to what the user may see.

    District-wide roles get an always-true clause, administrators and unknown roles an
    always-false one, so `.where(scope_filter(user))` is always safe to add.
    """
    role = role_of(user)
    unit = user.org_unit if user is not None else None
    if role is None:
        return false()
    if role.scope is Scope.DISTRICT:
        return true()
    if role.scope is Scope.TOWNSHIP and unit is not None and unit.township:
        township: ColumnElement[bool] = enterprise.township == unit.township
        return township
    if role.scope is Scope.INDUSTRY and unit is not None and unit.industries:
        industry: ColumnElement[bool] = enterprise.industry.in_(list(unit.industries))
        return industry
    return false()


def in_scope(user: User | None, enterprise: Enterprise) -> bool:
    """Whether one enterprise is within what the user may see (the same rule as scope_filter)."""
    role = role_of(user)
    unit = user.org_unit if user is not None else None
    if role is None:
        return False
    if role.scope is Scope.DISTRICT:
        return True
    if role.scope is Scope.TOWNSHIP and unit is not None and unit.township:
        return enterprise.township == unit.township
    if role.scope is Scope.INDUSTRY and unit is not None and unit.industries:
        return enterprise.industry in unit.industries
    return False


def require_in_scope(user: User | None, enterprise: Enterprise) -> None:
    """Raise PermissionDenied unless the enterprise is within the user's scope."""
    if not in_scope(user, enterprise):
        raise PermissionDenied("该企业不在您的管辖范围内。", user=user)


_SCOPE_CHECKS: dict[type, Callable[[User, Any], bool]] = {}


def register_scope_check(model: type, check: Callable[[User, Any], bool]) -> None:
    """Register how to decide whether a user may see one object of `model` (e.g. a case)."""
    _SCOPE_CHECKS[model] = check


def object_in_scope(user: User | None, obj: object) -> bool:
    """Whether the user may see `obj`: a registered check, its enterprise, or district scope."""
    role = role_of(user)
    if user is None or role is None:
        return False
    for cls in type(obj).__mro__:
        check = _SCOPE_CHECKS.get(cls)
        if check is not None:
            return check(user, obj)
    if isinstance(obj, Enterprise):
        return in_scope(user, obj)
    related = (
        obj.get("enterprise") if isinstance(obj, Mapping) else getattr(obj, "enterprise", None)
    )
    if isinstance(related, Enterprise):
        return in_scope(user, related)
    # An object we cannot place: only district-wide roles may see it.
    return role.scope is Scope.DISTRICT


# ---------------------------------------------------------------- audit log


def register_audit_action(code: str, label: str) -> None:
    """Name an audit action in Chinese (other packages add theirs, e.g. `cases.close`)."""
    AUDIT_ACTIONS[code] = label


def _iso(value: datetime) -> str:
    return _utc(value).isoformat(timespec="microseconds")


def _plain(value: Any) -> Any:
    # Details are normalised before hashing so that the stored JSON (SQLite text, PostgreSQL
    # JSONB, which turns 1.0 into 1) reads back to exactly what was hashed.
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        return int(value) if value.is_integer() else value
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((_plain(v) for v in value), key=str)
    if isinstance(value, datetime):
        return _iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def _content(row: Mapping[Any, Any]) -> str:
    doc = {
        "id": row["id"],
        "at": _iso(row["at"]),
        "user_id": row["user_id"],
        "username": row["username"],
        "role": row["role"],
        "action": row["action"],
        "object_type": row["object_type"],
        "object_id": row["object_id"],
        "result": row["result"],
        "source": row["source"],
        "details": row["details"] or {},
    }
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _chain(prev_hash: str, content: str) -> str:
    return hashlib.sha256((prev_hash + content).encode("utf-8")).hexdigest()


def _cut(value: object, size: int) -> str | None:
    return None if value is None else str(value)[:size]


def _lock_head(session: Session, now: datetime) -> AuditHead:
    # FOR UPDATE serialises appends on PostgreSQL (SQLite serialises writers anyway);
    # populate_existing, because a session with expire_on_commit=False may hold a stale head.
    stmt = (
        select(AuditHead)
        .where(AuditHead.id == 1)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    head = session.scalar(stmt)
    if head is not None:
        return head
    last = session.scalar(
        select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1).with_for_update()
    )
    head = AuditHead(
        id=1,
        last_entry_id=last.id if last else 0,
        last_hash=last.hash if last else GENESIS_HASH,
        updated_at=now,
    )
    session.add(head)
    session.flush()
    if last is not None:
        _append(
            session,
            head,
            now=now,
            action="audit.head_rebuilt",
            result="failure",
            details={"说明": "审计链头缺失，已按最后一条记录重建，请核查审计日志"},
        )
    return head


def _append(
    session: Session,
    head: AuditHead,
    *,
    now: datetime,
    action: str,
    user_id: int | None = None,
    username: str | None = None,
    role: str | None = None,
    result: str = "success",
    object_type: str | None = None,
    object_id: object = None,
    source: str | None = None,
    details: Mapping[str, Any] | None = None,
) -> AuditEntry:
    row: dict[str, Any] = {
        "id": head.last_entry_id + 1,
        "at": now,
        "user_id": user_id,
        "username": _cut(username, 64),
        "role": _cut(role, 40),
        "action": str(action)[:60],
        "object_type": _cut(object_type, 60),
        "object_id": _cut(object_id, 64),
        "result": str(result)[:20],
        "source": _cut(source, 64),
        "details": _plain(details or {}),
    }
    digest = _chain(head.last_hash, _content(row))
    entry = AuditEntry(**row, prev_hash=head.last_hash, hash=digest)
    session.add(entry)
    head.last_entry_id = entry.id
    head.last_hash = digest
    head.updated_at = now
    session.flush()
    return entry


def record_audit(
    session: Session,
    action: str,
    *,
    actor: Actor | None = None,
    username: str | None = None,
    result: str = "success",
    object_type: str | None = None,
    object_id: object = None,
    source: str | None = None,
    details: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> AuditEntry:
    """Append one entry to the audit chain (the caller's commit makes it durable).

    `actor` is the signed-in user (or SYSTEM); `username` names an attempt by someone unknown.
    Never put personal data in `details`: the log says which fields were read, not their values.
    """
    at = _now(now)
    head = _lock_head(session, at)
    user_id: int | None = None
    role: str | None = None
    if isinstance(actor, User):
        user_id, username, role = actor.id, actor.username, actor.role
    elif isinstance(actor, SystemActor):
        username = actor.name
    return _append(
        session,
        head,
        now=at,
        action=action,
        user_id=user_id,
        username=username,
        role=role,
        result=result,
        object_type=object_type,
        object_id=object_id,
        source=source,
        details=details,
    )


def record_denial(
    session: Session,
    denied: PermissionDenied,
    *,
    source: str | None = None,
    object_type: str | None = None,
    object_id: object = None,
    now: datetime | None = None,
) -> AuditEntry:
    """Audit a refused access; call it in a fresh unit of work (the refused one rolls back)."""
    return record_audit(
        session,
        "access.denied",
        actor=denied.user,
        result="denied",
        object_type=object_type,
        object_id=object_id,
        source=source,
        details={"permission": denied.permission, "message": denied.message},
        now=now,
    )


def verify_audit_chain(session: Session) -> AuditBreak | None:
    """Check every entry's hash and link and the head; the first break found, or None."""
    table = AuditEntry.__table__
    stmt = select(*table.c).order_by(table.c.id).execution_options(yield_per=1000)
    rows = session.execute(stmt).mappings()
    expected_id, prev_hash = 1, GENESIS_HASH
    for row in rows:
        problem = None
        if row["id"] != expected_id:
            problem = f"第 {expected_id} 条起的记录缺失（序号跳到 {row['id']}）"
        elif row["prev_hash"] != prev_hash:
            problem = "与前一条记录的哈希不衔接：前一条被修改或删除"
        elif row["hash"] != _chain(row["prev_hash"], _content(row)):
            problem = "本条内容与其哈希不符：记录被修改"
        if problem:
            return AuditBreak(row["id"], problem, session.get(AuditEntry, row["id"]))
        expected_id, prev_hash = row["id"] + 1, row["hash"]
    last_id = expected_id - 1
    head = session.execute(select(*AuditHead.__table__.c).where(AuditHead.id == 1)).first()
    if head is None:
        if last_id == 0:
            return None
        return AuditBreak(None, "审计链头缺失")
    if head.last_entry_id != last_id or head.last_hash != prev_hash:
        if head.last_entry_id > last_id:
            return AuditBreak(
                last_id + 1, f"末尾记录缺失：应有 {head.last_entry_id} 条，实有 {last_id} 条"
            )
        return AuditBreak(None, "审计链头与最后一条记录不符")
    return None


def _audit_query(
    since: datetime | None,
    until: datetime | None,
    action: str | None,
    username: str | None,
) -> Any:
    stmt = select(AuditEntry).order_by(AuditEntry.id)
    if since is not None:
        stmt = stmt.where(AuditEntry.at >= _utc(since))
    if until is not None:
        stmt = stmt.where(AuditEntry.at < _utc(until))
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    if username:
        stmt = stmt.where(AuditEntry.username == username)
    return stmt


def _audit_row(entry: AuditEntry) -> dict[str, Any]:
    role = find_role(entry.role)
    return {
        "id": entry.id,
        "at": _utc(entry.at).astimezone(_CHINA).isoformat(timespec="seconds"),
        "user_id": entry.user_id,
        "username": entry.username,
        "role": entry.role,
        "role_label": role.label if role else (entry.role or ""),
        "action": entry.action,
        "action_label": AUDIT_ACTIONS.get(entry.action, entry.action),
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "result": entry.result,
        "result_label": AUDIT_RESULTS.get(entry.result, entry.result),
        "source": entry.source,
        "details": entry.details,
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
    }


def list_audit(
    session: Session,
    user: User,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    action: str | None = None,
    username: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """A page of audit rows for the audit administrator (requires audit.read)."""
    require(user, "audit.read")
    stmt = _audit_query(since, until, action, username).limit(limit).offset(offset)
    return [_audit_row(e) for e in session.scalars(stmt)]


def export_audit(
    session: Session,
    user: User,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    action: str | None = None,
    username: str | None = None,
    source: str | None = None,
    now: datetime | None = None,
) -> list[dict[str, Any]]:
    """Every matching audit row, for a file (requires audit.export; the export is audited).

    Row keys are English; `AUDIT_COLUMNS` gives the Chinese header of the columns to write.
    """
    require(user, "audit.export", now=now)
    rows = [_audit_row(e) for e in session.scalars(_audit_query(since, until, action, username))]
    record_audit(
        session,
        "audit.export",
        actor=user,
        source=source,
        details={
            "rows": len(rows),
            "since": since,
            "until": until,
            "action": action,
            "username": username,
        },
        now=now,
    )
    return rows


# ---------------------------------------------------------------- organisation units


def create_org_unit(
    session: Session,
    actor: Actor,
    *,
    code: str,
    name: str,
    kind: OrgKind | str,
    parent: OrgUnit | None = None,
    township: str | None = None,
    industries: Iterable[str] = (),
    offices: Iterable[str] = (),
    source: str | None = None,
    now: datetime | None = None,
) -> OrgUnit:
    """Create an organisation unit (requires org.manage); `offices` are rulebook office codes."""
    at = _now(now)
    _require_actor(actor, "org.manage", at)
    try:
        kind = OrgKind(kind)
    except ValueError:
        raise AccountError(f"未知的机构类型：{kind}") from None
    covered = sorted({i.strip() for i in industries if i and i.strip()})
    township = (township or "").strip() or None
    if kind is OrgKind.TOWNSHIP and not township:
        raise AccountError("镇街机构须注明其管辖的镇街名称（与企业名录中的“所属镇街”一致）")
    if kind is OrgKind.INDUSTRY_AUTHORITY and not covered:
        raise AccountError("行业主管部门须注明其主管的行业（与企业名录中的“行业”一致）")
    if session.scalar(select(OrgUnit.id).where(OrgUnit.code == code)) is not None:
        raise AccountError(f"机构代码已存在：{code}")
    unit = OrgUnit(
        code=code,
        name=name,
        kind=kind.value,
        parent=parent,
        township=township if kind is OrgKind.TOWNSHIP else None,
        industries=covered if kind is OrgKind.INDUSTRY_AUTHORITY else [],
        offices=sorted({o.strip() for o in offices if o and o.strip()}),
        active=True,
        created_at=at,
    )
    session.add(unit)
    session.flush()
    record_audit(
        session,
        "org.create",
        actor=actor,
        object_type="org_unit",
        object_id=unit.id,
        source=source,
        details={
            "code": code,
            "name": name,
            "kind": kind.value,
            "township": unit.township,
            "industries": covered,
            "offices": unit.offices,
        },
        now=at,
    )
    return unit


# ---------------------------------------------------------------- users


def _check_role_fits(role_code: str | None, unit: OrgUnit | None) -> Role | None:
    if role_code is None:
        return None
    role = find_role(role_code)
    if role is None:
        raise AccountError(f"未知的角色：{role_code}")
    if unit is None or OrgKind(unit.kind) not in role.org_kinds:
        kinds = "、".join(sorted(k.value for k in role.org_kinds))
        raise AccountError(f"角色“{role.label}”只能属于以下类型的机构：{kinds}")
    return role


def _revoke_all(session: Session, user: User, reason: str, now: datetime) -> int:
    live = session.scalars(
        select(UserSession).where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
    ).all()
    for row in live:
        row.revoked_at, row.revoked_reason = now, reason
    session.flush()
    return len(live)


def create_user(
    session: Session,
    actor: Actor,
    *,
    username: str,
    display_name: str,
    org_unit: OrgUnit,
    role: str | None = None,
    password: str | None = None,
    source: str | None = None,
    now: datetime | None = None,
) -> User:
    """Create an account (users.manage); giving a role needs roles.assign, a password
    passwords.reset, so the system administrator creates and the security administrator arms.
    """
    at = _now(now)
    _require_actor(actor, "users.manage", at)
    if role is not None:
        _require_actor(actor, "roles.assign", at)
    if password is not None:
        _require_actor(actor, "passwords.reset", at)
    name = normalise_username(username)
    if session.scalar(select(User.id).where(User.username == name)) is not None:
        raise AccountError(f"用户名已存在：{name}")
    if not display_name.strip():
        raise AccountError("姓名不能为空")
    _check_role_fits(role, org_unit)
    user = User(
        username=name,
        display_name=display_name.strip(),
        role=role,
        org_unit=org_unit,
        active=True,
        failed_logins=0,
        must_change_password=password is not None,
        created_at=at,
        updated_at=at,
    )
    if password is not None:
        _store_password(user, password, at)
    session.add(user)
    session.flush()
    record_audit(
        session,
        "users.create",
        actor=actor,
        object_type="user",
        object_id=user.id,
        source=source,
        details={
            "username": name,
            "role": role,
            "org_unit": org_unit.code,
            "password_set": password is not None,
        },
        now=at,
    )
    return user


def update_user(
    session: Session,
    actor: Actor,
    user: User,
    *,
    display_name: str | None = None,
    org_unit: OrgUnit | None = None,
    active: bool | None = None,
    source: str | None = None,
    now: datetime | None = None,
) -> User:
    """Change a user's non-security fields: name, unit, enabled (requires users.manage)."""
    at = _now(now)
    acting = _require_actor(actor, "users.manage", at)
    # Every check first, so a refusal leaves the user untouched.
    name = display_name.strip() if display_name is not None else None
    if name is not None and not name:
        raise AccountError("姓名不能为空")
    moving = org_unit is not None and org_unit is not user.org_unit
    if moving:
        _check_role_fits(user.role, org_unit)
    switching = active is not None and active != user.active
    if switching:
        if acting is not None and acting.id == user.id and not active:
            raise AccountError("不能停用自己的账号")
        _guard_admin_account(acting, user)

    changes: dict[str, list[Any]] = {}
    if name is not None and name != user.display_name:
        changes["display_name"] = [user.display_name, name]
        user.display_name = name
    if moving and org_unit is not None:
        changes["org_unit"] = [user.org_unit.code if user.org_unit else None, org_unit.code]
        user.org_unit = org_unit
    if switching and active is not None:
        changes["active"] = [user.active, active]
        user.active = active
        if not active:
            _revoke_all(session, user, "deactivated", at)
    if changes:
        user.updated_at = at
        session.flush()
        record_audit(
            session,
            "users.update",
            actor=actor,
            object_type="user",
            object_id=user.id,
            source=source,
            details={"changes": changes},
            now=at,
        )
    return user


def _not_self(acting: User | None, user: User, message: str) -> None:
    if acting is not None and acting.id == user.id:
        raise PermissionDenied(message, user=acting)


ADMIN_ACCOUNT_MESSAGE = (
    "管理员账号（系统管理员、安全管理员、审计管理员）的角色、密码、锁定和停用只能在服务器上"
    "用命令行维护：任何一名管理员都不能接管另一名管理员的账号（三权分立）。"
)


def _guard_admin_account(acting: User | None, user: User, new_role: str | None = None) -> None:
    # Otherwise the security administrator could reset the audit administrator's password, or
    # give a business account the audit role, and read the log that records what they did.
    if acting is None:
        return
    current, target = find_role(user.role), find_role(new_role)
    if (current and current.administrative) or (target and target.administrative):
        raise PermissionDenied(ADMIN_ACCOUNT_MESSAGE, user=acting)


def assign_role(
    session: Session,
    actor: Actor,
    user: User,
    role: str | None,
    *,
    source: str | None = None,
    now: datetime | None = None,
) -> User:
    """Give a business user a role, or none (roles.assign; not one's own, not an admin role)."""
    at = _now(now)
    acting = _require_actor(actor, "roles.assign", at)
    _not_self(acting, user, "不能修改自己的角色。")
    _guard_admin_account(acting, user, role)
    new_role = _check_role_fits(role, user.org_unit)
    old = user.role
    user.role = role
    if new_role is None or new_role.administrative:
        user.unmask_granted_until = None
    user.updated_at = at
    session.flush()
    record_audit(
        session,
        "users.role",
        actor=actor,
        object_type="user",
        object_id=user.id,
        source=source,
        details={"username": user.username, "from": old, "to": role},
        now=at,
    )
    return user


def set_password(
    session: Session,
    actor: Actor,
    user: User,
    password: str,
    *,
    source: str | None = None,
    now: datetime | None = None,
) -> User:
    """Reset a business user's password (requires passwords.reset); they must change it next.

    Raises PasswordPolicyError (reasons in Chinese) when the password breaks the policy.
    """
    at = _now(now)
    acting = _require_actor(actor, "passwords.reset", at)
    _not_self(acting, user, "修改本人密码请使用“修改密码”（需验证原密码）。")
    _guard_admin_account(acting, user)
    _store_password(user, password, at)
    user.must_change_password = True
    user.updated_at = at
    _revoke_all(session, user, "password_reset", at)
    record_audit(
        session,
        "users.password_reset",
        actor=actor,
        object_type="user",
        object_id=user.id,
        source=source,
        details={"username": user.username},
        now=at,
    )
    return user


def change_password(
    session: Session,
    user: User,
    current_password: str,
    new_password: str,
    *,
    keep_token: str | None = None,
    source: str | None = None,
    now: datetime | None = None,
) -> User:
    """Change one's own password after checking the current one; other sessions end."""
    at = _now(now)
    if not _verify_password(user.password_hash, current_password):
        raise AuthenticationFailed("原密码不正确。")
    if current_password == new_password:
        raise PasswordPolicyError(["新密码不能与原密码相同"])
    _store_password(user, new_password, at)
    user.must_change_password = False
    user.updated_at = at
    keep = _token_hash(keep_token) if keep_token else None
    for row in session.scalars(
        select(UserSession).where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
    ):
        if row.token_hash != keep:
            row.revoked_at, row.revoked_reason = at, "password_changed"
    session.flush()
    record_audit(
        session,
        "users.password_change",
        actor=user,
        object_type="user",
        object_id=user.id,
        source=source,
        now=at,
    )
    return user


def is_locked(user: User, *, now: datetime | None = None) -> bool:
    """Whether the account is locked at `now`."""
    return user.locked_until is not None and _utc(user.locked_until) > _now(now)


def lock_user(
    session: Session,
    actor: Actor,
    user: User,
    *,
    reason: str,
    until: datetime | None = None,
    source: str | None = None,
    now: datetime | None = None,
) -> User:
    """Lock an account until a time, or until unlocked (requires accounts.lock); ends sessions."""
    at = _now(now)
    acting = _require_actor(actor, "accounts.lock", at)
    _not_self(acting, user, "不能锁定自己的账号。")
    _guard_admin_account(acting, user)
    if not reason.strip():
        raise AccountError("锁定账号须说明原因")
    user.locked_until = _utc(until) if until is not None else _FOREVER
    user.updated_at = at
    _revoke_all(session, user, "locked", at)
    record_audit(
        session,
        "users.lock",
        actor=actor,
        object_type="user",
        object_id=user.id,
        source=source,
        details={"username": user.username, "until": until, "reason": reason.strip()},
        now=at,
    )
    return user


def unlock_user(
    session: Session,
    actor: Actor,
    user: User,
    *,
    source: str | None = None,
    now: datetime | None = None,
) -> User:
    """Unlock an account and clear its failure count (requires accounts.lock)."""
    at = _now(now)
    _guard_admin_account(_require_actor(actor, "accounts.lock", at), user)
    user.locked_until = None
    user.failed_logins = 0
    user.updated_at = at
    session.flush()
    record_audit(
        session,
        "users.unlock",
        actor=actor,
        object_type="user",
        object_id=user.id,
        source=source,
        details={"username": user.username},
        now=at,
    )
    return user


def grant_unmask(
    session: Session,
    actor: Actor,
    user: User,
    *,
    until: datetime,
    reason: str,
    source: str | None = None,
    now: datetime | None = None,
) -> User:
    """Let a business user read personal data in clear until `until` (requires unmask.grant)."""
    at = _now(now)
    acting = _require_actor(actor, "unmask.grant", at)
    _not_self(acting, user, "不能给自己授予个人信息查看权限。")
    role = find_role(user.role)
    if role is None or role.administrative:
        raise AccountError("只能给业务角色授予个人信息查看权限，管理员角色不得查看个人信息")
    if not reason.strip():
        raise AccountError("授予个人信息查看权限须说明原因")
    if _utc(until) <= at:
        raise AccountError("授权截止时间须晚于当前时间")
    user.unmask_granted_until = _utc(until)
    user.updated_at = at
    session.flush()
    record_audit(
        session,
        "users.unmask_grant",
        actor=actor,
        object_type="user",
        object_id=user.id,
        source=source,
        details={"username": user.username, "until": until, "reason": reason.strip()},
        now=at,
    )
    return user


def revoke_unmask(
    session: Session,
    actor: Actor,
    user: User,
    *,
    source: str | None = None,
    now: datetime | None = None,
) -> User:
    """Withdraw a user's unmasking grant (requires unmask.grant)."""
    at = _now(now)
    _require_actor(actor, "unmask.grant", at)
    user.unmask_granted_until = None
    user.updated_at = at
    session.flush()
    record_audit(
        session,
        "users.unmask_revoke",
        actor=actor,
        object_type="user",
        object_id=user.id,
        source=source,
        details={"username": user.username},
        now=at,
    )
    return user


# ---------------------------------------------------------------- sign-in and sessions


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def authenticate(
    session: Session,
    username: str,
    password: str,
    source: str | None = None,
    *,
    now: datetime | None = None,
    absolute_hours: float = ABSOLUTE_SESSION_HOURS,
) -> LoginResult:
    """Sign in: a new session token on success; every attempt is audited.

    After MAX_FAILED_LOGINS consecutive failures the account is locked for LOCKOUT_MINUTES
    and refused even with the right password. Commit whatever the result: a failure's count
    and audit entry must be kept.
    """
    at = _now(now)
    try:
        name = normalise_username(username)
    except AccountError:
        name = (username or "").strip()[:64]
    user = session.scalar(select(User).where(User.username == name))
    # Always one argon2 verification, whatever the account's state.
    password_ok = _verify_password(user.password_hash if user else None, password)

    def fail(reason: str, **details: Any) -> LoginResult:
        record_audit(
            session,
            "auth.login",
            actor=user,
            username=name,
            result="failure",
            object_type="user",
            object_id=user.id if user else None,
            source=source,
            details={"reason": reason, **details},
            now=at,
        )
        return LoginResult(
            user=user,
            reason=reason,
            message=LOGIN_FAILED_MESSAGE,
            locked_until=user.locked_until if user else None,
        )

    if user is None:
        return fail("unknown_user")
    if is_locked(user, now=at):
        return fail("locked", locked_until=user.locked_until)
    if not user.active:
        return fail("inactive")
    if user.password_hash is None:
        return fail("no_password")
    if not password_ok:
        user.failed_logins = (user.failed_logins or 0) + 1
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.locked_until = at + timedelta(minutes=LOCKOUT_MINUTES)
            user.failed_logins = 0
            result = fail("bad_password", attempts=MAX_FAILED_LOGINS)
            record_audit(
                session,
                "auth.lockout",
                actor=user,
                result="failure",
                object_type="user",
                object_id=user.id,
                source=source,
                details={"locked_until": user.locked_until, "minutes": LOCKOUT_MINUTES},
                now=at,
            )
            return result
        return fail("bad_password", attempts=user.failed_logins)

    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = at
    token = secrets.token_urlsafe(32)
    session.add(
        UserSession(
            token_hash=_token_hash(token),
            user=user,
            created_at=at,
            last_seen_at=at,
            expires_at=at + timedelta(hours=absolute_hours),
            source=_cut(source, 64),
        )
    )
    session.flush()
    record_audit(
        session,
        "auth.login",
        actor=user,
        object_type="user",
        object_id=user.id,
        source=source,
        now=at,
    )
    return LoginResult(token=token, user=user)


def resolve_session(
    session: Session,
    token: str | None,
    idle_minutes: float = IDLE_MINUTES,
    *,
    now: datetime | None = None,
) -> User | None:
    """The user behind a session token, or None if unknown, revoked, idle or expired."""
    if not token:
        return None
    at = _now(now)
    row = session.scalar(select(UserSession).where(UserSession.token_hash == _token_hash(token)))
    if row is None or row.revoked_at is not None:
        return None
    reason = None
    if at >= _utc(row.expires_at):
        reason = "expired"
    elif at - _utc(row.last_seen_at) > timedelta(minutes=idle_minutes):
        reason = "idle"
    elif not row.user.active:
        reason = "deactivated"
    if reason:
        row.revoked_at, row.revoked_reason = at, reason
        session.flush()
        return None
    if at - _utc(row.last_seen_at) >= _TOUCH_EVERY:
        row.last_seen_at = at
        session.flush()
    return row.user


def logout(
    session: Session,
    token: str | None,
    *,
    source: str | None = None,
    now: datetime | None = None,
) -> bool:
    """End the session of `token`; True if a live session was ended."""
    if not token:
        return False
    at = _now(now)
    row = session.scalar(select(UserSession).where(UserSession.token_hash == _token_hash(token)))
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at, row.revoked_reason = at, "logout"
    session.flush()
    record_audit(
        session,
        "auth.logout",
        actor=row.user,
        object_type="user",
        object_id=row.user_id,
        source=source,
        now=at,
    )
    return True


def end_sessions(
    session: Session,
    actor: Actor,
    user: User,
    *,
    source: str | None = None,
    now: datetime | None = None,
) -> int:
    """Sign a user out everywhere (requires sessions.revoke); the number of sessions ended."""
    at = _now(now)
    _require_actor(actor, "sessions.revoke", at)
    ended = _revoke_all(session, user, "forced", at)
    record_audit(
        session,
        "sessions.revoke",
        actor=actor,
        object_type="user",
        object_id=user.id,
        source=source,
        details={"username": user.username, "sessions": ended},
        now=at,
    )
    return ended
