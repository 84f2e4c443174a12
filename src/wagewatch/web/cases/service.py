"""Ledger views for pages and the API: cases, tasks, complaints, inspections, the inbox.

Reads only: every change goes through `wagewatch.cases` services. Scoping is the cases'
own scope filters; personal data of complaints is masked here unless read with a reason.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, asc, desc, func, or_, select, true
from sqlalchemy.orm import Session

from wagewatch.alerts.models import Warning
from wagewatch.auth.masking import UnmaskRequest, mask_record
from wagewatch.auth.models import OrgUnit, User
from wagewatch.auth.roles import Scope, find_role
from wagewatch.auth.service import can, require, role_of
from wagewatch.cases.complaints import (
    COMPLAINT_STATUS,
    RECEIVED_VIA,
    complaint_events,
    complaint_scope_filter,
    get_complaint,
)
from wagewatch.cases.inspections import list_progress
from wagewatch.cases.models import (
    Case,
    CaseEvent,
    Complaint,
    InspectionItem,
    InspectionList,
    Remedy,
    Task,
)
from wagewatch.cases.remedies import REMEDY_KINDS
from wagewatch.cases.service import (
    EVENT_LABELS,
    LEGAL_OUTCOMES,
    OPEN_STATES,
    STATES,
    case_scope_filter,
    get_case,
    requires_investigation_record,
)
from wagewatch.enterprises.models import Enterprise
from wagewatch.notify.service import inbox
from wagewatch.rules.model import Rulebook
from wagewatch.rules.vocabulary import FACTS
from wagewatch.web.cases.schemas import (
    CaseDetail,
    CaseFilter,
    CasePage,
    CaseRow,
    ComplaintDetail,
    ComplaintRow,
    EventPublic,
    InboxItem,
    InspectionItemRow,
    InspectionListRow,
    RemedyPublic,
    TaskPublic,
)
from wagewatch.web.common import fmt_value
from wagewatch.web.rules.service import level_public

__all__ = [
    "case_detail",
    "complaint_detail",
    "complaint_lists",
    "due_label",
    "inbox_items",
    "inspection_items",
    "inspection_lists",
    "list_cases",
    "task_public",
    "task_views",
]

TASK_STATUS = {"open": "待办", "done": "已办结", "cancelled": "已关闭"}
_PII = {
    "complainant_name": "name",
    "complainant_phone": "phone",
    "complainant_id_number": "id_number",
}


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _span(seconds: float) -> str:
    minutes = int(seconds // 60)
    days, rem = divmod(minutes, 24 * 60)
    hours, mins = divmod(rem, 60)
    if days:
        return f"{days} 天 {hours} 小时" if hours else f"{days} 天"
    if hours:
        return f"{hours} 小时 {mins} 分" if mins else f"{hours} 小时"
    return f"{max(mins, 1)} 分钟"


def due_label(due_at: datetime | None, open_: bool, now: datetime) -> tuple[str, bool]:
    """The due clock: 剩余… / 已逾期… / 规则未设时限, and whether it is overdue."""
    if not open_:
        return "", False
    if due_at is None:
        return "规则未设时限", False
    delta = (_aware(due_at) - now).total_seconds()
    if delta >= 0:
        return f"剩余 {_span(delta)}", False
    return f"已逾期 {_span(-delta)}", True


def _unit_names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {u.id: u.name for u in session.scalars(select(OrgUnit).where(OrgUnit.id.in_(wanted)))}


def _may_complete(user: User, task: Task) -> bool:
    if task.status != "open" or not can(user, "tasks.complete"):
        return False
    role = role_of(user)
    if user.org_unit_id is not None and task.unit_id == user.org_unit_id:
        return True
    return role is not None and role.scope is Scope.DISTRICT and role.has("cases.write")


def task_public(
    task: Task, user: User, names: dict[int, str], now: datetime, case_title: str = ""
) -> TaskPublic:
    """One task with its due clock."""
    label, overdue = due_label(task.due_at, task.status == "open", now)
    return TaskPublic(
        id=task.id,
        case_id=task.case_id,
        case_title=case_title,
        kind=task.kind,
        title=task.title,
        assignee=task.assignee,
        unit_name=names.get(task.unit_id or 0, task.assignee),
        clause=task.clause,
        status=task.status,
        status_label=TASK_STATUS.get(task.status, task.status),
        due_at=task.due_at,
        due_basis=task.due_basis,
        due_label=label,
        overdue=overdue,
        calendar_warning=task.calendar_warning,
        escalation=task.escalation,
        completed_at=task.completed_at,
        completed_by=task.completed_by,
        result=task.result,
        can_complete=_may_complete(user, task),
    )


def _case_row(rb: Rulebook, c: Case, names: dict[int, str], now: datetime) -> CaseRow:
    open_tasks = [t for t in c.tasks if t.status == "open"]
    dues = [_aware(t.due_at) for t in open_tasks if t.due_at is not None]
    return CaseRow(
        id=c.id,
        title=c.title,
        enterprise_id=c.enterprise_id,
        cluster=c.cluster,
        township=c.township or ("、".join(c.townships or []) or None),
        industry=c.industry,
        level=level_public(rb, c.level) if c.level else None,
        state=c.state,
        state_label=STATES.get(c.state, c.state),
        lead_unit=names.get(c.lead_unit_id or 0, "未配置"),
        open_tasks=len(open_tasks),
        overdue_tasks=sum(1 for d in dues if d < now),
        next_due=min(dues) if dues else None,
        opened_at=c.opened_at,
        updated_at=c.updated_at,
    )


def _filtered(stmt: Select[Any], user: User, f: CaseFilter) -> Select[Any]:
    if f.state:
        stmt = stmt.where(Case.state == f.state)
    if f.level:
        stmt = stmt.where(Case.level == f.level)
    if f.township:
        stmt = stmt.where(Case.township == f.township)
    if f.mine:
        stmt = stmt.where(Case.lead_unit_id == user.org_unit_id)
    if f.q:
        stmt = stmt.where(Case.title.contains(f.q.strip()))
    return stmt


def list_cases(
    session: Session, user: User, rb: Rulebook, f: CaseFilter, *, now: datetime | None = None
) -> CasePage:
    """A page of the ledger within the user's scope (cases.read)."""
    require(user, "cases.read")
    at = now or datetime.now(UTC)
    base = select(Case).where(Case.rulebook == rb.name, case_scope_filter(user))
    counts = {
        s: int(n)
        for s, n in session.execute(
            select(Case.state, func.count())
            .where(Case.rulebook == rb.name, case_scope_filter(user))
            .group_by(Case.state)
        )
    }
    stmt = _filtered(base, user, f)
    total = int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
    order = {
        "level": (desc(Case.level_rank), desc(Case.updated_at)),
        "opened": (desc(Case.opened_at),),
        "updated": (desc(Case.updated_at),),
    }[f.sort]
    cases = list(
        session.scalars(
            stmt.order_by(*order, asc(Case.id))
            .offset((f.page - 1) * f.page_size)
            .limit(f.page_size)
        )
    )
    names = _unit_names(session, {c.lead_unit_id for c in cases})
    return CasePage(
        items=[_case_row(rb, c, names, at) for c in cases],
        total=total,
        page=f.page,
        page_size=f.page_size,
        pages=max(1, -(-total // f.page_size)),
        counts=counts,
    )


def _event_public(e: CaseEvent) -> EventPublic:
    return EventPublic(
        at=e.at,
        actor=e.actor,
        kind=e.kind,
        kind_label=EVENT_LABELS.get(e.kind, e.kind),
        text=e.text,
        from_state=STATES.get(e.from_state or "", e.from_state),
        to_state=STATES.get(e.to_state or "", e.to_state),
    )


def _actions(user: User, c: Case) -> list[str]:
    write = can(user, "cases.write")
    out: list[str] = []
    if c.state == "closed":
        return out
    if write and c.state == "verifying":
        out.append("handle")
    if write:
        out += ["note", "investigation", "resolution", "remedy", "leader"]
    if write and c.state in ("verifying", "handling"):
        out.append("transfer")
    if write and c.state in ("handling", "transferred"):
        out.append("request_closure")
    if can(user, "cases.supervise") and c.state == "closure_requested":
        out += ["confirm_closure", "reject_closure"]
    if c.form_values and write:
        out.append("form")
    return out


def case_detail(
    session: Session, user: User, rb: Rulebook, case_id: int, *, now: datetime | None = None
) -> CaseDetail:
    """The case page: record, tasks with due clocks, history, remedies, allowed actions."""
    at = now or datetime.now(UTC)
    c = get_case(session, user, case_id)
    ids: set[int | None] = {c.lead_unit_id, *(c.assisting_unit_ids or [])}
    ids |= {t.unit_id for t in c.tasks}
    names = _unit_names(session, ids)
    w = session.get(Warning, c.warning_id) if c.warning_id else None
    facts = []
    for key, value in ((w.facts or {}) if w else {}).items():
        fact = FACTS.get(key)
        facts.append((fact.label if fact else key, fmt_value(value)))
    events = session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == c.id).order_by(CaseEvent.at, CaseEvent.id)
    )
    remedies = []
    for r in session.scalars(select(Remedy).where(Remedy.case_id == c.id).order_by(Remedy.id)):
        spec = REMEDY_KINDS.get(r.kind)
        labels = {f.key: f.label for f in spec.fields} if spec else {}
        remedies.append(
            RemedyPublic(
                id=r.id,
                kind=r.kind,
                label=spec.label if spec else r.kind,
                fields=[(labels.get(k, k), str(v)) for k, v in (r.fields or {}).items()],
                document_name=r.document_name,
                recorded_by=r.recorded_by,
                recorded_at=r.recorded_at,
            )
        )
    leader = session.get(User, c.leader_user_id) if c.leader_user_id else None
    leaders = [
        (u.id, f"{u.display_name}（{u.org_unit.name if u.org_unit else ''}）")
        for u in session.scalars(select(User).where(User.active.is_(True)).order_by(User.id))
        if (role := find_role(u.role)) is not None
        and not role.administrative
        and (role.has("cases.supervise") or role.has("cases.write"))
    ]
    return CaseDetail(
        row=_case_row(rb, c, names, at),
        version=c.version,
        rulebook_title=rb.title,
        routing_clause=c.routing_clause,
        assisting_units=[names[i] for i in (c.assisting_unit_ids or []) if i in names],
        leader=leader.display_name if leader else None,
        reasons=list(w.reasons or []) if w else [],
        facts=facts,
        arrears_facts=c.arrears_facts,
        liable_party=c.liable_party,
        arrears_cause=c.arrears_cause,
        resolution=c.resolution,
        investigation_clause=requires_investigation_record(rb),
        tasks=[task_public(t, user, names, at) for t in c.tasks],
        events=[_event_public(e) for e in events],
        remedies=remedies,
        form=c.form_values,
        reopened=c.reopened,
        can_write=can(user, "cases.write"),
        can_supervise=can(user, "cases.supervise"),
        actions=_actions(user, c),
        remedy_kinds=[
            {
                "key": k.key,
                "label": k.label,
                "clause": k.clause,
                "fields": [
                    {
                        "key": f.key,
                        "label": f.label,
                        "type": f.type,
                        "required": f.required,
                        "choices": list(f.choices),
                    }
                    for f in k.fields
                ],
            }
            for k in REMEDY_KINDS.values()
        ],
        legal_outcomes=LEGAL_OUTCOMES,
        leaders=leaders,
    )


