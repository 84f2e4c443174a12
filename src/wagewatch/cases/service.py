"""The case ledger (台账): open and route cases from warnings, tasks, transitions, closure.

States: 待核实 (verifying) → 处置中 (handling) → 申请销号 (closure_requested) → 已销号
(closed), plus 已移送 (transferred, to the police or a court). Every transition is a function
here that checks the permission and the case's version (optimistic locking), and writes a
`CaseEvent`. Closure is requested by the handling office and confirmed by a supervisor, and
is refused while a resolution (or, under 文登, the 一案多查 record) is missing or while the
enterprise's re-grade still fires any criterion (隐患不消除不销账).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import ColumnElement, false, or_, select, true
from sqlalchemy.orm import Session

from wagewatch.alerts.models import Warning
from wagewatch.alerts.service import EvaluationSummary, evaluate
from wagewatch.auth.models import OrgUnit, User
from wagewatch.auth.roles import Scope
from wagewatch.auth.service import (
    PermissionDenied,
    object_in_scope,
    record_audit,
    register_audit_action,
    register_scope_check,
    require,
    role_of,
)
from wagewatch.cases.calendar import DayOverride, Deadline, WorkCalendar
from wagewatch.cases.deadlines import supervisor_units
from wagewatch.cases.models import Case, CaseEvent, HolidayDay, Remedy, Task
from wagewatch.cases.routing import UnitFinder, route_case
from wagewatch.cases.signals import record_signal
from wagewatch.china import CHINA, to_utc
from wagewatch.db.base import utcnow
from wagewatch.enterprises.models import Enterprise
from wagewatch.notify.service import notify_units
from wagewatch.rules.model import Action, Rulebook
from wagewatch.settings import Settings

__all__ = [
    "EVENT_LABELS",
    "LEGAL_OUTCOMES",
    "OPEN_STATES",
    "STATES",
    "CaseError",
    "CaseNotFound",
    "ClosureCheck",
    "StaleCase",
    "SyncSummary",
    "add_note",
    "case_scope_filter",
    "closure_check",
    "complete_task",
    "confirm_closure",
    "get_case",
    "load_calendar",
    "record_investigation",
    "record_resolution",
    "regrade",
    "reject_closure",
    "request_closure",
    "requires_investigation_record",
    "scoped_where",
    "set_leader",
    "start_handling",
    "sync_cases",
    "task_deadline",
    "transfer_case",
]

STATES: dict[str, str] = {
    "verifying": "待核实",
    "handling": "处置中",
    "closure_requested": "申请销号",
    "closed": "已销号",
    "transferred": "已移送",
}
OPEN_STATES = ("verifying", "handling", "closure_requested", "transferred")

EVENT_LABELS: dict[str, str] = {
    "opened": "立案建账",
    "level": "预警等级变化",
    "cleared": "预警解除",
    "reopened": "重新打开",
    "state": "状态变更",
    "investigation": "一案多查记录",
    "resolution": "处置结果",
    "closure_requested": "申请销号",
    "closure_refused": "销号被拒",
    "closure_confirmed": "销号确认",
    "closure_rejected": "退回销号申请",
    "transferred": "移送",
    "task_done": "任务办结",
    "remedy": "救济与移送措施",
    "note": "办理记录",
    "leader": "包案领导",
    "form": "填报表格",
}

# 法律结果: the outcomes the issue accepts as a resolution besides wages paid.
LEGAL_OUTCOMES: dict[str, str] = {
    "filed": "立案",
    "decision": "处理决定",
    "penalty": "处罚决定",
    "police": "移送公安",
    "court": "通报法院",
}
TRANSFER_TARGETS = {"police": "公安机关（拒不支付劳动报酬罪，两法衔接）", "court": "人民法院"}

for _code, _label in (
    ("cases.open", "立案建账"),
    ("cases.transition", "台账状态变更"),
    ("cases.update", "修改台账记录"),
    ("cases.close", "台账销号"),
    ("tasks.complete", "办结任务"),
):
    register_audit_action(_code, _label)


class CaseError(ValueError):
    """A request the ledger's rules do not allow (message in Chinese, for the officer)."""


class CaseNotFound(LookupError):
    """No such case or task."""


class StaleCase(CaseError):
    """The case changed since the officer loaded it: reload and try again."""


@dataclass
class SyncSummary:
    """What syncing cases with warnings did."""

    opened: int = 0
    updated: int = 0
    reopened: int = 0
    tasks: int = 0
    cleared: int = 0

    def to_dict(self) -> dict[str, int]:
        """A JSON-friendly form."""
        return dict(self.__dict__)


