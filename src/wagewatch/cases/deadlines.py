"""Deadlines: reminders before a task falls due, escalation when it lapses, recurring tasks.

`run_deadlines(session, now)` is idempotent and cheap; `wagewatch deadlines` runs it (cron,
every few minutes) and the web server runs it in the background.

- Reminder: once, when a quarter of the task's time is left (at most 24 hours before).
- Escalation 1 (逾期): when the due time passes, the assigned unit and the case's leaders are
  told; escalation 2: when it is still open after as long again (at least 24 hours), the level
  above — the units of the supervisors (局领导) — is told.
- Monthly inspections (营口: 每月不少于一次的专项检查或抽查): a task per month for every
  enterprise whose open case is at a level with a `recurrence: monthly` action.
- Complaint transfers not acknowledged in time escalate the same way.
"""

from __future__ import annotations

import calendar as _calendar
import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from wagewatch.auth.models import User
from wagewatch.auth.roles import find_role
from wagewatch.cases.models import Case, CaseEvent, Complaint, Task
from wagewatch.cases.routing import UnitFinder
from wagewatch.china import CHINA, fmt_datetime, to_utc
from wagewatch.db.base import utcnow
from wagewatch.notify.service import notify_units
from wagewatch.rules.model import Action
from wagewatch.rules.registry import get_rulebook

__all__ = [
    "DeadlineRun",
    "generate_recurring",
    "run_deadlines",
    "supervisor_units",
]

_DAY = timedelta(hours=24)


@dataclass
class DeadlineRun:
    """What one pass did."""

    reminded: int = 0
    escalated: int = 0
    escalated_twice: int = 0
    recurring: int = 0
    complaints_escalated: int = 0

    def to_dict(self) -> dict[str, int]:
        """A JSON-friendly form."""
        return dict(self.__dict__)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def supervisor_units(session: Session) -> list[int]:
    """The units of active users who supervise cases (cases.supervise: 局领导)."""
    units: set[int] = set()
    for u in session.scalars(select(User).where(User.active.is_(True))):
        role = find_role(u.role)
        if role is not None and role.has("cases.supervise") and u.org_unit_id is not None:
            units.add(u.org_unit_id)
    return sorted(units)


def _china_month_end(day: date) -> datetime:
    last = _calendar.monthrange(day.year, day.month)[1]
    return datetime.combine(date(day.year, day.month, last), time(23, 59, 59), tzinfo=CHINA)


def generate_recurring(session: Session, now: datetime | None = None) -> int:
    """Create this month's recurring tasks (monthly inspections) of every open case."""
    at = to_utc(now or utcnow())
    month = _aware(at).astimezone(CHINA).date()
    period = f"{month:%Y-%m}"
    cases = list(
        session.scalars(select(Case).where(Case.state != "closed", Case.level.is_not(None)))
    )
    if not cases:
        return 0
    keys = set(session.scalars(select(Task.key).where(Task.key.like(f"recur:%:{period}:%"))))
    finder: UnitFinder | None = None
    created = 0
    for case in cases:
        try:
            rb = get_rulebook(case.rulebook)
        except (KeyError, ValueError, FileNotFoundError):
            continue
        for action in rb.actions_for(case.level):
            if action.recurrence != "monthly":
                continue
            # keyed by the step itself: 营口's watch and escalate levels share the inspection,
            # so an upgrade within the month must not create a second one
            key = f"recur:{case.id}:{period}:{_action_key(action)}"
            if key in keys:
                continue
            finder = finder or UnitFinder(session)
            unit = finder.office_unit(action.office, case.township, case.industry)
            session.add(
                Task(
                    key=key,
                    case_id=case.id,
                    kind="inspection",
                    title=f"{month.year}年{month.month}月{action.task}",
                    assignee=action.assignee,
                    office=action.office,
                    unit_id=unit.id if unit else case.lead_unit_id,
                    clause=action.clause,
                    level=case.level,
                    created_at=at,
                    due_at=to_utc(_china_month_end(month)),
                    due_basis=f"{month.year}年{month.month}月内",
                    status="open",
                )
            )
            keys.add(key)
            created += 1
    session.flush()
    return created


def _action_key(action: Action) -> str:
    return hashlib.sha1(f"{action.office}|{action.task}".encode()).hexdigest()[:12]