def _task_scope(user: User) -> ColumnElement[bool]:
    role = role_of(user)
    unit_id = user.org_unit_id
    own = Task.unit_id == unit_id if unit_id is not None else Task.id < 0
    if role is not None and role.scope is Scope.DISTRICT:
        return true()
    return or_(own, Task.case_id.in_(select(Case.id).where(case_scope_filter(user))))


def task_views(
    session: Session,
    user: User,
    *,
    only_overdue: bool = False,
    only_mine: bool = False,
    limit: int = 200,
    now: datetime | None = None,
) -> list[TaskPublic]:
    """Open tasks the user may see (own unit's first), nearest due first."""
    require(user, "cases.read")
    at = now or datetime.now(UTC)
    stmt = select(Task).where(Task.status == "open", _task_scope(user))
    if only_mine:
        stmt = stmt.where(Task.unit_id == user.org_unit_id)
    if only_overdue:
        stmt = stmt.where(and_(Task.due_at.is_not(None), Task.due_at < at))
    tasks = list(
        session.scalars(
            stmt.order_by(Task.due_at.is_(None), asc(Task.due_at), asc(Task.id)).limit(limit)
        )
    )
    names = _unit_names(session, {t.unit_id for t in tasks})
    return [
        task_public(t, user, names, at, t.case.title if t.case is not None else "") for t in tasks
    ]