@dataclass
class ClosureCheck:
    """Whether a case may be closed, and if not, every reason why."""

    ok: bool
    problems: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- scope


def _unit_task_cases(unit_id: int) -> Any:
    return select(Task.case_id).where(Task.unit_id == unit_id, Task.case_id.is_not(None))


def scoped_where(
    user: User | None,
    own: Callable[[OrgUnit], list[ColumnElement[bool]]],
    township: Any,
    industry: Any,
) -> ColumnElement[bool]:
    """A ledger record's where-clause: district roles all; others their unit's own records
    (`own`), plus their township's or their industries' (`township` / `industry` columns)."""
    role = role_of(user)
    if role is None or user is None:
        return false()
    if role.scope is Scope.DISTRICT:
        return true()
    unit = user.org_unit
    if unit is None:
        return false()
    clauses = own(unit)
    if role.scope is Scope.TOWNSHIP and unit.township:
        clauses.append(township == unit.township)
    if role.scope is Scope.INDUSTRY and unit.industries:
        clauses.append(industry.in_(list(unit.industries)))
    return or_(*clauses)


def case_scope_filter(user: User | None) -> ColumnElement[bool]:
    """A where-clause limiting `Case` to what the user may see."""
    return scoped_where(
        user,
        lambda unit: [Case.lead_unit_id == unit.id, Case.id.in_(_unit_task_cases(unit.id))],
        Case.township,
        Case.industry,
    )


def _case_in_scope(user: User, case: Case) -> bool:
    role = role_of(user)
    if role is None:
        return False
    if role.scope is Scope.DISTRICT:
        return True
    unit = user.org_unit
    if unit is None:
        return False
    if case.lead_unit_id == unit.id or any(t.unit_id == unit.id for t in case.tasks):
        return True
    # The same rule as case_scope_filter: a cluster case reaches the townships it spans
    # through their own tasks on it.
    if role.scope is Scope.TOWNSHIP and unit.township:
        return case.township == unit.township
    if role.scope is Scope.INDUSTRY and unit.industries:
        return case.industry in unit.industries
    return False


register_scope_check(Case, _case_in_scope)


def _task_in_scope(user: User, task: Task) -> bool:
    if task.case is not None:
        return _case_in_scope(user, task.case)
    role = role_of(user)
    if role is None:
        return False
    unit = user.org_unit
    return role.scope is Scope.DISTRICT or (unit is not None and task.unit_id == unit.id)


register_scope_check(Task, _task_in_scope)


def get_case(session: Session, user: User, case_id: int) -> Case:
    """A case the user may see (cases.read; PermissionDenied outside the user's scope)."""
    require(user, "cases.read")
    case = session.get(Case, case_id)
    if case is None:
        raise CaseNotFound("台账不存在。")
    if not object_in_scope(user, case):
        raise PermissionDenied("该台账不在您的管辖范围内。", user=user)
    return case


def _writable(
    session: Session, user: User, case_id: int, version: int | None, permission: str
) -> Case:
    require(user, permission)
    case = get_case(session, user, case_id)
    if version is not None and case.version != version:
        raise StaleCase(
            f"台账第{case.id}号已被他人修改（您看到的是第{version}版，现在是第{case.version}版），"
            "请刷新页面查看最新内容后再操作。"
        )
    return case


# ---------------------------------------------------------------- deadlines


def load_calendar(session: Session) -> WorkCalendar:
    """The working-day calendar: the bureau's loaded holiday table over the library."""
    rows = session.scalars(select(HolidayDay))
    return WorkCalendar(DayOverride(r.day, r.workday, r.name) for r in rows)


def task_deadline(action: Action, start: datetime, cal: WorkCalendar) -> Deadline | None:
    """The due time of a rulebook action started at `start` (None when the seed sets none)."""
    if action.due_working_days is not None:
        return cal.add_working_days(start, action.due_working_days)
    if action.due_days is not None:
        return cal.add_calendar_days(start, action.due_days)
    if action.due_hours is not None:
        return cal.add_hours(start, action.due_hours)
    return None


def _china(value: datetime) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(CHINA)


# ---------------------------------------------------------------- events


def _actor_name(user: User | None) -> str:
    return user.display_name if user is not None else "系统"


def _event(
    session: Session,
    case: Case,
    kind: str,
    text: str,
    *,
    user: User | None = None,
    from_state: str | None = None,
    to_state: str | None = None,
    details: Mapping[str, Any] | None = None,
    now: datetime,
) -> CaseEvent:
    ev = CaseEvent(
        case_id=case.id,
        at=now,
        user_id=user.id if user is not None else None,
        actor=_actor_name(user),
        kind=kind,
        from_state=from_state,
        to_state=to_state,
        text=text,
        details=dict(details or {}),
    )
    session.add(ev)
    return ev


