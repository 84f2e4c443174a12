"""Organisation units, users, login sessions and the hash-chained audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wagewatch.db.base import Base, JSONType, utcnow

__all__ = ["AuditEntry", "AuditHead", "OrgUnit", "User", "UserSession"]


class OrgUnit(Base):
    """An organisation unit: the district, a township, a department or an industry authority."""

    __tablename__ = "org_units"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20), index=True)  # roles.OrgKind
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    # The Enterprise.township value a township unit covers (镇街、园区).
    township: Mapped[str | None] = mapped_column(String(100))
    # The Enterprise.industry values an industry authority covers (住建局 → 建筑业).
    industries: Mapped[list[str]] = mapped_column(JSONType, default=list)
    # The rulebook office codes this unit answers for (inspection, labour_bureau, township …):
    # how a case or a task named by its office finds its unit.
    offices: Mapped[list[str]] = mapped_column(JSONType, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    parent: Mapped[OrgUnit | None] = relationship(remote_side=[id])


class User(Base):
    """A person who signs in, with one role and one organisation unit."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    # argon2id PHC string; None until a password is set, so the account cannot sign in.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    # A code of the role registry; None until the security administrator assigns one.
    role: Mapped[str | None] = mapped_column(String(40), index=True)
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Set by an administrator's reset: the user must choose their own password next.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    # A time-limited pii.unmask grant by the security administrator (beyond the role's).
    unmask_granted_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    # Joined: every permission and scope decision needs the unit.
    org_unit: Mapped[OrgUnit | None] = relationship(lazy="joined")


class UserSession(Base):
    """A signed-in session; only the SHA-256 of its opaque token is stored."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_reason: Mapped[str | None] = mapped_column(String(40))
    source: Mapped[str | None] = mapped_column(String(64))

    user: Mapped[User] = relationship(lazy="joined")


class AuditEntry(Base):
    """One append-only audit record, chained to the previous one by SHA-256.

    `id` is assigned from the chain head (1, 2, 3 … without gaps) and is part of the hashed
    content, so an edited, deleted or re-numbered row breaks the chain.
    """

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # Snapshots: the log must read the same after a user is renamed or changes role.
    username: Mapped[str | None] = mapped_column(String(64), index=True)
    role: Mapped[str | None] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str | None] = mapped_column(String(60))
    object_id: Mapped[str | None] = mapped_column(String(64))
    result: Mapped[str] = mapped_column(String(20))
    source: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHead(Base):
    """The single row naming the last audit entry: it serialises appends and anchors the tail."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_entry_id: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


@event.listens_for(AuditEntry, "before_update")
def _refuse_update(_mapper: Any, _conn: Any, target: AuditEntry) -> None:
    raise PermissionError(f"审计日志只能追加，不能修改（第 {target.id} 条）")


@event.listens_for(AuditEntry, "before_delete")
def _refuse_delete(_mapper: Any, _conn: Any, target: AuditEntry) -> None:
    raise PermissionError(f"审计日志只能追加，不能删除（第 {target.id} 条）")