def _event(session: Session, task: Task, text: str, at: datetime) -> None:
    if task.case_id is not None:
        session.add(CaseEvent(case_id=task.case_id, at=at, kind="escalation", text=text))


def _fmt(value: datetime) -> str:
    return fmt_datetime(value)


def run_deadlines(session: Session, now: datetime | None = None) -> DeadlineRun:
    """Remind, escalate and create recurring tasks as of `now` (idempotent)."""
    at = to_utc(now or utcnow())
    run = DeadlineRun(recurring=generate_recurring(session, at))
    supervisors: list[int] | None = None
    tasks = session.scalars(
        select(Task).where(Task.status == "open", Task.due_at.is_not(None)).order_by(Task.id)
    )
    for task in tasks:
        assert task.due_at is not None
        due = _aware(task.due_at)
        created = _aware(task.created_at)
        span = max(due - created, timedelta(0))
        link = f"/cases/{task.case_id}" if task.case_id else "/tasks"
        title = task.case.title if task.case is not None else ""
        if at <= due:
            lead = min(_DAY, span / 4)
            if task.reminded_at is None and at >= due - lead:
                task.reminded_at = at
                notify_units(
                    session,
                    [task.unit_id],
                    event_code="task.reminder",
                    title=f"即将到期：{task.title}（{title}）",
                    body=f"任务“{task.title}”将于 {_fmt(due)} 到期（{task.due_basis}），请及时办理。",
                    link=link,
                    due_at=due,
                    now=at,
                )
                run.reminded += 1
            continue
        if task.escalation == 0:
            task.escalation, task.escalated_at = 1, at
            units = [task.unit_id]
            if task.case is not None:
                units.append(task.case.lead_unit_id)
            notify_units(
                session,
                units,
                event_code="task.overdue",
                title=f"已逾期：{task.title}（{title}）",
                body=f"任务“{task.title}”已于 {_fmt(due)} 到期仍未办结，请单位负责人督促办理。"
                f"依据：{task.clause}",
                link=link,
                due_at=due,
                now=at,
            )
            _event(session, task, f"任务“{task.title}”逾期，已提醒承办单位负责人", at)
            run.escalated += 1
        if task.escalation == 1 and at > due + max(span, _DAY):
            task.escalation, task.escalated_at = 2, at
            if supervisors is None:
                supervisors = supervisor_units(session)
            notify_units(
                session,
                supervisors,
                event_code="task.escalated",
                title=f"逾期升级督办：{task.title}（{title}）",
                body=f"任务“{task.title}”到期（{_fmt(due)}）后仍未办结，已升级至上一级督办。",
                link=link,
                due_at=due,
                now=at,
            )
            _event(session, task, f"任务“{task.title}”逾期未办，已升级至局领导督办", at)
            run.escalated_twice += 1
    run.complaints_escalated = _complaint_deadlines(session, at)
    session.flush()
    return run


def _complaint_deadlines(session: Session, at: datetime) -> int:
    count = 0
    pending = session.scalars(
        select(Complaint).where(
            Complaint.status == "transfer_pending", Complaint.due_accept.is_not(None)
        )
    )
    for c in pending:
        assert c.due_accept is not None
        if at <= _aware(c.due_accept):
            continue
        # once per transfer: a later transfer of the same complaint that lapses escalates again
        since = c.transferred_at or c.received_at
        already = session.scalar(
            select(CaseEvent.id).where(
                CaseEvent.complaint_id == c.id,
                CaseEvent.kind == "escalation",
                CaseEvent.at >= since,
            )
        )
        if already is not None:
            continue
        session.add(
            CaseEvent(
                complaint_id=c.id, at=at, kind="escalation", text="转办逾期未接收，已提醒双方单位"
            )
        )
        notify_units(
            session,
            [c.handling_unit_id, c.registered_unit_id],
            event_code="complaint.overdue",
            title=f"转办逾期未接收：{c.enterprise_name}",
            body=f"投诉登记第{c.id}号转办后未在期限（{_fmt(_aware(c.due_accept))}）内接收，请立即接收办理。",
            link=f"/complaints/{c.id}",
            due_at=c.due_accept,
            now=at,
        )
        count += 1
    return count