# ---------------------------------------------------------------- complaints


def _complaint_row(
    c: Complaint, names: dict[int, str], values: dict[str, Any], now: datetime
) -> ComplaintRow:
    due = {"transfer_pending": c.due_accept, "accepted": c.due_respond, "handling": c.due_respond}
    label, overdue = due_label(
        due.get(c.status) or (c.due_close if c.status == "responded" else None),
        c.status != "closed",
        now,
    )
    return ComplaintRow(
        id=c.id,
        ref=f"SW{c.id:08d}",
        received_via=RECEIVED_VIA.get(c.received_via, c.received_via),
        received_at=c.received_at,
        enterprise_name=c.enterprise_name,
        enterprise_id=c.enterprise_id,
        township=c.township,
        complainant_name=values.get("complainant_name"),
        complainant_phone=values.get("complainant_phone"),
        status=c.status,
        status_label=COMPLAINT_STATUS.get(c.status, c.status),
        registered_unit=names.get(c.registered_unit_id or 0, ""),
        handling_unit=names.get(c.handling_unit_id or 0, ""),
        due_label=label,
        overdue=overdue,
    )


def _masked(c: Complaint, user: User) -> dict[str, Any]:
    record = {k: getattr(c, k) for k in _PII}
    return mask_record(record, _PII, user)


