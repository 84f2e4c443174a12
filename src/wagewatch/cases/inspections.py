"""Directed inspections (定向排查) and their feedback (宝山、营口、青浦).

宝山: “由税务部门定期提供缴费异常企业信息，在确保信息安全的前提下，通过信息的分类筛选，下发
街镇园区开展定向排查，并将排查结果反馈税务部门”. A list is built from a condition over the facts (the rulebook condition language, e.g.
`tax_arrears_months >= 1 or social_insurance_arrears_months >= 1`), each enterprise becomes a
task of its township, the township records the visit in a short form, the result becomes an
`inspections` signal (opening or clearing arrears claims) and the enterprise is re-graded;
the results are exported for the office that supplied the list.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import ibis
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wagewatch.alerts.service import build_inputs
from wagewatch.auth.models import User
from wagewatch.auth.service import (
    PermissionDenied,
    object_in_scope,
    record_audit,
    register_audit_action,
    require,
)
from wagewatch.cases.models import InspectionItem, InspectionList, Task
from wagewatch.cases.routing import UnitFinder
from wagewatch.cases.service import CaseError, CaseNotFound, load_calendar, regrade
from wagewatch.cases.signals import record_signal
from wagewatch.china import to_china, to_utc
from wagewatch.db.base import utcnow
from wagewatch.enterprises.models import Enterprise
from wagewatch.facts.engine import compute_facts
from wagewatch.notify.service import notify_units
from wagewatch.rules.condition import ConditionError, parse_condition
from wagewatch.rules.engine import normalise_facts
from wagewatch.rules.model import Rulebook
from wagewatch.settings import Settings, get_settings

__all__ = [
    "DIRECTED_CLAUSE",
    "PRESET_FILTERS",
    "VisitResult",
    "build_inspection_list",
    "export_results",
    "list_progress",
    "record_visit",
]

register_audit_action("inspections.create", "下发定向排查清单")
register_audit_action("inspections.feedback", "反馈排查结果")
register_audit_action("inspections.export", "导出排查结果")

DIRECTED_CLAUSE = (
    "由税务部门定期提供缴费异常企业信息，在确保信息安全的前提下，通过信息的分类筛选，"
    "下发街镇园区开展定向排查，并将排查结果反馈税务部门"
)

# Ready-made filters (a list may use any condition over the facts).
PRESET_FILTERS: dict[str, tuple[str, str]] = {
    "tax_si": (
        "税务、社保缴费异常企业",
        "tax_arrears_months >= 1 or social_insurance_arrears_months >= 1",
    ),
    "fees": ("水电燃气通信欠费企业", "fee_arrears_months >= 2"),
    "complaints": ("近90日有欠薪投诉的企业", "wage_complaints_90d >= 1"),
    "closure": ("关停风险、经营异常企业", "closure_risk or business_anomaly or sudden_closure"),
}


@dataclass
class VisitResult:
    """The township's short form for one visit."""

    visit_date: date
    inspector: str
    found_arrears: bool
    months_owed: str = ""
    workers: str = ""
    amount: str = ""
    settled: bool = False
    notes: str = ""


