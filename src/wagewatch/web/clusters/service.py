"""Cluster warnings (no enterprise: `cluster` is the industry) for cluster rulebooks.

Scope: a cluster is graded over the whole county, so district-wide roles see every cluster
and an industry authority sees the clusters of its own industries. A township user sees none:
a cluster's townships are a count, not a list, so it cannot be told which concern the township.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from wagewatch.alerts.models import Warning
from wagewatch.auth.models import User
from wagewatch.auth.roles import Scope
from wagewatch.auth.service import require, role_of
from wagewatch.rules.model import Rulebook
from wagewatch.web.clusters.schemas import ClusterAction, ClusterBoard, ClusterCard, ClusterFact
from wagewatch.web.common import fmt_value
from wagewatch.web.rules.service import action_public, level_public, reasons_public

__all__ = ["FACT_LABELS", "cluster_board"]

FACT_LABELS = {
    "group_incidents": "群体性事件 / 集体停工（起）",
    "workers_involved": "涉及人数",
    "townships_affected": "涉及乡镇数",
    "enterprises_affected": "涉及企业数",
    "townships": "涉及乡镇",
}


def _industries(user: User) -> list[str] | None:
    # None: every cluster; a list: those industries only (empty: none).
    role = role_of(user)
    if role is None:
        return []
    if role.scope is Scope.DISTRICT:
        return None
    unit = user.org_unit
    if role.scope is Scope.INDUSTRY and unit is not None:
        return list(unit.industries or [])
    return []


def _actions(rb: Rulebook, w: Warning, now: datetime) -> list[ClusterAction]:
    start = w.raised_at or w.updated_at
    if start is not None and start.tzinfo is None:
        start = start.replace(tzinfo=UTC)
    out = []
    for a in rb.actions.get(w.level or "", ()):
        due = start + timedelta(hours=a.due_hours) if a.due_hours and start else None
        out.append(
            ClusterAction(action=action_public(a), due_at=due, overdue=bool(due and due < now))
        )
    return out


def cluster_board(
    session: Session, user: User, rb: Rulebook, *, now: datetime | None = None
) -> ClusterBoard | None:
    """The current cluster warnings within the user's scope; None unless rb grades clusters."""
    require(user, "warnings.read")
    if rb.subject != "cluster":
        return None
    now = now or datetime.now(UTC)
    industries = _industries(user)
    note = None
    if industries is not None:
        note = (
            f"仅显示本单位主管行业（{'、'.join(industries)}）的集群预警。"
            if industries
            else "行业集群预警覆盖全县，按镇街无法区分，仅对全区范围的岗位和行业主管部门显示。"
        )
        if not industries:
            return ClusterBoard(items=[], scope_note=note)
    stmt = select(Warning).where(
        Warning.rulebook == rb.name, Warning.cluster.is_not(None), Warning.level.is_not(None)
    )
    if industries is not None:
        stmt = stmt.where(Warning.cluster.in_(industries))
    rows = session.scalars(stmt.order_by(Warning.level_rank.desc(), Warning.cluster))
    items = []
    for w in rows:
        level = level_public(rb, w.level)
        if level is None or w.cluster is None:
            continue
        facts = [
            ClusterFact(name=k, label=label, value=fmt_value((w.facts or {})[k]))
            for k, label in FACT_LABELS.items()
            if k in (w.facts or {})
        ]
        items.append(
            ClusterCard(
                warning_id=w.id,
                industry=w.cluster,
                level=level,
                reasons=reasons_public(rb, w.reasons or []),
                facts=facts,
                actions=_actions(rb, w, now),
                raised_at=w.raised_at,
                as_of=w.as_of,
            )
        )
    return ClusterBoard(items=items, scope_note=note)