def _set_state(
    session: Session,
    case: Case,
    to_state: str,
    text: str,
    *,
    user: User | None,
    now: datetime,
    kind: str = "state",
    details: Mapping[str, Any] | None = None,
) -> None:
    old = case.state
    case.state = to_state
    case.updated_at = now
    _event(
        session,
        case,
        kind,
        text or f"{STATES.get(old, old)} → {STATES[to_state]}",
        user=user,
        from_state=old,
        to_state=to_state,
        details=details,
        now=now,
    )
    if user is not None:
        record_audit(
            session,
            "cases.close" if to_state == "closed" else "cases.transition",
            actor=user,
            object_type="case",
            object_id=case.id,
            details={"from": old, "to": to_state},
            now=now,
        )


# ---------------------------------------------------------------- opening and syncing


def _subject(session: Session, w: Warning) -> tuple[str, str | None, list[str], str | None]:
    """Title, township, townships and industry of a warning's subject."""
    if w.enterprise_id is not None:
        ent = session.get(Enterprise, w.enterprise_id)
        if ent is not None:
            return ent.name, ent.township, [ent.township] if ent.township else [], ent.industry
        return f"企业 {w.enterprise_id}", None, [], None
    cluster = w.cluster or ""
    facts = w.facts or {}
    listed = facts.get("townships")
    towns = sorted(str(t) for t in listed if t) if isinstance(listed, list) else None
    if towns is None:
        towns = sorted(
            {
                t
                for (t,) in session.execute(
                    select(Enterprise.township).where(
                        Enterprise.industry == cluster, Enterprise.township.is_not(None)
                    )
                )
                if t
            }
        )
    # One township affected: its own office (乡镇三方机构) is 属地 for the case.
    single = towns[0] if len(towns) == 1 else None
    return f"{cluster}行业（区域性预警）", single, list(towns), cluster


def _add_level_tasks(
    session: Session,
    case: Case,
    rb: Rulebook,
    level: str,
    finder: UnitFinder,
    cal: WorkCalendar,
    now: datetime,
) -> list[Task]:
    existing = set(session.scalars(select(Task.key).where(Task.case_id == case.id)))
    added: list[Task] = []
    start = _china(now)
    groups = [(level, rb.actions.get(level, ())), ("any", rb.actions.get("any", ()))]
    for group, actions in groups:
        for i, action in enumerate(actions):
            if action.recurrence:
                continue  # generated per period by deadlines.generate_recurring
            key = f"case:{case.id}:r{case.reopened}:{group}:{i}"
            deadline = task_deadline(action, start, cal)
            for suffix, unit_id in _task_units(session, case, action, group == level, finder):
                if key + suffix in existing:
                    continue
                task = Task(
                    key=key + suffix,
                    case_id=case.id,
                    kind="action",
                    title=action.task,
                    assignee=action.assignee,
                    office=action.office,
                    unit_id=unit_id,
                    clause=action.clause,
                    level=group,
                    created_at=now,
                    due_at=to_utc(deadline.due_at) if deadline else None,
                    due_basis=deadline.basis if deadline else "",
                    calendar_warning=deadline.warning if deadline else None,
                    status="open",
                )
                session.add(task)
                added.append(task)
    return added


def _task_units(
    session: Session, case: Case, action: Action, own_level: bool, finder: UnitFinder
) -> list[tuple[str, int | None]]:
    """(key suffix, unit id) of each unit that must do `action` on `case`.

    The lead step goes to the lead unit; a township step of a cluster case spanning several
    townships goes to each of them (宣恩 二级: every township forms its emergency team); an
    office with no unit of its own is the lead unit's to report to.
    """
    if action.lead and own_level and case.lead_unit_id is not None:
        return [("", case.lead_unit_id)]
    if action.office in ("township", "township_tripartite") and case.township is None:
        towns = [finder.township_unit(t) for t in case.townships or []]
        units = [u for u in towns if u is not None]
        if units:
            return [(f":t{u.id}", u.id) for u in units]
    if action.office == "industry_authority" and finder.industry_unit(case.industry) is None:
        # 营口 推送行业主管部门（建设、交通、水利行业）: only those industries; a step that names
        # 属地 as the alternative (文登 一案多查: 行业主管部门或属地镇街) goes to the township.
        if "属地" not in action.assignee:
            return []
    unit = finder.office_unit(action.office, case.township, case.industry)
    return [("", unit.id if unit is not None else case.lead_unit_id)]