def complaint_lists(
    session: Session, user: User, *, now: datetime | None = None, limit: int = 100
) -> dict[str, list[ComplaintRow]]:
    """Complaints registered by the user's unit, those it must handle, and (district) all."""
    require(user, "cases.read")
    at = now or datetime.now(UTC)
    unit_id = user.org_unit_id
    out: dict[str, list[ComplaintRow]] = {}
    queries: dict[str, Any] = {
        "incoming": select(Complaint).where(
            Complaint.handling_unit_id == unit_id, Complaint.status != "closed"
        ),
        "registered": select(Complaint).where(Complaint.registered_unit_id == unit_id),
    }
    role = role_of(user)
    if role is not None and role.scope is not Scope.NONE:
        queries["all"] = select(Complaint).where(complaint_scope_filter(user))
    for key, stmt in queries.items():
        rows = list(
            session.scalars(
                stmt.order_by(desc(Complaint.received_at), desc(Complaint.id)).limit(limit)
            )
        )
        names = _unit_names(
            session, {r.registered_unit_id for r in rows} | {r.handling_unit_id for r in rows}
        )
        out[key] = [_complaint_row(r, names, _masked(r, user), at) for r in rows]
    return out


def complaint_detail(
    session: Session,
    user: User,
    complaint_id: int,
    *,
    unmask_reason: str | None = None,
    source: str | None = None,
    now: datetime | None = None,
) -> ComplaintDetail:
    """A complaint; personal fields in clear only with pii.unmask and a reason (audited)."""
    at = now or datetime.now(UTC)
    c = get_complaint(session, user, complaint_id)
    record = {k: getattr(c, k) for k in _PII}
    request = (
        UnmaskRequest(
            session=session,
            reason=unmask_reason,
            object_type="complaint",
            object_id=c.id,
            source=source,
        )
        if unmask_reason
        else None
    )
    values = mask_record(record, _PII, user, unmask_request=request)
    names = _unit_names(session, {c.registered_unit_id, c.handling_unit_id})
    unit_id = user.org_unit_id
    units = [
        (u.id, u.name)
        for u in session.scalars(
            select(OrgUnit)
            .where(OrgUnit.active.is_(True), OrgUnit.id != c.handling_unit_id)
            .order_by(OrgUnit.id)
        )
    ]
    handler = unit_id is not None and unit_id == c.handling_unit_id
    return ComplaintDetail(
        row=_complaint_row(c, names, values, at),
        version=c.version,
        text=c.text,
        complainant_id_number=values.get("complainant_id_number"),
        months_owed=str(c.months_owed) if c.months_owed is not None else None,
        workers=c.workers,
        amount=str(c.amount) if c.amount is not None else None,
        case_id=c.case_id,
        due_accept=c.due_accept,
        due_respond=c.due_respond,
        due_close=c.due_close,
        calendar_warning=c.calendar_warning,
        response=c.response,
        outcome=c.outcome,
        events=[_event_public(e) for e in complaint_events(session, c)],
        clear=bool(unmask_reason) and can(user, "pii.unmask"),
        can_acknowledge=handler and c.status == "transfer_pending",
        can_handle=handler and c.status in ("handling", "accepted", "responded"),
        can_transfer=handler and c.status in ("handling", "accepted"),
        can_unmask=can(user, "pii.unmask"),
        units=units,
    )