def build_inspection_list(
    session: Session,
    user: User,
    *,
    title: str,
    source_office: str,
    condition: str,
    as_of: date,
    due_working_days: int | None = None,
    settings: Settings | None = None,
    now: datetime | None = None,
) -> InspectionList:
    """Select the enterprises matching `condition` and push each to its township as a task."""
    at = to_utc(now or utcnow())
    settings = settings or get_settings()
    require(user, "cases.write")
    title, source_office = title.strip(), source_office.strip()
    if not title:
        raise CaseError("请填写清单名称。")
    if not source_office:
        raise CaseError("请填写线索来源单位（排查结果将反馈给该单位）。")
    try:
        cond = parse_condition(condition)
    except ConditionError as exc:
        raise CaseError(f"筛选条件有误：{exc}") from None
    days = settings.inspection_days if due_working_days is None else due_working_days
    if not 1 <= days <= 60:
        raise CaseError("反馈时限应为1至60个工作日。")
    con = ibis.duckdb.connect()
    inputs = build_inputs(session, con)
    facts = normalise_facts(compute_facts(inputs, as_of))
    chosen = facts.filter(cond.to_ibis(facts, {})).select("enterprise_id")
    ids = sorted(int(i) for i in con.to_pyarrow(chosen).column("enterprise_id").to_pylist())
    if not ids:
        raise CaseError("没有企业符合该筛选条件，未生成清单。")
    lst = InspectionList(
        title=title[:200],
        source_office=source_office[:100],
        condition=cond.source,
        as_of=as_of,
        due_working_days=days,
        created_by=user.display_name,
        created_at=at,
    )
    session.add(lst)
    session.flush()
    deadline = load_calendar(session).add_working_days(to_china(at), days)
    finder = UnitFinder(session)
    per_unit: dict[int | None, int] = {}
    enterprises = {
        e.id: e
        for chunk in range(0, len(ids), 5000)
        for e in session.scalars(
            select(Enterprise).where(Enterprise.id.in_(ids[chunk : chunk + 5000]))
        )
    }
    for eid in ids:
        ent = enterprises[eid]
        unit = finder.township_unit(ent.township) or finder.district
        task = Task(
            key=f"inspection:{lst.id}:{eid}",
            kind="inspection",
            title=f"定向排查：{ent.name}",
            assignee=unit.name if unit else "属地镇街",
            office="township",
            unit_id=unit.id if unit else None,
            clause=f"{lst.title}（{lst.source_office}提供，条件：{cond.source}）",
            created_at=at,
            due_at=to_utc(deadline.due_at),
            due_basis=deadline.basis,
            calendar_warning=deadline.warning,
            status="open",
        )
        session.add(task)
        session.flush()
        session.add(
            InspectionItem(
                list_id=lst.id, enterprise_id=eid, township=ent.township, task_id=task.id
            )
        )
        key = unit.id if unit else None
        per_unit[key] = per_unit.get(key, 0) + 1
    for unit_id, n in per_unit.items():
        notify_units(
            session,
            [unit_id],
            event_code="inspection.assigned",
            title=f"定向排查任务：{lst.title}（{n}家）",
            body=f"请在 {deadline.basis} 内完成排查并逐户反馈结果。",
            link=f"/inspections/{lst.id}",
            due_at=to_utc(deadline.due_at),
            now=at,
        )
    record_audit(
        session,
        "inspections.create",
        actor=user,
        object_type="inspection_list",
        object_id=lst.id,
        details={"condition": cond.source, "enterprises": len(ids)},
        now=at,
    )
    session.flush()
    return lst


def _dec(raw: str, label: str) -> Decimal | None:
    raw = (raw or "").replace(",", "").strip()
    if not raw:
        return None
    try:
        d = Decimal(raw)
    except InvalidOperation:
        raise CaseError(f"{label}应为数字。") from None
    if not d.is_finite() or d < 0:
        raise CaseError(f"{label}不能为负数。")
    return d


