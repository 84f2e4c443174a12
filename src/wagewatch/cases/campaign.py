"""A campaign (专项行动): the 青浦 phases and dates, its ledger and its “三个零” indicators.

The phases, dates and indicators come from the rulebook (`campaign:` in qingpu.yaml, each with
its seed clause). The indicators are computed from the ledger and the warning history:

- 源头监控“零失控”: warned enterprises without an open case, plus 高风险 cases without a
  responsible leader (领导包案) — each one is a matter nobody is answerable for;
- 快速处置“零距离”: open cases of enterprises with a group incident whose on-site response task
  is not done yet (or is past or was done after its due time, where the rulebook sets one);
- 极端讨薪“零增长”: warnings raised or upgraded with an extreme protest this year to date,
  against the same period last year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from wagewatch.alerts.models import Warning, WarningChange
from wagewatch.auth.models import User
from wagewatch.auth.service import require, scope_filter
from wagewatch.cases.models import Case
from wagewatch.cases.service import OPEN_STATES, case_scope_filter
from wagewatch.china import CHINA, to_utc
from wagewatch.enterprises.models import Enterprise
from wagewatch.rules.model import Rulebook

__all__ = ["CampaignView", "Indicator", "Phase", "campaign_view", "phases_for"]


@dataclass(frozen=True)
class Phase:
    """One phase with its dates in a given year."""

    key: str
    name: str
    start: date
    end: date
    clause: str
    current: bool


@dataclass
class Indicator:
    """One “零” indicator: its value (0 is the target), a detail line and the clause."""

    key: str
    name: str
    value: int
    detail: str
    clause: str

    @property
    def met(self) -> bool:
        """Whether the target (zero) is met."""
        return self.value == 0


@dataclass
class CampaignView:
    """What the campaign page shows."""

    title: str
    year: int
    phases: list[Phase]
    indicators: list[Indicator]
    ledger: list[dict[str, Any]] = field(default_factory=list)


def _month_end(year: int, month: int) -> date:
    import calendar

    return date(year, month, calendar.monthrange(year, month)[1])


def phases_for(rb: Rulebook, year: int, today: date) -> list[Phase]:
    """The campaign's phases with their dates in `year`."""
    campaign = rb.extra.get("campaign") or {}
    out: list[Phase] = []
    for p in campaign.get("phases", []):
        if p.get("months"):
            months = sorted(int(m) for m in p["months"])
            start, end = date(year, months[0], 1), _month_end(year, months[-1])
        else:
            sm, sd = (int(x) for x in str(p["start"]).split("-"))
            em, ed = (int(x) for x in str(p["end"]).split("-"))
            start, end = date(year, sm, sd), date(year, em, ed)
        out.append(
            Phase(
                key=str(p["key"]),
                name=str(p["name"]),
                start=start,
                end=end,
                clause=str(p.get("clause", "")),
                current=start <= today <= end,
            )
        )
    return out


def _utc(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=CHINA).astimezone(UTC)


def campaign_view(
    session: Session, user: User, rb: Rulebook, today: date, *, now: datetime | None = None
) -> CampaignView:
    """The campaign page of `rb` (cases.read), scoped to what the user may see."""
    require(user, "cases.read")
    campaign = rb.extra.get("campaign")
    if not campaign:
        raise LookupError("当前预警规则没有专项行动安排。")
    top = max(rb.levels, key=lambda lv: lv.rank).code
    in_scope = case_scope_filter(user)
    cases = list(
        session.scalars(
            select(Case)
            .where(Case.rulebook == rb.name, in_scope)
            .order_by(Case.level_rank.desc(), Case.id)
        )
    )
    uncovered = int(
        session.scalar(
            select(func.count())
            .select_from(Warning)
            .join(Enterprise, Enterprise.id == Warning.enterprise_id)
            .where(
                Warning.rulebook == rb.name,
                Warning.level.is_not(None),
                scope_filter(user),
                ~Warning.id.in_(
                    select(Case.warning_id).where(
                        Case.state.in_(OPEN_STATES), Case.warning_id.is_not(None)
                    )
                ),
            )
        )
        or 0
    )
    leaderless = sum(
        1 for c in cases if c.state in OPEN_STATES and c.level == top and c.leader_user_id is None
    )
    # 快速处置“零距离”: the on-site step (网格协管员先行介入，监察员第一时间赶赴现场) of every
    # group-incident case must be done — within its due time where the rulebook sets one.
    at = to_utc(now or datetime.now(UTC))
    slow = 0
    for c in cases:
        w = session.get(Warning, c.warning_id) if c.warning_id is not None else None
        if w is None or not (w.facts or {}).get("group_incident") or c.state not in OPEN_STATES:
            continue
        for t in c.tasks:
            if t.office != "inspection" or t.kind != "action" or t.status == "cancelled":
                continue
            due = to_utc(t.due_at) if t.due_at is not None else None
            done = to_utc(t.completed_at) if t.completed_at is not None else None
            if t.status == "open" and (due is None or at > due):
                slow += 1
            elif done is not None and due is not None and done > due:
                slow += 1
    start_this = date(today.year, 1, 1)
    start_last = date(today.year - 1, 1, 1)
    try:
        same_day_last = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        same_day_last = date(today.year - 1, 2, 28)

    def extreme(since: date, until: date) -> int:
        rows = session.execute(
            select(WarningChange.facts)
            .join(Warning, Warning.id == WarningChange.warning_id)
            .where(
                Warning.rulebook == rb.name,
                WarningChange.change.in_(("raised", "upgraded")),
                and_(
                    WarningChange.created_at >= _utc(since),
                    WarningChange.created_at < _utc(until),
                ),
            )
        )
        return sum(1 for (facts,) in rows if (facts or {}).get("extreme_protest"))

    this_year = extreme(start_this, date.fromordinal(today.toordinal() + 1))
    last_year = extreme(start_last, date.fromordinal(same_day_last.toordinal() + 1))
    clauses = {i["key"]: (i["name"], i.get("clause", "")) for i in campaign.get("indicators", [])}

    def ind(key: str, value: int, detail: str) -> Indicator:
        name, clause = clauses.get(key, (key, ""))
        return Indicator(key, name, value, detail, clause)

    indicators = [
        ind(
            "source_control",
            uncovered + leaderless,
            f"有预警无台账 {uncovered} 家；高风险未落实包案领导 {leaderless} 件",
        ),
        ind("rapid_response", slow, f"群体性事件现场处置任务未办结或超时办结 {slow} 项"),
        ind(
            "extreme_protest",
            max(0, this_year - last_year),
            f"今年以来极端讨薪预警 {this_year} 起，去年同期 {last_year} 起",
        ),
    ]
    leaders = {
        u.id: u.display_name
        for u in session.scalars(
            select(User).where(User.id.in_({c.leader_user_id for c in cases if c.leader_user_id}))
        )
    }
    ledger = [
        {
            "id": c.id,
            "title": c.title,
            "township": c.township or "",
            "level_name": c.level_name or "已解除",
            "state": c.state,
            "leader": leaders.get(c.leader_user_id or 0, ""),
            "opened_at": c.opened_at,
        }
        for c in cases
    ]
    return CampaignView(
        title=str(campaign.get("title", "专项行动")),
        year=today.year,
        phases=phases_for(rb, today.year, today),
        indicators=indicators,
        ledger=ledger,
    )
