"""Dashboard statistics: every count joins Enterprise and adds the user's scope filter."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wagewatch.alerts.models import Warning, WarningChange
from wagewatch.alerts.service import CHANGE_NAMES
from wagewatch.auth.models import User
from wagewatch.auth.service import require, scope_filter
from wagewatch.db.base import utcnow
from wagewatch.enterprises.models import Enterprise
from wagewatch.rules.model import Rulebook
from wagewatch.web.common import CHINA, to_china
from wagewatch.web.dashboard.schemas import (
    BarChart,
    ChangeItem,
    DashboardStats,
    LevelCount,
    LevelSeries,
    Trend,
    TrendSeries,
)
from wagewatch.web.imports.service import list_batches
from wagewatch.web.rules.service import level_public, levels_public
from wagewatch.web.session.service import describe

__all__ = ["TREND_MONTHS", "dashboard_stats", "month_starts"]

TREND_MONTHS = 12
_BAR_LIMITS = {"township": 20, "industry": 12}


def month_starts(now: datetime, count: int = TREND_MONTHS) -> list[datetime]:
    """The first instants (China time) of the last `count` months and of the next, oldest first."""
    local = to_china(now)
    year, month = local.year, local.month
    starts = []
    for back in range(count - 1, -2, -1):
        y, m = divmod((year * 12 + month - 1) - back, 12)
        starts.append(datetime(y, m + 1, 1, tzinfo=CHINA))
    return starts


def _week_start(now: datetime) -> datetime:
    local = to_china(now)
    monday = (local - timedelta(days=local.weekday())).date()
    return datetime(monday.year, monday.month, monday.day, tzinfo=CHINA)


def _changes_query(user: User, rb: Rulebook) -> Any:
    return (
        select(WarningChange, Enterprise)
        .join(Warning, WarningChange.warning_id == Warning.id)
        .join(Enterprise, Warning.enterprise_id == Enterprise.id)
        .where(Warning.rulebook == rb.name)
        .where(scope_filter(user, Enterprise))
    )


def _change_counts(
    session: Session, user: User, rb: Rulebook, since: datetime, until: datetime | None
) -> dict[str, int]:
    stmt = (
        select(WarningChange.change, func.count())
        .join(Warning, WarningChange.warning_id == Warning.id)
        .join(Enterprise, Warning.enterprise_id == Enterprise.id)
        .where(Warning.rulebook == rb.name, WarningChange.created_at >= since.astimezone(UTC))
        .where(scope_filter(user, Enterprise))
        .group_by(WarningChange.change)
    )
    if until is not None:
        stmt = stmt.where(WarningChange.created_at < until.astimezone(UTC))
    return {str(change): int(n) for change, n in session.execute(stmt).all()}


def _bar(session: Session, user: User, rb: Rulebook, dimension: str) -> BarChart:
    column = Enterprise.township if dimension == "township" else Enterprise.industry
    rows = session.execute(
        select(column, Warning.level, func.count())
        .select_from(Warning)
        .join(Enterprise, Warning.enterprise_id == Enterprise.id)
        .where(Warning.rulebook == rb.name, Warning.level.is_not(None), column.is_not(None))
        .where(scope_filter(user, Enterprise))
        .group_by(column, Warning.level)
    ).all()
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for category, level, n in rows:
        counts[str(category)][str(level)] = int(n)
    categories = sorted(counts, key=lambda c: (-sum(counts[c].values()), c))
    categories = categories[: _BAR_LIMITS[dimension]]
    series = [
        LevelSeries(
            level=lv.code,
            name=lv.name,
            colour=lv.colour,
            values=[counts[c].get(lv.code, 0) for c in categories],
        )
        for lv in levels_public(rb)
    ]
    return BarChart(dimension=dimension, categories=categories, series=series)


def dashboard_stats(
    session: Session, user: User, rb: Rulebook, *, now: datetime | None = None
) -> DashboardStats:
    """The dashboard within the user's scope (requires warnings.read)."""
    require(user, "warnings.read")
    now = now or utcnow()
    level_rows = dict(
        session.execute(
            select(Warning.level, func.count())
            .join(Enterprise, Warning.enterprise_id == Enterprise.id)
            .where(Warning.rulebook == rb.name, Warning.level.is_not(None))
            .where(scope_filter(user, Enterprise))
            .group_by(Warning.level)
        ).all()
    )
    by_level = [
        LevelCount(level=lv, count=int(level_rows.get(lv.code, 0)))
        for lv in reversed(levels_public(rb))
    ]

    week_start = _week_start(now)
    week = _changes_query(user, rb).where(
        WarningChange.created_at >= week_start.astimezone(UTC),
        WarningChange.change.in_(("raised", "upgraded")),
    )
    week_counts = _change_counts(session, user, rb, week_start, None)
    latest = session.execute(
        week.order_by(WarningChange.created_at.desc(), WarningChange.id.desc()).limit(10)
    ).all()
    week_changes = [
        ChangeItem(
            enterprise_id=e.id,
            enterprise_name=e.name,
            township=e.township,
            change=c.change,
            change_name=CHANGE_NAMES.get(c.change, c.change),
            old_level=level_public(rb, c.old_level),
            new_level=level_public(rb, c.new_level),
            at=c.created_at,
        )
        for c, e in latest
    ]

    starts = month_starts(now)
    per_month: dict[str, list[int]] = {k: [0] * TREND_MONTHS for k in CHANGE_NAMES}
    for i in range(TREND_MONTHS):
        for change, n in _change_counts(session, user, rb, starts[i], starts[i + 1]).items():
            if change in per_month:
                per_month[change][i] = n
    trend = Trend(
        months=[f"{s.year}-{s.month:02d}" for s in starts[:-1]],
        series=[
            TrendSeries(change=k, name=name, values=per_month[k])
            for k, name in CHANGE_NAMES.items()
        ],
    )
    return DashboardStats(
        rulebook=rb.name,
        rulebook_title=rb.title,
        scope_label=describe(user).scope_label,
        total=sum(lc.count for lc in by_level),
        by_level=by_level,
        new_this_week=int(week_counts.get("raised", 0)),
        upgraded_this_week=int(week_counts.get("upgraded", 0)),
        week_start=week_start,
        week_changes=week_changes,
        trend=trend,
        by_township=_bar(session, user, rb, "township"),
        by_industry=_bar(session, user, rb, "industry"),
        latest_imports=list_batches(session, user, limit=6),
    )
