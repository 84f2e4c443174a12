"""The review queue for district-wide importers: list, confirm a candidate, register new.

Scope: a ReviewItem records only the name and code as written and the candidates; the row's
own township is not stored on it. Showing a township user the items "whose candidates are in
its township" would still show the written name (which may be another township's enterprise)
and the other candidates, and would let that user tie another township's complaint to an
enterprise of its own. That cannot be decided safely, so the queue is for district-wide roles
only (imports.create with district scope); registering a new enterprise also needs
enterprises.write (it adds to the registry).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wagewatch.alerts.models import Warning
from wagewatch.auth.models import User
from wagewatch.auth.roles import Scope
from wagewatch.auth.service import (
    PermissionDenied,
    can,
    record_audit,
    register_audit_action,
    require,
    role_of,
)
from wagewatch.cases.service import regrade
from wagewatch.china import CHINA
from wagewatch.enterprises.models import Enterprise
from wagewatch.enterprises.service import ReviewError, create_from_review, resolve_review
from wagewatch.rules.model import Rulebook
from wagewatch.signals.models import ImportBatch, ReviewItem
from wagewatch.web.reviews.schemas import (
    ReviewCandidate,
    ReviewDecision,
    ReviewQueue,
    ReviewRow,
)

__all__ = [
    "QUEUE_LIMIT",
    "confirm_review",
    "may_review",
    "register_from_review",
    "review_queue",
]

QUEUE_LIMIT = 200
DISTRICT_ONLY = "待核对事项只对全区范围的岗位开放：核对可能涉及其他镇街或行业的企业。"

register_audit_action("review.confirm", "待核对：确认对应企业")
register_audit_action("review.create", "待核对：登记为新企业")


def may_review(user: User | None) -> bool:
    """Whether the user may open the review queue (imports.create, district scope)."""
    role = role_of(user)
    return role is not None and role.scope == Scope.DISTRICT and can(user, "imports.create")


def _require_review(user: User) -> None:
    require(user, "imports.create")
    if not may_review(user):
        raise PermissionDenied(DISTRICT_ONLY, user=user, permission="imports.create")


def review_queue(session: Session, user: User) -> ReviewQueue:
    """The pending rows, oldest first, with their candidates described."""
    _require_review(user)
    pending = ReviewItem.status == "pending"
    total = session.scalar(select(func.count()).select_from(ReviewItem).where(pending)) or 0
    rows = session.execute(
        select(ReviewItem, ImportBatch.file_name)
        .join(ImportBatch, ImportBatch.id == ReviewItem.batch_id)
        .where(pending)
        .order_by(ReviewItem.id)
        .limit(QUEUE_LIMIT)
    ).all()
    ids = {int(c["enterprise_id"]) for item, _ in rows for c in (item.candidates or [])}
    known = {e.id: e for e in session.scalars(select(Enterprise).where(Enterprise.id.in_(ids)))}
    items = []
    for item, file_name in rows:
        candidates = []
        for c in item.candidates or []:
            ent = known.get(int(c["enterprise_id"]))
            if ent is None:
                continue
            candidates.append(
                ReviewCandidate(
                    enterprise_id=ent.id,
                    name=ent.name,
                    score=c.get("score"),
                    credit_code=ent.credit_code,
                    township=ent.township,
                    industry=ent.industry,
                )
            )
        items.append(
            ReviewRow(
                id=item.id,
                batch_id=item.batch_id,
                file_name=file_name,
                row_no=item.row_no,
                name=item.name,
                credit_code=item.credit_code,
                reason=item.reason,
                candidates=candidates,
            )
        )
    return ReviewQueue(items=items, total=total, can_create=can(user, "enterprises.write"))


def _regrade(
    session: Session, rb: Rulebook, item_id: int, ent: Enterprise, created: bool
) -> ReviewDecision:
    regrade(session, rb, datetime.now(CHINA).date(), [ent.id])
    level = session.scalar(
        select(Warning.level_name).where(
            Warning.rulebook == rb.name, Warning.enterprise_id == ent.id
        )
    )
    return ReviewDecision(
        item_id=item_id,
        enterprise_id=ent.id,
        enterprise_name=ent.name,
        created=created,
        level=level,
    )


def confirm_review(
    session: Session,
    user: User,
    rb: Rulebook,
    item_id: int,
    enterprise_id: int,
    *,
    source: str | None = None,
) -> ReviewDecision:
    """Tie a row to one of its candidates, remember the name as an alias, re-grade it.

    ReviewError (Chinese message) for a settled row or an enterprise not among the candidates.
    """
    _require_review(user)
    item = session.get(ReviewItem, item_id)
    offered = {int(c["enterprise_id"]) for c in (item.candidates or [])} if item else set()
    if item is not None and item.status == "pending" and enterprise_id not in offered:
        raise ReviewError("只能从候选企业中确认；名录外的企业请登记为新企业")
    resolve_review(session, item_id, enterprise_id, user.username, remember=True)
    ent = session.get(Enterprise, enterprise_id)
    assert ent is not None  # resolve_review checked it
    record_audit(
        session,
        "review.confirm",
        actor=user,
        object_type="review_item",
        object_id=item_id,
        source=source,
        details={"enterprise_id": enterprise_id, "written_name": item.name if item else None},
    )
    return _regrade(session, rb, item_id, ent, created=False)


def register_from_review(
    session: Session, user: User, rb: Rulebook, item_id: int, *, source: str | None = None
) -> ReviewDecision:
    """Register the row's enterprise as new (requires enterprises.write too), re-grade it."""
    _require_review(user)
    require(user, "enterprises.write")
    ent = create_from_review(session, item_id, user.username)
    record_audit(
        session,
        "review.create",
        actor=user,
        object_type="review_item",
        object_id=item_id,
        source=source,
        details={"enterprise_id": ent.id, "name": ent.name},
    )
    return _regrade(session, rb, item_id, ent, created=True)