def _notify_case(
    session: Session, case: Case, event_code: str, title: str, body: str, now: datetime
) -> None:
    units = [case.lead_unit_id, *(case.assisting_unit_ids or [])]
    due = min(
        (to_utc(t.due_at) for t in case.tasks if t.status == "open" and t.due_at is not None),
        default=None,
    )
    notify_units(
        session,
        units,
        event_code=event_code,
        title=title,
        body=body,
        link=f"/cases/{case.id}",
        due_at=due,
        level=case.level_name,
        now=now,
    )


def _open_case(
    session: Session,
    rb: Rulebook,
    w: Warning,
    finder: UnitFinder,
    cal: WorkCalendar,
    now: datetime,
) -> Case:
    assert w.level is not None
    name, township, townships, industry = _subject(session, w)
    route = route_case(rb, w.level, finder, township, industry)
    case = Case(
        rulebook=rb.name,
        warning_id=w.id,
        enterprise_id=w.enterprise_id,
        cluster=w.cluster,
        township=township,
        townships=townships,
        industry=industry,
        title=name,
        level=w.level,
        level_name=w.level_name,
        level_rank=w.level_rank,
        state="verifying",
        lead_office=route.lead_office,
        lead_unit_id=route.lead_unit.id if route.lead_unit else None,
        assisting_unit_ids=[u.id for u in route.assisting],
        routing_clause=route.clause,
        opened_at=now,
        updated_at=now,
    )
    session.add(case)
    session.flush()
    reasons = "；".join(f"{r['criterion']} {r['text']}" for r in (w.reasons or []))
    _event(
        session,
        case,
        "opened",
        f"{w.level_name}预警立案建账，牵头单位：{route.lead_unit.name if route.lead_unit else '未配置'}",
        to_state="verifying",
        details={"level": w.level, "reasons": w.reasons, "clause": route.clause},
        now=now,
    )
    _add_level_tasks(session, case, rb, w.level, finder, cal, now)
    session.flush()
    session.refresh(case, ["tasks"])
    if case.cluster is not None:
        _prefill_form(session, case, rb, w)
    _notify_case(
        session,
        case,
        "case.opened",
        f"新台账：{case.title}（{w.level_name}）",
        f"{rb.title}：{reasons}。请在期限内核实处置。",
        now,
    )
    return case


def _prefill_form(session: Session, case: Case, rb: Rulebook, w: Warning) -> None:
    forms = rb.extra.get("forms")
    if not isinstance(forms, list) or not forms:
        return
    from wagewatch.reports.forms import get_form

    key = str(forms[0].get("key"))
    spec = get_form(key)
    ids = [int(i) for i in (w.facts or {}).get("enterprise_ids") or []]
    enterprises = [
        {"name": e.name, "township": e.township}
        for e in session.scalars(
            select(Enterprise).where(Enterprise.id.in_(ids)).order_by(Enterprise.name)
        )
    ]
    context = {
        "enterprises": enterprises,
        "cluster": w.cluster,
        "level": w.level,
        "level_name": w.level_name,
        "reasons": w.reasons or [],
        "facts": w.facts or {},
        "raised_at": w.raised_at,
        "township_names": case.townships or [],
    }
    case.form_values = {"form": key, "values": spec.prefill(context), "submitted": False}


def _reroute(
    session: Session, case: Case, rb: Rulebook, level: str, finder: UnitFinder, now: datetime
) -> None:
    route = route_case(rb, level, finder, case.township, case.industry)
    new_lead = route.lead_unit.id if route.lead_unit else None
    assisting = [u.id for u in route.assisting]
    if new_lead != case.lead_unit_id:
        if case.lead_unit_id is not None and case.lead_unit_id not in assisting:
            assisting.append(case.lead_unit_id)  # the earlier lead keeps assisting
        name = route.lead_unit.name if route.lead_unit else "未配置"
        _event(
            session,
            case,
            "level",
            f"按新等级改由 {name} 牵头",
            details={"clause": route.clause},
            now=now,
        )
        case.lead_unit_id, case.lead_office, case.routing_clause = (
            new_lead,
            route.lead_office,
            route.clause,
        )
    case.assisting_unit_ids = sorted(set(assisting) - {new_lead} if new_lead else set(assisting))


