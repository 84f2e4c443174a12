"""Notify: the in-app inbox, and the outbound channels after the transaction commits.

`notify_units` writes one inbox row per active user of the given units (the people who must
act) and queues the message for the registered channels (e-mail, WeCom/DingTalk webhook).
Queued messages are sent only after the session commits, so a rolled-back change never
tells anyone anything, and a channel that is down never fails the change.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import event, func, select, update
from sqlalchemy.orm import Session

from wagewatch.auth.models import User
from wagewatch.auth.roles import find_role
from wagewatch.china import to_utc
from wagewatch.db.base import utcnow
from wagewatch.notify.channels import Message, Recipient, configure_from_env, deliver
from wagewatch.notify.models import Notification

__all__ = [
    "configure_channels",
    "inbox",
    "mark_read",
    "notify_units",
    "notify_users",
    "unread_count",
]

log = logging.getLogger(__name__)
_OUTBOX = "wagewatch_outbox"
_configured: list[str] | None = None


def configure_channels() -> list[str]:
    """Register the e-mail and webhook channels the environment describes, once per process."""
    global _configured
    if _configured is None:
        _configured = configure_from_env()
        if _configured:
            log.info("通知通道：%s", "、".join(_configured))
    return list(_configured)


def _business_users(session: Session, unit_ids: Iterable[int]) -> list[User]:
    ids = sorted({u for u in unit_ids if u is not None})
    if not ids:
        return []
    users = session.scalars(
        select(User).where(User.org_unit_id.in_(ids), User.active.is_(True)).order_by(User.id)
    )
    out = []
    for user in users:
        role = find_role(user.role)
        # The three administrators never receive business data.
        if role is not None and not role.administrative:
            out.append(user)
    return out


def notify_users(
    session: Session,
    users: Iterable[User],
    *,
    event_code: str,
    title: str,
    body: str,
    link: str,
    due_at: datetime | None = None,
    level: str | None = None,
    now: datetime | None = None,
) -> int:
    """Put a message in each user's inbox and queue it for the outbound channels."""
    at = to_utc(now or utcnow())
    recipients: list[Recipient] = []
    count = 0
    seen: set[int] = set()
    for user in users:
        if user.id in seen:
            continue
        seen.add(user.id)
        session.add(
            Notification(
                user_id=user.id,
                event=event_code,
                title=title[:300],
                body=body,
                link=link,
                due_at=due_at,
                created_at=at,
            )
        )
        recipients.append(Recipient(name=user.display_name, email=getattr(user, "email", None)))
        count += 1
    if count:
        message = Message(
            title=title,
            body=body,
            link=link,
            due_at=due_at,
            level=level,
            recipients=tuple(recipients),
            event=event_code,
        )
        _queue(session, message)
    return count


def notify_units(
    session: Session,
    unit_ids: Iterable[int | None],
    **kwargs: Any,
) -> int:
    """Notify every active business user of the units (see `notify_users`)."""
    users = _business_users(session, [u for u in unit_ids if u is not None])
    return notify_users(session, users, **kwargs)


def _queue(session: Session, message: Message) -> None:
    outbox: list[Message] = session.info.setdefault(_OUTBOX, [])
    outbox.append(message)
    if not event.contains(session, "after_commit", _send_outbox):
        event.listen(session, "after_commit", _send_outbox)
        event.listen(session, "after_rollback", _drop_outbox)


def _send_outbox(session: Session) -> None:
    outbox: list[Message] = session.info.pop(_OUTBOX, [])
    for message in outbox:
        for result in deliver(message):
            if not result.ok:
                log.warning("通知发送失败（%s）：%s", result.channel, result.detail)


def _drop_outbox(session: Session) -> None:
    session.info.pop(_OUTBOX, None)


def inbox(session: Session, user: User, *, limit: int = 50) -> list[Notification]:
    """The user's newest messages."""
    return list(
        session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


def unread_count(session: Session, user: User) -> int:
    """How many of the user's messages are unread."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        )
        or 0
    )


def mark_read(
    session: Session, user: User, ids: Iterable[int] | None = None, now: datetime | None = None
) -> int:
    """Mark the user's messages (all, or the given ones) as read; how many changed."""
    stmt = update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if ids is not None:
        stmt = stmt.where(Notification.id.in_(list(ids)))
    result = session.execute(stmt.values(read_at=to_utc(now or utcnow())))
    return int(getattr(result, "rowcount", 0) or 0)
