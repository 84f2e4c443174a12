"""Complaints under first-contact responsibility (首问负责制) and their transfer (转办).

文登: “接到劳动者投诉的，无论是否属于本部门管辖，均须详细了解情况、做好登记；不属于本部门
管辖的，主动帮助分析情况、通过网上流转或电话联系管辖部门与投诉人对接”. Any office registers
a complaint; it becomes a `complaints` signal at once and the enterprise is re-graded. If the
competent office is another one, the complaint is transferred and stays pending until the
receiving office acknowledges it; the registering office keeps seeing its status. Time limits
to accept, respond and close are settings (working days; 1, 3 and 15 by default).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

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
from wagewatch.cases.models import Case, CaseEvent, Complaint
from wagewatch.cases.routing import UnitFinder
from wagewatch.cases.service import (
    OPEN_STATES,
    CaseError,
    CaseNotFound,
    StaleCase,
    load_calendar,
    regrade,
    scoped_where,
)
from wagewatch.cases.signals import record_signal
from wagewatch.china import to_china, to_utc
from wagewatch.db.base import utcnow
from wagewatch.enterprises.models import Enterprise
from wagewatch.notify.service import notify_units
from wagewatch.rules.model import Rulebook
from wagewatch.settings import Settings, get_settings

__all__ = [
    "COMPLAINT_STATUS",
    "FIRST_CONTACT_CLAUSE",
    "RECEIVED_VIA",
    "ComplaintInput",
    "acknowledge_transfer",
    "close_complaint",
    "complaint_scope_filter",
    "competent_unit",
    "get_complaint",
    "register_complaint",
    "respond_complaint",
    "transfer_complaint",
]

FIRST_CONTACT_CLAUSE = (
    "接到劳动者投诉的，无论是否属于本部门管辖，均须详细了解情况、做好登记；不属于本部门管辖的，"
    "主动帮助分析情况、通过网上流转或电话联系管辖部门与投诉人对接"
)
RECEIVED_VIA = {"phone": "电话", "visit": "来访", "letter": "来信", "online": "网上"}
# The complaints source's channel for each way of receiving (来信 is 来信来访; the rest 首问登记).
_CHANNEL = {"phone": "counter", "visit": "counter", "letter": "letters_visits", "online": "counter"}
COMPLAINT_STATUS = {
    "handling": "本单位办理",
    "transfer_pending": "转办待接收",
    "accepted": "已接收办理",
    "responded": "已答复",
    "closed": "已办结",
}
_PHONE = re.compile(r"^[0-9+\-() ]{5,20}$")

register_audit_action("complaints.create", "登记投诉举报")
register_audit_action("complaints.transfer", "转办投诉")
register_audit_action("complaints.acknowledge", "接收转办投诉")
register_audit_action("complaints.update", "办理投诉")


@dataclass
class ComplaintInput:
    """What the registering officer writes down (personal data is stored, shown masked)."""

    received_via: str
    enterprise_name: str
    text: str
    credit_code: str = ""
    complainant_name: str = ""
    complainant_phone: str = ""
    complainant_id_number: str = ""
    months_owed: str = ""
    workers: str = ""
    amount: str = ""
    township: str = ""
    handling_unit_id: int | None = None


# ---------------------------------------------------------------- scope


def _complaint_in_scope(user: User, c: Complaint) -> bool:
    role = role_of(user)
    if role is None:
        return False
    if role.scope is Scope.DISTRICT:
        return True
    unit = user.org_unit
    if unit is None:
        return False
    if unit.id in (c.registered_unit_id, c.handling_unit_id):
        return True
    if role.scope is Scope.TOWNSHIP and unit.township:
        return c.township == unit.township
    if role.scope is Scope.INDUSTRY and unit.industries:
        return c.industry in unit.industries
    return False


register_scope_check(Complaint, _complaint_in_scope)


def complaint_scope_filter(user: User | None) -> ColumnElement[bool]:
    """A where-clause limiting `Complaint` to what the user may see."""
    return scoped_where(
        user,
        lambda unit: [
            Complaint.registered_unit_id == unit.id,
            Complaint.handling_unit_id == unit.id,
        ],
        Complaint.township,
        Complaint.industry,
    )


def get_complaint(session: Session, user: User, complaint_id: int) -> Complaint:
    """A complaint the user may see."""
    require(user, "cases.read")
    c = session.get(Complaint, complaint_id)
    if c is None:
        raise CaseNotFound("投诉登记不存在。")
    if not object_in_scope(user, c):
        raise PermissionDenied("该投诉不在您的管辖范围内。", user=user)
    return c


def _writable(session: Session, user: User, complaint_id: int, version: int | None) -> Complaint:
    require(user, "tasks.complete")
    c = get_complaint(session, user, complaint_id)
    if version is not None and c.version != version:
        raise StaleCase("该投诉已被他人办理，请刷新页面查看最新状态后再操作。")
    return c


# ---------------------------------------------------------------- helpers


def competent_unit(session: Session, township: str | None, industry: str | None) -> OrgUnit | None:
    """The office competent for an enterprise: its industry authority, else its township."""
    finder = UnitFinder(session)
    return finder.industry_unit(industry) or finder.township_unit(township)


def _event(
    session: Session, c: Complaint, kind: str, text: str, user: User | None, at: datetime
) -> None:
    session.add(
        CaseEvent(
            complaint_id=c.id,
            at=at,
            user_id=user.id if user else None,
            actor=user.display_name if user else "系统",
            kind=kind,
            to_state=c.status,
            text=text,
        )
    )


def _decimal(value: str, label: str, problems: list[str]) -> Decimal | None:
    value = (value or "").replace(",", "").replace("元", "").strip()
    if not value:
        return None
    try:
        d = Decimal(value)
    except InvalidOperation:
        problems.append(f"{label}应为数字")
        return None
    if not d.is_finite() or d < 0:
        problems.append(f"{label}不能为负数")
        return None
    return d


def _int(value: str, label: str, problems: list[str]) -> int | None:
    value = (value or "").replace("人", "").strip()
    if not value:
        return None
    try:
        n = int(value)
    except ValueError:
        problems.append(f"{label}应为整数")
        return None
    if n < 0:
        problems.append(f"{label}不能为负数")
        return None
    return n


def _limits(settings: Settings) -> tuple[int, int, int]:
    return (
        settings.complaint_accept_days,
        settings.complaint_respond_days,
        settings.complaint_close_days,
    )


# ---------------------------------------------------------------- verbs


def register_complaint(
    session: Session,
    user: User,
    rb: Rulebook,
    data: ComplaintInput,
    as_of: date,
    *,
    settings: Settings | None = None,
    source: str | None = None,
    now: datetime | None = None,
) -> Complaint:
    """Register a complaint (首问负责制), grade its enterprise at once, route or transfer it."""
    at = to_utc(now or utcnow())
    settings = settings or get_settings()
    require(user, "complaints.create")
    problems: list[str] = []
    via = data.received_via
    if via not in RECEIVED_VIA:
        problems.append("受理方式应为电话、来访、来信或网上")
    name = data.enterprise_name.strip()
    if not name:
        problems.append("请填写被投诉单位名称")
    text = data.text.strip()
    if len(text) < 5:
        problems.append("请详细填写诉求内容（至少5个字）")
    phone = data.complainant_phone.strip()
    if phone and not _PHONE.match(phone):
        problems.append("联系电话格式不正确")
    months = _decimal(data.months_owed, "欠薪月数", problems)
    amount = _decimal(data.amount, "涉及金额", problems)
    workers = _int(data.workers, "涉及人数", problems)
    if len(text) > 4000:
        problems.append("诉求内容不能超过4000字")
    if problems:
        raise CaseError("；".join(problems) + "。")
    unit = user.org_unit
    c = Complaint(
        received_via=via,
        received_at=at,
        enterprise_name=name[:200],
        credit_code=data.credit_code.strip() or None,
        complainant_name=data.complainant_name.strip() or None,
        complainant_phone=phone or None,
        complainant_id_number=data.complainant_id_number.strip() or None,
        text=text,
        months_owed=months,
        workers=workers,
        amount=amount,
        township=data.township.strip() or None,
        registered_unit_id=unit.id if unit else None,
        registered_by=user.display_name,
        status="handling",
    )
    session.add(c)
    session.flush()
    result = record_signal(
        session,
        "complaints",
        {
            "credit_code": c.credit_code,
            "enterprise_name": c.enterprise_name,
            "received_date": to_china(at).date(),
            "channel": _CHANNEL[via],
            "ticket_no": f"SW{c.id:08d}",
            "text": c.text,
            "complainant_name": c.complainant_name,
            "complainant_phone": c.complainant_phone,
            "complainant_id_number": c.complainant_id_number,
            "months_owed": months,
            "workers": workers,
            "amount": amount,
            "township": c.township,
        },
        label=f"首问登记-SW{c.id:08d}",
        imported_by=user.username,
        settings=settings,
    )
    c.batch_id = result.batch_id
    if result.touched:
        c.enterprise_id = min(result.touched)
        ent = session.get(Enterprise, c.enterprise_id)
        if ent is not None:
            c.township = c.township or ent.township
            c.industry = ent.industry
        regrade(session, rb, as_of, result.touched, now=at)
        c.case_id = session.scalar(
            select(Case.id)
            .where(
                Case.enterprise_id == c.enterprise_id,
                Case.rulebook == rb.name,
                Case.state.in_(OPEN_STATES),
            )
            .order_by(Case.id.desc())
        )
    _event(session, c, "registered", f"{RECEIVED_VIA[via]}受理，首问登记", user, at)
    record_audit(
        session,
        "complaints.create",
        actor=user,
        object_type="complaint",
        object_id=c.id,
        source=source,
        details={"via": via, "enterprise_id": c.enterprise_id, "batch_id": c.batch_id},
        now=at,
    )
    target: OrgUnit | None = None
    if data.handling_unit_id is not None:
        target = session.get(OrgUnit, data.handling_unit_id)
        if target is None or not target.active:
            raise CaseError("所选承办单位不存在或已停用。")
    elif c.case_id is not None:
        # The office leading the enterprise's case is competent for its complaints too.
        lead = session.get(Case, c.case_id)
        target = session.get(OrgUnit, lead.lead_unit_id) if lead and lead.lead_unit_id else None
    if target is None:
        target = competent_unit(session, c.township, c.industry)
    if target is not None and unit is not None and target.id != unit.id:
        _transfer(session, user, c, target, "按管辖转办", settings, at)
    else:
        c.handling_unit_id = unit.id if unit else None
        _start(c, settings, session, at)
    session.flush()
    return c


def _start(c: Complaint, settings: Settings, session: Session, at: datetime) -> None:
    cal = load_calendar(session)
    _, respond, close = _limits(settings)
    start = to_china(at)
    r = cal.add_working_days(start, respond)
    k = cal.add_working_days(start, close)
    c.due_respond, c.due_close = to_utc(r.due_at), to_utc(k.due_at)
    c.calendar_warning = r.warning or k.warning


def _transfer(
    session: Session,
    user: User,
    c: Complaint,
    target: OrgUnit,
    note: str,
    settings: Settings,
    at: datetime,
) -> None:
    accept, _, _ = _limits(settings)
    deadline = load_calendar(session).add_working_days(to_china(at), accept)
    c.handling_unit_id = target.id
    c.status = "transfer_pending"
    c.transferred_at = at
    c.acknowledged_at = None
    c.acknowledged_by = None
    c.due_accept = to_utc(deadline.due_at)
    c.calendar_warning = deadline.warning
    _event(session, c, "transferred", f"转办至 {target.name}：{note}", user, at)
    record_audit(
        session,
        "complaints.transfer",
        actor=user,
        object_type="complaint",
        object_id=c.id,
        details={"to_unit": target.id},
        now=at,
    )
    notify_units(
        session,
        [target.id],
        event_code="complaint.transferred",
        title=f"转办投诉待接收：{c.enterprise_name}",
        body=f"{user.display_name} 转来投诉登记第{c.id}号，请在 {deadline.basis} 内接收并办理。",
        link=f"/complaints/{c.id}",
        due_at=to_utc(deadline.due_at),
        now=at,
    )


def transfer_complaint(
    session: Session,
    user: User,
    complaint_id: int,
    version: int | None,
    to_unit_id: int,
    note: str,
    *,
    settings: Settings | None = None,
    now: datetime | None = None,
) -> Complaint:
    """转办 to the competent office (by the office now holding the complaint)."""
    at = to_utc(now or utcnow())
    c = _writable(session, user, complaint_id, version)
    if c.status in ("responded", "closed"):
        raise CaseError("已答复或已办结的投诉不能转办。")
    if c.status == "transfer_pending":
        raise CaseError("该投诉正在等待接收，不能再次转办。")
    if user.org_unit_id != c.handling_unit_id:
        raise PermissionDenied("只有当前承办单位可以转办。", user=user)
    target = session.get(OrgUnit, to_unit_id)
    if target is None or not target.active:
        raise CaseError("所选承办单位不存在或已停用。")
    if target.id == c.handling_unit_id:
        raise CaseError("不能转办给本单位。")
    if len(note.strip()) < 2:
        raise CaseError("请填写转办理由（为何不属于本单位管辖）。")
    _transfer(session, user, c, target, note.strip(), settings or get_settings(), at)
    session.flush()
    return c


def acknowledge_transfer(
    session: Session,
    user: User,
    complaint_id: int,
    version: int | None,
    *,
    settings: Settings | None = None,
    now: datetime | None = None,
) -> Complaint:
    """接收: the receiving office acknowledges the transfer; its time limits start."""
    at = to_utc(now or utcnow())
    c = _writable(session, user, complaint_id, version)
    if c.status != "transfer_pending":
        raise CaseError("该投诉不是待接收状态。")
    if user.org_unit_id != c.handling_unit_id:
        raise PermissionDenied("只有接收单位可以确认接收。", user=user)
    c.status = "accepted"
    c.acknowledged_at = at
    c.acknowledged_by = user.display_name
    _start(c, settings or get_settings(), session, at)
    _event(session, c, "acknowledged", "已接收转办", user, at)
    record_audit(
        session,
        "complaints.acknowledge",
        actor=user,
        object_type="complaint",
        object_id=c.id,
        now=at,
    )
    notify_units(
        session,
        [c.registered_unit_id],
        event_code="complaint.acknowledged",
        title=f"转办已接收：{c.enterprise_name}",
        body=f"{user.display_name} 已接收您登记的投诉第{c.id}号。",
        link=f"/complaints/{c.id}",
        now=at,
    )
    session.flush()
    return c


def _handler(user: User, c: Complaint) -> None:
    if user.org_unit_id != c.handling_unit_id:
        raise PermissionDenied("只有承办单位可以办理该投诉。", user=user)
    if c.status == "transfer_pending":
        raise CaseError("请先接收转办，再办理。")


def respond_complaint(
    session: Session,
    user: User,
    complaint_id: int,
    version: int | None,
    response: str,
    *,
    now: datetime | None = None,
) -> Complaint:
    """答复 the complainant (what was found and done)."""
    at = to_utc(now or utcnow())
    c = _writable(session, user, complaint_id, version)
    _handler(user, c)
    if c.status in ("responded", "closed"):
        raise CaseError("该投诉已答复。")
    if len(response.strip()) < 2:
        raise CaseError("请填写答复内容。")
    c.status, c.responded_at, c.response = "responded", at, response.strip()[:4000]
    _event(session, c, "responded", "已答复投诉人", user, at)
    record_audit(
        session, "complaints.update", actor=user, object_type="complaint", object_id=c.id, now=at
    )
    session.flush()
    return c


def close_complaint(
    session: Session,
    user: User,
    complaint_id: int,
    version: int | None,
    outcome: str,
    *,
    now: datetime | None = None,
) -> Complaint:
    """办结 the complaint with its outcome."""
    at = to_utc(now or utcnow())
    c = _writable(session, user, complaint_id, version)
    _handler(user, c)
    if c.status == "closed":
        raise CaseError("该投诉已办结。")
    if c.status != "responded":
        raise CaseError("请先答复投诉人，再办结。")
    if len(outcome.strip()) < 2:
        raise CaseError("请填写办结情况。")
    c.status, c.closed_at, c.outcome = "closed", at, outcome.strip()[:4000]
    _event(session, c, "closed", "投诉办结", user, at)
    record_audit(
        session, "complaints.update", actor=user, object_type="complaint", object_id=c.id, now=at
    )
    notify_units(
        session,
        [c.registered_unit_id],
        event_code="complaint.closed",
        title=f"投诉已办结：{c.enterprise_name}",
        body=f"您登记的投诉第{c.id}号已办结。",
        link=f"/complaints/{c.id}",
        now=at,
    )
    session.flush()
    return c


def complaint_events(session: Session, c: Complaint) -> list[CaseEvent]:
    """The complaint's history, oldest first."""
    return list(
        session.scalars(
            select(CaseEvent).where(CaseEvent.complaint_id == c.id).order_by(CaseEvent.id)
        )
    )


def complaint_record(c: Complaint) -> dict[str, Any]:
    """The complaint as a plain mapping (personal fields still in clear: mask before showing)."""
    return {
        "id": c.id,
        "complainant_name": c.complainant_name,
        "complainant_phone": c.complainant_phone,
        "complainant_id_number": c.complainant_id_number,
    }