def sync_cases(
    session: Session,
    rb: Rulebook,
    warning_ids: Iterable[int] | None = None,
    *,
    now: datetime | None = None,
) -> SyncSummary:
    """Open, update or reopen the case of each warning (all warnings of `rb` when None)."""
    at = to_utc(now or utcnow())
    summary = SyncSummary()
    stmt = select(Warning).where(Warning.rulebook == rb.name)
    if warning_ids is not None:
        ids = sorted(set(warning_ids))
        if not ids:
            return summary
        stmt = stmt.where(Warning.id.in_(ids))
    warnings = list(session.scalars(stmt))
    if not warnings:
        return summary
    finder = UnitFinder(session)
    cal = load_calendar(session)
    latest: dict[int, Case] = {}
    wids = [w.id for w in warnings]
    for start in range(0, len(wids), 5000):
        chunk = wids[start : start + 5000]
        for c in session.scalars(select(Case).where(Case.warning_id.in_(chunk)).order_by(Case.id)):
            assert c.warning_id is not None
            latest[c.warning_id] = c  # the newest case of each warning wins
    for w in warnings:
        case = latest.get(w.id)
        if w.level is None:
            if case is not None and case.state in OPEN_STATES and case.level is not None:
                case.level, case.level_name, case.level_rank = None, None, -1
                case.updated_at = at
                _event(
                    session,
                    case,
                    "cleared",
                    "预警已解除：重新评级未触发任何条款，可记录处置结果后申请销号。",
                    now=at,
                )
                summary.cleared += 1
            continue
        if case is None:
            _open_case(session, rb, w, finder, cal, at)
            summary.opened += 1
            continue
        raised = case.level_rank < w.level_rank
        if case.state == "closed":
            if not raised and case.level is not None:
                continue
            # A closed case hit by new signals reopens (it is the same enterprise's matter).
            case.reopened += 1
            case.closed_at = None
            case.resolution = None
            _set_state(
                session,
                case,
                "handling",
                f"销号后出现新的预警信号（{w.level_name}），台账重新打开",
                user=None,
                now=at,
                kind="reopened",
            )
            summary.reopened += 1
            raised = True
        if case.level == w.level:
            continue
        old_name = case.level_name or "无"
        case.level, case.level_name = w.level, w.level_name
        case.level_rank = w.level_rank
        case.updated_at = at
        _event(
            session,
            case,
            "level",
            f"预警等级 {old_name} → {w.level_name}",
            details={"reasons": w.reasons},
            now=at,
        )
        summary.updated += 1
        if raised:
            _reroute(session, case, rb, w.level, finder, at)
            added = _add_level_tasks(session, case, rb, w.level, finder, cal, at)
            summary.tasks += len(added)
            session.flush()
            session.refresh(case, ["tasks"])
            _notify_case(
                session,
                case,
                "case.upgraded",
                f"台账升级：{case.title}（{w.level_name}）",
                "预警等级上升，新的处置步骤已分派，请按期限办理。",
                at,
            )
    session.flush()
    return summary


def regrade(
    session: Session,
    rb: Rulebook,
    as_of: date,
    enterprise_ids: Iterable[int] | None = None,
    *,
    now: datetime | None = None,
) -> tuple[EvaluationSummary, SyncSummary]:
    """Re-grade (all or some enterprises) and bring their cases in line with the warnings."""
    ids = None if enterprise_ids is None else sorted(set(enterprise_ids))
    ev = evaluate(session, rb, as_of, ids)
    session.flush()
    if ids is None or rb.subject == "cluster":
        synced = sync_cases(session, rb, None, now=now)
    else:
        wids = session.scalars(
            select(Warning.id).where(Warning.rulebook == rb.name, Warning.enterprise_id.in_(ids))
        )
        synced = sync_cases(session, rb, list(wids), now=now)
    return ev, synced


# ---------------------------------------------------------------- transitions


def start_handling(
    session: Session,
    user: User,
    case_id: int,
    version: int | None,
    note: str,
    *,
    now: datetime | None = None,
) -> Case:
    """核实: the handling office has verified the warning and starts disposal."""
    at = to_utc(now or utcnow())
    case = _writable(session, user, case_id, version, "cases.write")
    if case.state != "verifying":
        raise CaseError(f"只有“待核实”的台账可以开始处置（现为“{STATES[case.state]}”）。")
    note = note.strip()
    if len(note) < 2:
        raise CaseError("请填写核实情况。")
    _set_state(session, case, "handling", f"核实情况：{note}", user=user, now=at)
    session.flush()
    return case


def requires_investigation_record(rb: Rulebook) -> str | None:
    """The 一案多查 clause if the rulebook requires the record before closure."""
    for actions in rb.actions.values():
        for action in actions:
            if "一案多查" in action.task or "一案多查" in action.clause:
                return action.clause
    return None