# ---------------------------------------------------------------- inspections


def inspection_lists(session: Session, user: User) -> list[InspectionListRow]:
    """Directed inspection lists, newest first, with progress (district: all; others: theirs)."""
    require(user, "cases.read")
    lists = list(session.scalars(select(InspectionList).order_by(desc(InspectionList.id))))
    role = role_of(user)
    out = []
    for lst in lists:
        items = select(InspectionItem).where(InspectionItem.list_id == lst.id)
        if role is None or role.scope is not Scope.DISTRICT:
            mine = _item_scope(user)
            if not session.scalar(select(func.count()).select_from(items.where(mine).subquery())):
                continue
        progress = list_progress(session, lst.id)
        found = int(
            session.scalar(
                select(func.count())
                .select_from(InspectionItem)
                .where(InspectionItem.list_id == lst.id, InspectionItem.found_arrears.is_(True))
            )
            or 0
        )
        out.append(
            InspectionListRow(
                id=lst.id,
                title=lst.title,
                source_office=lst.source_office,
                condition=lst.condition,
                created_by=lst.created_by,
                created_at=lst.created_at,
                total=sum(progress.values()),
                done=progress.get("done", 0),
                found=found,
            )
        )
    return out


def _item_scope(user: User) -> ColumnElement[bool]:
    role = role_of(user)
    if role is not None and role.scope is Scope.DISTRICT:
        return InspectionItem.id.is_not(None)
    unit = user.org_unit
    clauses: list[ColumnElement[bool]] = [
        InspectionItem.task_id.in_(select(Task.id).where(Task.unit_id == user.org_unit_id))
    ]
    if unit is not None and unit.township:
        clauses.append(InspectionItem.township == unit.township)
    return or_(*clauses)


def inspection_items(
    session: Session, user: User, list_id: int, *, now: datetime | None = None
) -> tuple[InspectionList, list[InspectionItemRow]]:
    """One list and the items the user may see."""
    require(user, "cases.read")
    at = now or datetime.now(UTC)
    lst = session.get(InspectionList, list_id)
    if lst is None:
        raise LookupError("排查清单不存在。")
    rows = session.execute(
        select(InspectionItem, Enterprise, Task)
        .join(Enterprise, Enterprise.id == InspectionItem.enterprise_id)
        .outerjoin(Task, Task.id == InspectionItem.task_id)
        .where(InspectionItem.list_id == list_id, _item_scope(user))
        .order_by(InspectionItem.status.desc(), Enterprise.township, Enterprise.name)
    ).all()
    feedback = can(user, "inspections.feedback")
    out = []
    for item, ent, task in rows:
        label, overdue = due_label(task.due_at if task else None, item.status != "done", at)
        parts = []
        if item.found_arrears is not None:
            parts.append("发现欠薪" if item.found_arrears else "未发现欠薪")
        if item.workers:
            parts.append(f"{item.workers}人")
        if item.amount is not None:
            parts.append(f"{fmt_value(item.amount)}元")
        if item.settled:
            parts.append("已解决")
        out.append(
            InspectionItemRow(
                id=item.id,
                enterprise_id=ent.id,
                enterprise_name=ent.name,
                township=ent.township,
                status=item.status,
                due_at=task.due_at if task else None,
                due_label=label,
                overdue=overdue,
                visit_date=item.visit_date.isoformat() if item.visit_date else None,
                inspector=item.inspector,
                found_arrears=item.found_arrears,
                settled=item.settled,
                summary="，".join(parts),
                can_feedback=feedback and item.status != "done",
            )
        )
    return lst, out


def inbox_items(session: Session, user: User) -> list[InboxItem]:
    """The user's inbox."""
    return [
        InboxItem(
            id=n.id,
            title=n.title,
            body=n.body,
            link=n.link,
            event=n.event,
            due_at=n.due_at,
            created_at=n.created_at,
            read=n.read_at is not None,
        )
        for n in inbox(session, user, limit=100)
    ]


def open_case_count(session: Session, user: User, rb: Rulebook) -> int:
    """Open cases within the user's scope."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(Case)
            .where(Case.rulebook == rb.name, Case.state.in_(OPEN_STATES), case_scope_filter(user))
        )
        or 0
    )