def record_visit(
    session: Session,
    user: User,
    rb: Rulebook,
    item_id: int,
    result: VisitResult,
    as_of: date,
    *,
    settings: Settings | None = None,
    now: datetime | None = None,
) -> InspectionItem:
    """Record a visit: an `inspections` signal, the task done, the enterprise re-graded."""
    at = to_utc(now or utcnow())
    require(user, "inspections.feedback")
    item = session.get(InspectionItem, item_id)
    if item is None:
        raise CaseNotFound("排查对象不存在。")
    ent = session.get(Enterprise, item.enterprise_id)
    assert ent is not None
    task = session.get(Task, item.task_id) if item.task_id else None
    if not object_in_scope(user, ent) and not (
        task is not None and task.unit_id == user.org_unit_id
    ):
        raise PermissionDenied("该企业不在您的管辖范围内。", user=user)
    if item.status == "done":
        raise CaseError("该企业的排查结果已反馈。")
    if not result.inspector.strip():
        raise CaseError("请填写排查人。")
    if result.visit_date > to_china(at).date():
        raise CaseError("排查日期不能晚于今天。")
    months = _dec(result.months_owed, "欠薪月数")
    amount = _dec(result.amount, "欠薪金额")
    workers_raw = (result.workers or "").strip()
    try:
        workers = int(workers_raw) if workers_raw else None
    except ValueError:
        raise CaseError("欠薪人数应为整数。") from None
    if not result.found_arrears and (months or amount or workers):
        raise CaseError("未发现欠薪时不应填写欠薪月数、人数或金额。")
    lst = session.get(InspectionList, item.list_id)
    assert lst is not None
    signal = record_signal(
        session,
        "inspections",
        {
            "credit_code": ent.credit_code,
            "enterprise_name": ent.name,
            "visit_date": result.visit_date,
            "task_no": f"PC{lst.id:05d}-{item.id}",
            "inspector": result.inspector.strip()[:100],
            "found_arrears": result.found_arrears,
            "months_owed": months,
            "workers": workers,
            "amount": amount,
            "settled": result.settled if result.found_arrears else None,
            "notes": result.notes.strip()[:1000] or None,
        },
        label=f"定向排查{lst.id}-{item.id}",
        imported_by=user.username,
        settings=settings,
    )
    item.status = "done"
    item.visit_date, item.inspector = result.visit_date, result.inspector.strip()[:100]
    item.found_arrears, item.months_owed, item.workers, item.amount = (
        result.found_arrears,
        months,
        workers,
        amount,
    )
    item.settled = result.settled if result.found_arrears else None
    item.notes = result.notes.strip()[:1000] or None
    item.batch_id = signal.batch_id
    item.recorded_by, item.recorded_at = user.display_name, at
    if task is not None and task.status == "open":
        task.status, task.completed_at, task.completed_by = "done", at, user.display_name
        task.result = "发现欠薪" if result.found_arrears else "未发现欠薪"
    regrade(session, rb, as_of, [ent.id], now=at)
    record_audit(
        session,
        "inspections.feedback",
        actor=user,
        object_type="inspection_item",
        object_id=item.id,
        details={"found_arrears": result.found_arrears, "batch_id": signal.batch_id},
        now=at,
    )
    session.flush()
    return item


def list_progress(session: Session, list_id: int) -> dict[str, int]:
    """Items per status of one list."""
    rows = session.execute(
        select(InspectionItem.status, func.count())
        .where(InspectionItem.list_id == list_id)
        .group_by(InspectionItem.status)
    )
    return {s: int(n) for s, n in rows}


def export_results(session: Session, user: User, list_id: int) -> tuple[str, bytes]:
    """The list's results as an Excel file for the office that supplied it (e.g. 税务局)."""
    import xlsxwriter

    require(user, "reports.export")
    lst = session.get(InspectionList, list_id)
    if lst is None:
        raise CaseNotFound("排查清单不存在。")
    rows = session.execute(
        select(InspectionItem, Enterprise)
        .join(Enterprise, Enterprise.id == InspectionItem.enterprise_id)
        .where(InspectionItem.list_id == list_id)
        .order_by(Enterprise.township, Enterprise.name)
    ).all()
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    sheet = book.add_worksheet("排查结果")
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    headers = [
        "统一社会信用代码",
        "企业名称",
        "所属镇街",
        "排查状态",
        "排查日期",
        "排查人",
        "是否存在欠薪",
        "欠薪月数",
        "欠薪人数",
        "欠薪金额（元）",
        "是否已解决",
        "情况说明",
    ]
    sheet.write_row(0, 0, headers, head)
    yes_no = {True: "是", False: "否", None: ""}
    for r, (item, ent) in enumerate(rows, start=1):
        sheet.write_row(
            r,
            0,
            [
                ent.credit_code or "",
                ent.name,
                ent.township or "",
                "已反馈" if item.status == "done" else "待排查",
                item.visit_date.isoformat() if item.visit_date else "",
                item.inspector or "",
                yes_no[item.found_arrears],
                float(item.months_owed) if item.months_owed is not None else "",
                item.workers if item.workers is not None else "",
                float(item.amount) if item.amount is not None else "",
                yes_no[item.settled],
                item.notes or "",
            ],
        )
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 30)
    sheet.set_column(2, 11, 12)
    book.close()
    record_audit(
        session,
        "inspections.export",
        actor=user,
        object_type="inspection_list",
        object_id=lst.id,
        details={"rows": len(rows)},
    )
    name = f"定向排查结果-{lst.title}-{lst.source_office}.xlsx"
    return name, buf.getvalue()