def record_investigation(
    session: Session,
    user: User,
    case_id: int,
    version: int | None,
    *,
    arrears_facts: str,
    liable_party: str,
    arrears_cause: str,
    now: datetime | None = None,
) -> Case:
    """一案多查: record the facts of the arrears, the liable party and the cause."""
    at = to_utc(now or utcnow())
    case = _writable(session, user, case_id, version, "cases.write")
    if case.state == "closed":
        raise CaseError("已销号的台账不能修改。")
    values = {
        "arrears_facts": arrears_facts.strip(),
        "liable_party": liable_party.strip(),
        "arrears_cause": arrears_cause.strip(),
    }
    labels = {"arrears_facts": "欠薪事实", "liable_party": "违法主体", "arrears_cause": "欠薪原因"}
    missing = [labels[k] for k, v in values.items() if not v]
    if missing:
        raise CaseError("请填写：" + "、".join(missing) + "。")
    for k, v in values.items():
        if len(v) > 2000:
            raise CaseError(f"{labels[k]}不能超过2000字。")
        setattr(case, k, v)
    case.updated_at = at
    _event(session, case, "investigation", "记录欠薪事实、违法主体、欠薪原因", user=user, now=at)
    record_audit(session, "cases.update", actor=user, object_type="case", object_id=case.id, now=at)
    session.flush()
    return case


def _decimal(value: Any, label: str) -> Decimal:
    try:
        d = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise CaseError(f"{label}应为数字。") from None
    if not d.is_finite() or d <= 0:
        raise CaseError(f"{label}应大于0。")
    return d


def record_resolution(
    session: Session,
    user: User,
    case_id: int,
    version: int | None,
    *,
    kind: str,
    amount: Any = None,
    workers: Any = None,
    document_no: str = "",
    note: str = "",
    settings: Settings | None = None,
    now: datetime | None = None,
) -> Case:
    """Record how the matter was resolved: wages paid (amount, workers) or a legal outcome.

    Wages paid is also written as a settled inspection signal, which clears the enterprise's
    open arrears claims (a closed case is a clear item, docs/facts.md).
    """
    at = to_utc(now or utcnow())
    case = _writable(session, user, case_id, version, "cases.write")
    if case.state == "closed":
        raise CaseError("已销号的台账不能修改。")
    resolution: dict[str, Any]
    if kind == "wages_paid":
        paid = _decimal(amount, "支付金额")
        try:
            n = int(str(workers).strip())
        except (TypeError, ValueError):
            raise CaseError("涉及人数应为整数。") from None
        if n <= 0:
            raise CaseError("涉及人数应大于0。")
        resolution = {"kind": kind, "label": "工资已支付", "amount": str(paid), "workers": n}
        if case.enterprise_id is not None:
            ent = session.get(Enterprise, case.enterprise_id)
            assert ent is not None
            result = record_signal(
                session,
                "inspections",
                {
                    "credit_code": ent.credit_code,
                    "enterprise_name": ent.name,
                    "visit_date": _china(at).date(),
                    "task_no": f"台账{case.id}-结果{case.version}",
                    "inspector": user.display_name,
                    "found_arrears": True,
                    "workers": n,
                    "amount": paid,
                    "settled": True,
                    "notes": f"台账第{case.id}号记录工资已支付。{note}".strip(),
                },
                label=f"台账{case.id}-工资支付-{int(at.timestamp())}",
                imported_by=user.username,
                settings=settings,
            )
            resolution["batch_id"] = result.batch_id
    elif kind in LEGAL_OUTCOMES:
        if not document_no.strip():
            raise CaseError(f"请填写{LEGAL_OUTCOMES[kind]}的文书编号。")
        resolution = {
            "kind": kind,
            "label": LEGAL_OUTCOMES[kind],
            "document_no": document_no.strip()[:100],
        }
    else:
        raise CaseError(
            "处置结果类型应为：工资已支付，或立案、处理决定、处罚决定、移送公安、通报法院。"
        )
    if note.strip():
        resolution["note"] = note.strip()[:1000]
    case.resolution = resolution
    case.updated_at = at
    _event(
        session,
        case,
        "resolution",
        f"处置结果：{resolution['label']}",
        user=user,
        details=resolution,
        now=at,
    )
    record_audit(session, "cases.update", actor=user, object_type="case", object_id=case.id, now=at)
    session.flush()
    return case


def closure_check(
    session: Session,
    rb: Rulebook,
    case: Case,
    as_of: date,
    *,
    now: datetime | None = None,
) -> ClosureCheck:
    """Whether `case` may be closed now: a resolution, the 一案多查 record, no firing criterion."""
    problems: list[str] = []
    if not case.resolution:
        problems.append(
            "尚未记录处置结果（工资已支付：金额和人数；或法律结果：立案、处理决定、处罚决定、"
            "移送公安、通报法院）。"
        )
    clause = requires_investigation_record(rb)
    if clause and not (case.arrears_facts and case.liable_party and case.arrears_cause):
        problems.append(f"尚未完成“一案多查”记录（欠薪事实、违法主体、欠薪原因）：{clause}")
    # Re-grade the subject now: the hazard must be cleared (隐患不消除不销账).
    ids = [case.enterprise_id] if case.enterprise_id is not None else None
    regrade(session, rb, as_of, ids, now=now)
    w = session.get(Warning, case.warning_id) if case.warning_id is not None else None
    if w is not None:
        session.refresh(w)
        if w.level is not None:
            fired = [*(w.reasons or []), *(w.also_matched or [])]
            texts = "；".join(f"{r['criterion']}（{r['text']}）" for r in fired)
            problems.append(f"重新评级仍为{w.level_name}，仍触发：{texts}")
    return ClosureCheck(ok=not problems, problems=problems)


