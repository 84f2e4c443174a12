"""Complaints under 首问负责制: registration by any office, transfer to the competent one,
acknowledgement and the time limits, answer and closure, refusal of bad input, the
`complaints` signal and the immediate re-grade, masking, and escalation of a lapsed transfer."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.cases.conftest import T0, World, unit
from tests.cases.conftest import complain as _complain
from wagewatch.alerts.models import Warning
from wagewatch.auth.masking import UnmaskRequest, mask_record
from wagewatch.auth.models import AuditEntry, User
from wagewatch.auth.service import SYSTEM, PermissionDenied, create_user
from wagewatch.cases.calendar import WorkCalendar
from wagewatch.cases.complaints import (
    ComplaintInput,
    acknowledge_transfer,
    close_complaint,
    complaint_events,
    complaint_record,
    complaint_scope_filter,
    get_complaint,
    register_complaint,
    respond_complaint,
    transfer_complaint,
)
from wagewatch.cases.deadlines import run_deadlines
from wagewatch.cases.models import Case, CaseEvent, Complaint
from wagewatch.cases.service import CaseError
from wagewatch.china import CHINA, to_china
from wagewatch.notify.models import Notification
from wagewatch.settings import Settings
from wagewatch.signals.models import ImportBatch

CAL = WorkCalendar()
PII = {
    "complainant_name": "name",
    "complainant_phone": "phone",
    "complainant_id_number": "id_number",
}
# Not in the registry: the complaint is kept for review and nothing is re-graded (cheap).
UNKNOWN = "丁食品加工有限公司"


def china(y: int, m: int, d: int, hh: int = 0, mm: int = 0, ss: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, tzinfo=CHINA)


def complain(w: World, name: str, months: str = "", workers: str = "", **kw: Any) -> Complaint:
    """Register without committing (these tests commit where they mean to)."""
    return _complain(w, name, months, workers, commit=kw.pop("commit", False), **kw)


def end_of_day(y: int, m: int, d: int) -> datetime:
    return china(y, m, d, 23, 59, 59)


def inbox_titles(w: World, username: str) -> list[str]:
    user = w.user(username)
    return list(
        w.s.scalars(
            select(Notification.title)
            .where(Notification.user_id == user.id)
            .order_by(Notification.id)
        )
    )


def new_user(w: World, username: str, role: str, unit_code: str) -> User:
    return create_user(
        w.s,
        SYSTEM,
        username=username,
        display_name=f"{username}（测试）",
        org_unit=unit(w, unit_code),
        role=role,
        now=T0,
    )


def counts(w: World) -> tuple[int, ...]:
    return tuple(
        int(w.s.scalar(select(func.count()).select_from(m)) or 0)
        for m in (Complaint, ImportBatch, Case, Warning, CaseEvent, Notification, AuditEntry)
    )


# ---------------------------------------------------------------- transfer and time limits


def test_complaint_outside_competence_waits_for_the_receiving_office(world: World) -> None:
    # 住建局 registers a complaint about a 东镇 manufacturer on Friday 6 March 2026.
    friday = china(2026, 3, 6, 10, 0)
    c = complain(world, UNKNOWN, by="zhujian", at=friday, township="东镇")
    town = unit(world, "township-01")
    assert c.status == "transfer_pending"
    assert c.registered_unit_id == unit(world, "ind-construction").id
    assert c.handling_unit_id == town.id
    # 1 working day, the weekend skipped: end of Monday 9 March, China time.
    assert c.due_accept == end_of_day(2026, 3, 9)
    assert c.due_accept == CAL.add_working_days(friday, 1).due_at
    assert c.due_respond is None and c.due_close is None
    assert [e.kind for e in complaint_events(world.s, c)] == ["registered", "transferred"]
    assert any(t.startswith("转办投诉待接收") for t in inbox_titles(world, "township"))

    # The registering office still sees its complaint (its own scope does not cover 制造业).
    zj = world.user("zhujian")
    assert world.s.scalars(select(Complaint.id).where(complaint_scope_filter(zj))).all() == [c.id]
    assert get_complaint(world.s, zj, c.id) is c
    # An unrelated industry authority does not.
    transport = new_user(world, "jiaotong", "industry_authority", "ind-transport")
    assert (
        world.s.scalars(select(Complaint.id).where(complaint_scope_filter(transport))).all() == []
    )
    with pytest.raises(PermissionDenied):
        get_complaint(world.s, transport, c.id)

    # Only the receiving unit acknowledges: not the registering office, not a district office.
    for other in ("zhujian", "inspector"):
        with pytest.raises(PermissionDenied, match="只有接收单位可以确认接收"):
            acknowledge_transfer(world.s, world.user(other), c.id, c.version, now=friday)
    assert c.status == "transfer_pending"
    # Nor may anyone handle it before it is acknowledged.
    with pytest.raises(CaseError, match="请先接收转办"):
        respond_complaint(world.s, world.user("township"), c.id, None, "已答复", now=friday)

    monday = china(2026, 3, 9, 10, 0)
    acknowledge_transfer(
        world.s, world.user("township"), c.id, c.version, settings=world.settings, now=monday
    )
    assert c.status == "accepted" and c.acknowledged_at == monday
    # the respond and close limits start now: 3 and 15 working days by default
    assert c.due_respond == end_of_day(2026, 3, 12)
    assert c.due_close == end_of_day(2026, 3, 30)
    assert c.due_close == CAL.add_working_days(monday, 15).due_at
    assert any(t.startswith("转办已接收") for t in inbox_titles(world, "zhujian"))
    with pytest.raises(CaseError, match="不是待接收状态"):
        acknowledge_transfer(world.s, world.user("township"), c.id, None, now=monday)


def test_respond_then_close_only_by_the_handling_office(world: World) -> None:
    c = complain(world, UNKNOWN, by="zhujian", township="东镇")
    town = world.user("township")
    acknowledge_transfer(world.s, town, c.id, None, settings=world.settings, now=T0)
    with pytest.raises(PermissionDenied, match="只有承办单位"):
        respond_complaint(world.s, world.user("zhujian"), c.id, None, "已答复", now=T0)
    with pytest.raises(CaseError, match="请先答复投诉人"):
        close_complaint(world.s, town, c.id, None, "已办结", now=T0)
    with pytest.raises(CaseError, match="请填写答复内容"):
        respond_complaint(world.s, town, c.id, None, " ", now=T0)
    later = T0 + timedelta(days=1)
    respond_complaint(world.s, town, c.id, c.version, "已约谈企业，承诺月底前支付", now=later)
    assert (c.status, c.responded_at) == ("responded", later)
    with pytest.raises(CaseError, match="已答复"):
        respond_complaint(world.s, town, c.id, None, "再次答复", now=later)
    close_complaint(world.s, town, c.id, c.version, "工资已全额支付", now=later)
    assert (c.status, c.outcome) == ("closed", "工资已全额支付")
    assert any(t.startswith("投诉已办结") for t in inbox_titles(world, "zhujian"))
    kinds = [e.kind for e in complaint_events(world.s, c)]
    assert kinds == ["registered", "transferred", "acknowledged", "responded", "closed"]
    with pytest.raises(CaseError, match="已办结"):
        close_complaint(world.s, town, c.id, None, "再次办结", now=later)


def test_a_competent_office_handles_its_own_complaint_at_once(world: World) -> None:
    c = complain(world, UNKNOWN, by="township", township="东镇")
    assert c.status == "handling"
    assert c.handling_unit_id == c.registered_unit_id == unit(world, "township-01").id
    assert c.due_accept is None
    assert c.due_respond == CAL.add_working_days(to_china(T0), 3).due_at
    assert c.due_close == CAL.add_working_days(to_china(T0), 15).due_at


@pytest.mark.parametrize(
    ("accept_days", "due"),
    [
        # 14 Feb 2026 is a Saturday worked in exchange for the Spring Festival (调休上班).
        (1, end_of_day(2026, 2, 14)),
        # then 15–23 Feb are the holiday: the 2nd and 3rd working days are 24 and 25 Feb.
        (2, end_of_day(2026, 2, 24)),
        (3, end_of_day(2026, 2, 25)),
    ],
)
def test_accept_limit_counts_the_spring_festival_and_its_make_up_saturday(
    world: World, accept_days: int, due: datetime
) -> None:
    friday = china(2026, 2, 13, 16, 30)
    settings = Settings(home=world.tmp, complaint_accept_days=accept_days)
    c = complain(world, UNKNOWN, by="zhujian", at=friday, township="东镇", settings=settings)
    assert c.status == "transfer_pending"
    assert c.due_accept == due == CAL.add_working_days(friday, accept_days).due_at
    assert c.calendar_warning is None


def test_configured_limits_apply_to_transfers_and_acknowledgement(world: World) -> None:
    friday = china(2026, 2, 13, 10, 0)
    c = complain(world, UNKNOWN, by="township", at=friday, township="东镇")
    settings = Settings(
        home=world.tmp, complaint_accept_days=2, complaint_respond_days=5, complaint_close_days=10
    )
    insp = unit(world, "dept-inspection")
    town = world.user("township")
    with pytest.raises(CaseError, match="转办理由"):
        transfer_complaint(world.s, town, c.id, None, insp.id, " ", settings=settings, now=friday)
    with pytest.raises(CaseError, match="不能转办给本单位"):
        transfer_complaint(
            world.s, town, c.id, None, town.org_unit_id, "不属于本单位", settings=settings
        )
    transfer_complaint(
        world.s,
        town,
        c.id,
        c.version,
        insp.id,
        "涉嫌拒不支付，属监察管辖",
        settings=settings,
        now=friday,
    )
    assert (c.status, c.handling_unit_id) == ("transfer_pending", insp.id)
    assert c.due_accept == end_of_day(2026, 2, 24)
    with pytest.raises(CaseError, match="不能再次转办"):
        transfer_complaint(world.s, world.user("inspector"), c.id, None, town.org_unit_id, "退回")
    acknowledge_transfer(
        world.s, world.user("inspector"), c.id, c.version, settings=settings, now=friday
    )
    assert c.due_respond == CAL.add_working_days(friday, 5).due_at == end_of_day(2026, 2, 27)
    # Saturday 28 February is the second make-up workday of the Spring Festival
    assert c.due_close == CAL.add_working_days(friday, 10).due_at == end_of_day(2026, 3, 5)


# ---------------------------------------------------------------- refusal


@pytest.mark.parametrize(
    ("changes", "messages"),
    [
        (
            {"enterprise_name": "  ", "text": "欠薪", "complainant_phone": "请回电"},
            ["请填写被投诉单位名称", "至少5个字", "联系电话格式不正确"],
        ),
        ({"received_via": "fax"}, ["受理方式应为电话、来访、来信或网上"]),
        ({"months_owed": "-2", "workers": "三人"}, ["欠薪月数不能为负数", "涉及人数应为整数"]),
        ({"amount": "一万元"}, ["涉及金额应为数字"]),
    ],
)
def test_bad_input_is_refused_with_every_problem_and_nothing_written(
    world: World, changes: dict[str, str], messages: list[str]
) -> None:
    before = counts(world)
    data = {
        "received_via": "visit",
        "enterprise_name": "乙精密制造有限公司",
        "text": "乙精密制造有限公司拖欠工资2个月，3人未领到工资",
        "complainant_phone": "13812345678",
        **changes,
    }
    with pytest.raises(CaseError) as raised:
        register_complaint(
            world.s,
            world.user("petition"),
            world.rb,
            ComplaintInput(**data),
            T0.date(),
            settings=world.settings,
            now=T0,
        )
    text = str(raised.value)
    for m in messages:
        assert m in text
    assert text.endswith("。")
    assert counts(world) == before
    assert not (world.settings.lake_dir / "complaints").exists()


def test_a_user_without_the_permission_cannot_register(world: World) -> None:
    before = counts(world)
    with pytest.raises(PermissionDenied):
        complain(world, "乙精密制造有限公司", "2", "3", by="leader")
    assert counts(world)[:5] == before[:5]


# ---------------------------------------------------------------- signal, re-grade, masking


def test_registration_is_a_complaints_signal_regraded_at_once_and_masked(world: World) -> None:
    ent = world.enterprise("乙精密制造有限公司")
    assert world.s.scalar(select(Warning).where(Warning.enterprise_id == ent.id)) is None
    c = complain(world, "乙精密制造有限公司", "2", "3", by="petition", commit=True)
    batch = world.s.get(ImportBatch, c.batch_id)
    assert batch is not None
    assert (batch.kind, batch.rows_imported, batch.imported_by) == ("complaints", 1, "petition")
    assert (c.enterprise_id, c.township, c.industry) == (ent.id, "东镇", "制造业")
    warning = world.s.scalar(
        select(Warning).where(Warning.enterprise_id == ent.id, Warning.rulebook == "baoshan")
    )
    assert warning is not None and warning.level == "orange"
    case = world.s.get(Case, c.case_id)
    assert case is not None and case.enterprise_id == ent.id and case.warning_id == warning.id
    # the competent office is the township leading the case: 信访办 transfers to it
    assert c.status == "transfer_pending"
    assert c.handling_unit_id == case.lead_unit_id == unit(world, "township-01").id

    # personal data is stored in clear ...
    assert (c.complainant_name, c.complainant_phone, c.complainant_id_number) == (
        "张三丰",
        "13812345678",
        "110101199003071234",
    )
    # ... and shown masked to a township officer, even one who asks to see it in clear
    town = world.user("township")
    audits = world.s.scalar(select(func.count()).select_from(AuditEntry))
    masked = mask_record(
        complaint_record(c),
        PII,
        town,
        unmask_request=UnmaskRequest(session=world.s, reason="核实投诉人身份", now=T0),
    )
    assert masked["complainant_name"] == "张**"
    assert masked["complainant_phone"] == "138****5678"
    assert masked["complainant_id_number"] == "110***********1234"
    assert world.s.scalar(select(func.count()).select_from(AuditEntry)) == audits
    # an inspector (pii.unmask) sees it in clear with a reason, and that is audited
    clear = mask_record(
        complaint_record(c),
        PII,
        world.user("inspector"),
        unmask_request=UnmaskRequest(session=world.s, reason="约谈投诉人", now=T0),
    )
    assert clear["complainant_phone"] == "13812345678"
    last = world.s.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()))
    assert last is not None and last.action == "pii.unmask"
    assert "13812345678" not in str(last.details)


# ---------------------------------------------------------------- escalation


def test_overdue_transfer_escalates_once_telling_both_offices(world: World) -> None:
    friday = china(2026, 3, 6, 10, 0)
    c = complain(world, UNKNOWN, by="zhujian", at=friday, township="东镇")
    # due at the end of Monday 9 March; margins of hours either side
    assert run_deadlines(world.s, china(2026, 3, 9, 12, 0)).complaints_escalated == 0
    tuesday = china(2026, 3, 10, 12, 0)
    assert run_deadlines(world.s, tuesday).complaints_escalated == 1
    assert run_deadlines(world.s, tuesday + timedelta(hours=5)).complaints_escalated == 0
    for who in ("township", "zhujian"):
        assert sum(t.startswith("转办逾期未接收") for t in inbox_titles(world, who)) == 1
    escalations = [e for e in complaint_events(world.s, c) if e.kind == "escalation"]
    assert len(escalations) == 1
    # an acknowledged transfer is no longer escalated
    acknowledge_transfer(world.s, world.user("township"), c.id, None, now=tuesday)
    assert run_deadlines(world.s, tuesday + timedelta(days=3)).complaints_escalated == 0


def test_a_second_lapsed_transfer_escalates_again(world: World) -> None:
    friday = china(2026, 3, 6, 10, 0)
    c = complain(world, UNKNOWN, by="zhujian", at=friday, township="东镇")
    tuesday = china(2026, 3, 10, 12, 0)
    assert run_deadlines(world.s, tuesday).complaints_escalated == 1
    town = world.user("township")
    acknowledge_transfer(world.s, town, c.id, None, now=tuesday + timedelta(hours=1))
    insp = unit(world, "dept-inspection")
    transfer_complaint(
        world.s,
        town,
        c.id,
        None,
        insp.id,
        "涉嫌拒不支付，属监察管辖",
        now=tuesday + timedelta(hours=2),
    )
    assert c.due_accept == end_of_day(2026, 3, 11)
    # the inspection office lets it lapse too
    assert run_deadlines(world.s, china(2026, 3, 12, 12, 0)).complaints_escalated == 1
    assert any(t.startswith("转办逾期未接收") for t in inbox_titles(world, "inspector"))


def test_due_times_read_back_are_the_end_of_the_china_working_day(world: World) -> None:
    friday = china(2026, 3, 6, 10, 0)
    c = complain(world, UNKNOWN, by="zhujian", at=friday, township="东镇", commit=True)
    world.s.expire_all()
    assert c.due_accept is not None
    assert to_china(c.due_accept) == end_of_day(2026, 3, 9)
    acknowledge_transfer(world.s, world.user("township"), c.id, None, now=friday)
    world.s.commit()
    world.s.expire_all()
    assert c.due_respond is not None and c.due_close is not None
    assert to_china(c.due_respond) == end_of_day(2026, 3, 11)
    assert to_china(c.due_close) == end_of_day(2026, 3, 27)


def test_received_at_reads_back_as_the_instant_given(world: World) -> None:
    friday = china(2026, 3, 6, 10, 0)
    c = complain(world, UNKNOWN, by="zhujian", at=friday, township="东镇", commit=True)
    world.s.expire_all()
    assert to_china(c.received_at) == friday
