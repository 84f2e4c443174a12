"""Review queue verbs: settle a row's enterprise by an officer's decision, never a guess."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from wagewatch.db.base import utcnow
from wagewatch.enterprises.models import Enterprise, EnterpriseAlias
from wagewatch.enterprises.names import normalise_name
from wagewatch.signals.models import ReviewItem

__all__ = ["ReviewError", "create_from_review", "find_enterprise", "resolve_review"]


class ReviewError(ValueError):
    """A review decision that cannot be applied."""


def find_enterprise(session: Session, ref: str) -> Enterprise | None:
    """An enterprise by id, credit code or exact name."""
    if ref.isdigit():
        found = session.get(Enterprise, int(ref))
        if found is not None:
            return found
    return session.scalar(
        select(Enterprise).where((Enterprise.credit_code == ref.upper()) | (Enterprise.name == ref))
    )


def _pending(session: Session, item_id: int) -> ReviewItem:
    item = session.get(ReviewItem, item_id)
    if item is None:
        raise ReviewError(f"待核对事项 {item_id} 不存在")
    if item.status != "pending":
        raise ReviewError(f"待核对事项 {item_id} 已处理（{item.status}）")
    return item


def resolve_review(
    session: Session, item_id: int, enterprise_id: int, user: str, *, remember: bool = True
) -> ReviewItem:
    """Tie a review row to an enterprise; remember the written name as an alias if asked."""
    item = _pending(session, item_id)
    if session.get(Enterprise, enterprise_id) is None:
        raise ReviewError(f"企业 {enterprise_id} 不存在")
    item.status, item.enterprise_id = "resolved", enterprise_id
    item.resolved_by, item.resolved_at = user, utcnow()
    if remember and item.name:
        norm = normalise_name(item.name)
        exists = session.scalar(select(EnterpriseAlias).where(EnterpriseAlias.name_norm == norm))
        if exists is None:
            session.add(
                EnterpriseAlias(
                    enterprise_id=enterprise_id, name=item.name, name_norm=norm, confirmed_by=user
                )
            )
    session.flush()
    return item


def create_from_review(session: Session, item_id: int, user: str) -> Enterprise:
    """Register the row's enterprise as a new one (it is truly not in the registry yet)."""
    item = _pending(session, item_id)
    if not item.name:
        raise ReviewError("该行没有企业名称，无法新建企业")
    ent = Enterprise(
        name=item.name,
        name_norm=normalise_name(item.name),
        credit_code=(item.credit_code or None),
        source_batch_id=item.batch_id,
    )
    session.add(ent)
    session.flush()
    item.status, item.enterprise_id = "resolved", ent.id
    item.resolved_by, item.resolved_at = user, utcnow()
    session.flush()
    return ent