def request_closure(
    session: Session,
    user: User,
    rb: Rulebook,
    case_id: int,
    version: int | None,
    as_of: date,
    *,
    note: str = "",
    now: datetime | None = None,
) -> ClosureCheck:
    """申请销号 by the handling office; refused (and recorded) while the hazard remains."""
    at = to_utc(now or utcnow())
    case = _writable(session, user, case_id, version, "cases.write")
    if case.state not in ("handling", "transferred"):
        raise CaseError(f"只有“处置中”或“已移送”的台账可以申请销号（现为“{STATES[case.state]}”）。")
    check = closure_check(session, rb, case, as_of, now=at)
    if case.state == "closed" or case.state not in ("handling", "transferred"):
        raise CaseError("台账状态已变化，请刷新页面。")
    if not check.ok:
        _event(
            session,
            case,
            "closure_refused",
            "销号申请未通过：" + " ".join(check.problems),
            user=user,
            details={"problems": check.problems},
            now=at,
        )
        session.flush()
        return check
    case.closure_requested_at = at
    _set_state(
        session,
        case,
        "closure_requested",
        f"申请销号。{note.strip()}".strip(),
        user=user,
        now=at,
        kind="closure_requested",
    )
    session.flush()
    supervisors = supervisor_units(session)
    notify_units(
        session,
        supervisors,
        event_code="case.closure_requested",
        title=f"销号待确认：{case.title}",
        body=f"{_actor_name(user)} 申请销号，请核对处置结果后确认或退回。",
        link=f"/cases/{case.id}",
        now=at,
    )
    return check


def confirm_closure(
    session: Session,
    user: User,
    rb: Rulebook,
    case_id: int,
    version: int | None,
    as_of: date,
    *,
    now: datetime | None = None,
) -> ClosureCheck:
    """销号确认 by a supervisor: checked again; on failure the case returns to handling."""
    at = to_utc(now or utcnow())
    case = _writable(session, user, case_id, version, "cases.supervise")
    if case.state != "closure_requested":
        raise CaseError(f"只有“申请销号”的台账可以确认销号（现为“{STATES[case.state]}”）。")
    check = closure_check(session, rb, case, as_of, now=at)
    if case.state != "closure_requested":
        raise CaseError("台账状态已变化（出现新的预警信号），请刷新页面。")
    if not check.ok:
        _set_state(
            session,
            case,
            "handling",
            "复核未通过，退回处置：" + " ".join(check.problems),
            user=user,
            now=at,
            kind="closure_refused",
            details={"problems": check.problems},
        )
        session.flush()
        return check
    case.closed_at = at
    for task in case.tasks:
        if task.status == "open":
            task.status = "cancelled"
            task.result = "台账销号，任务关闭"
            task.completed_at = at
    _set_state(session, case, "closed", "确认销号", user=user, now=at, kind="closure_confirmed")
    session.flush()
    _notify_case(session, case, "case.closed", f"已销号：{case.title}", "台账已确认销号。", at)
    return check


def reject_closure(
    session: Session,
    user: User,
    case_id: int,
    version: int | None,
    reason: str,
    *,
    now: datetime | None = None,
) -> Case:
    """退回销号申请 by a supervisor, with the reason."""
    at = to_utc(now or utcnow())
    case = _writable(session, user, case_id, version, "cases.supervise")
    if case.state != "closure_requested":
        raise CaseError("只有“申请销号”的台账可以退回。")
    if len(reason.strip()) < 2:
        raise CaseError("请填写退回理由。")
    _set_state(
        session,
        case,
        "handling",
        f"退回销号申请：{reason.strip()}",
        user=user,
        now=at,
        kind="closure_rejected",
    )
    session.flush()
    _notify_case(
        session, case, "case.closure_rejected", f"销号被退回：{case.title}", reason.strip(), at
    )
    return case


def transfer_case(
    session: Session,
    user: User,
    case_id: int,
    version: int | None,
    *,
    target: str,
    document_no: str,
    note: str = "",
    now: datetime | None = None,
) -> Case:
    """移送: to the police (拒不支付劳动报酬罪, 两法衔接) or notice to a court."""
    at = to_utc(now or utcnow())
    case = _writable(session, user, case_id, version, "cases.write")
    if target not in TRANSFER_TARGETS:
        raise CaseError("移送对象应为公安机关或人民法院。")
    if case.state not in ("verifying", "handling"):
        raise CaseError(f"“{STATES[case.state]}”的台账不能移送。")
    if not document_no.strip():
        raise CaseError("请填写移送文书编号。")
    session.add(
        Remedy(
            case_id=case.id,
            kind="police_transfer" if target == "police" else "court_notice",
            fields={"document_no": document_no.strip(), "note": note.strip()},
            recorded_by=user.username,
            recorded_at=at,
        )
    )
    _set_state(
        session,
        case,
        "transferred",
        f"移送{TRANSFER_TARGETS[target]}，文书编号 {document_no.strip()}。{note.strip()}".strip(),
        user=user,
        now=at,
        kind="transferred",
        details={"target": target, "document_no": document_no.strip()},
    )
    session.flush()
    return case


def set_leader(
    session: Session,
    user: User,
    case_id: int,
    version: int | None,
    leader: User,
    *,
    now: datetime | None = None,
) -> Case:
    """领导包案: name the leader responsible for the case (青浦 high, 营口 …)."""
    at = to_utc(now or utcnow())
    case = _writable(session, user, case_id, version, "cases.write")
    if not leader.active:
        raise CaseError("所选领导账号已停用。")
    case.leader_user_id = leader.id
    case.updated_at = at
    _event(session, case, "leader", f"包案领导：{leader.display_name}", user=user, now=at)
    session.flush()
    notify_units(
        session,
        [leader.org_unit_id],
        event_code="case.leader",
        title=f"包案督办：{case.title}",
        body=f"{_actor_name(user)} 指定您为包案领导（隐患不消除不销账）。",
        link=f"/cases/{case.id}",
        now=at,
    )
    return case


def add_note(
    session: Session,
    user: User,
    case_id: int,
    version: int | None,
    text: str,
    *,
    now: datetime | None = None,
) -> Case:
    """A free-text handling record (办理记录)."""
    at = to_utc(now or utcnow())
    case = _writable(session, user, case_id, version, "cases.write")
    text = text.strip()
    if len(text) < 2:
        raise CaseError("请填写办理记录。")
    case.updated_at = at
    _event(session, case, "note", text[:2000], user=user, now=at)
    session.flush()
    return case


def complete_task(
    session: Session,
    user: User,
    task_id: int,
    result: str,
    *,
    now: datetime | None = None,
) -> Task:
    """办结 a task assigned to the user's unit (or any, for district-wide case handlers)."""
    at = to_utc(now or utcnow())
    require(user, "tasks.complete")
    task = session.get(Task, task_id)
    if task is None:
        raise CaseNotFound("任务不存在。")
    if not object_in_scope(user, task):
        raise PermissionDenied("该任务不在您的管辖范围内。", user=user)
    role = role_of(user)
    own = user.org_unit_id is not None and task.unit_id == user.org_unit_id
    if not own and not (
        role is not None and role.scope is Scope.DISTRICT and role.has("cases.write")
    ):
        raise PermissionDenied("该任务分派给其他单位，只能由承办单位办结。", user=user)
    if task.status != "open":
        raise CaseError("该任务已办结或已关闭。")
    result = result.strip()
    if len(result) < 2:
        raise CaseError("请填写办理结果。")
    task.status = "done"
    task.result = result[:2000]
    task.completed_at = at
    task.completed_by = user.display_name
    if task.case is not None:
        task.case.updated_at = at
        _event(
            session,
            task.case,
            "task_done",
            f"办结任务“{task.title}”：{result[:200]}",
            user=user,
            details={"task_id": task.id, "late": bool(task.due_at and at > _aware(task.due_at))},
            now=at,
        )
    record_audit(
        session, "tasks.complete", actor=user, object_type="task", object_id=task.id, now=at
    )
    session.flush()
    return task


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def state_counts(session: Session, user: User) -> Counter[str]:
    """Cases per state within the user's scope."""
    from sqlalchemy import func

    rows = session.execute(
        select(Case.state, func.count()).where(case_scope_filter(user)).group_by(Case.state)
    )
    return Counter({s: int(n) for s, n in rows})


def unit_name(session: Session, unit_id: int | None) -> str:
    """An organisation unit's name ('' for None)."""
    if unit_id is None:
        return ""
    unit = session.get(OrgUnit, unit_id)
    return unit.name if unit else ""
