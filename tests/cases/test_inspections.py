"""Directed inspections (定向排查): a list from a condition over the facts, one township task per
enterprise, the visit's short form as an `inspections` signal with a re-grade, the export."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import func, select

from tests.cases.conftest import D0, T0, World, complain
from wagewatch.alerts.models import Warning
from wagewatch.auth.models import OrgUnit
from wagewatch.auth.service import SYSTEM, PermissionDenied, create_user
from wagewatch.cases.calendar import WorkCalendar
from wagewatch.cases.inspections import (
    VisitResult,
    build_inspection_list,
    export_results,
    list_progress,
    record_visit,
)
from wagewatch.cases.models import Case, CaseEvent, InspectionItem, InspectionList, Task
from wagewatch.cases.service import CaseError
from wagewatch.china import CHINA, to_china
from wagewatch.notify.models import Notification
from wagewatch.signals.models import ImportBatch


def build(w: World, condition: str, days: int | None = 5, **kw: object) -> InspectionList:
    return build_inspection_list(
        w.s,
        w.user("inspector"),
        title=str(kw.get("title", "近90日有欠薪投诉的企业")),
        source_office=str(kw.get("source_office", "区信访办")),
        condition=condition,
        as_of=D0,
        due_working_days=days,
        settings=w.settings,
        now=T0,
    )


def items(w: World, lst: InspectionList) -> list[InspectionItem]:
    return list(
        w.s.scalars(
            select(InspectionItem)
            .where(InspectionItem.list_id == lst.id)
            .order_by(InspectionItem.id)
        )
    )


def warning_level(w: World, name: str) -> str | None:
    ent = w.enterprise(name)
    found = w.s.scalar(
        select(Warning).where(Warning.enterprise_id == ent.id, Warning.rulebook == w.rb.name)
    )
    return found.level if found is not None else None


def counts(w: World) -> tuple[int, ...]:
    return tuple(
        int(w.s.scalar(select(func.count()).select_from(m)) or 0)
        for m in (InspectionList, InspectionItem, Task, Notification, ImportBatch)
    )


def test_complaints_condition_lists_the_complained_enterprise_visit_clears_and_exports(
    world: World,
) -> None:
    complain(world, "乙精密制造有限公司", "2", "3")
    assert warning_level(world, "乙精密制造有限公司") == "orange"
    lst = build(world, "wage_complaints_90d >= 1")
    (item,) = items(world, lst)
    yi = world.enterprise("乙精密制造有限公司")
    assert (item.enterprise_id, item.township, item.status) == (yi.id, "东镇", "pending")
    task = world.s.get(Task, item.task_id)
    assert task is not None
    town_unit = world.user("township").org_unit_id
    assert (task.unit_id, task.kind, task.office, task.status) == (
        town_unit,
        "inspection",
        "township",
        "open",
    )
    assert task.title == "定向排查：乙精密制造有限公司"
    assert task.due_basis == "5个工作日"
    assert "wage_complaints_90d >= 1" in task.clause and "区信访办" in task.clause
    assert WorkCalendar().add_working_days(to_china(T0), 5).due_at == datetime(
        2026, 3, 9, 23, 59, 59, tzinfo=CHINA
    )
    town = world.user("township")
    note = world.s.scalar(
        select(Notification).where(
            Notification.user_id == town.id, Notification.event == "inspection.assigned"
        )
    )
    assert note is not None
    assert note.title == "定向排查任务：近90日有欠薪投诉的企业（1家）"
    assert note.link == f"/inspections/{lst.id}"

    # a township officer of another town may not record the visit
    xi = world.s.scalar(select(OrgUnit).where(OrgUnit.code == "township-02"))
    assert xi is not None
    other = create_user(
        world.s,
        SYSTEM,
        username="xizhen",
        display_name="西镇（测试）",
        org_unit=xi,
        role="township",
        now=T0,
    )
    before = counts(world)
    visit = VisitResult(
        visit_date=D0,
        inspector="王五",
        found_arrears=True,
        months_owed="2",
        workers="3",
        amount="36000",
        settled=True,
        notes="企业已补发工资",
    )
    with pytest.raises(PermissionDenied, match="不在您的管辖范围内"):
        record_visit(world.s, other, world.rb, item.id, visit, D0, settings=world.settings, now=T0)
    assert counts(world) == before and item.status == "pending"

    # found and settled: an inspections signal clearing the claim, the task done, re-graded
    at = T0 + timedelta(hours=3)
    record_visit(world.s, town, world.rb, item.id, visit, D0, settings=world.settings, now=at)
    world.s.commit()
    batch = world.s.get(ImportBatch, item.batch_id)
    assert batch is not None and batch.kind == "inspections" and batch.rows_imported == 1
    assert (item.status, item.found_arrears, item.settled, item.workers) == ("done", True, True, 3)
    assert task.status == "done" and task.result == "发现欠薪"
    assert warning_level(world, "乙精密制造有限公司") is None
    case = world.s.scalar(select(Case).where(Case.enterprise_id == yi.id))
    assert case is not None and case.level is None
    assert world.s.scalar(
        select(CaseEvent.id).where(CaseEvent.case_id == case.id, CaseEvent.kind == "cleared")
    )
    assert list_progress(world.s, lst.id) == {"done": 1}
    with pytest.raises(CaseError, match="已反馈"):
        record_visit(world.s, town, world.rb, item.id, visit, D0, settings=world.settings, now=at)

    # the results go back to the office that supplied the list
    name, content = export_results(world.s, world.user("inspector"), lst.id)
    assert name.endswith(".xlsx") and "区信访办" in name
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    rows = book.get_sheet_by_name("排查结果").to_python()
    assert rows[0][:7] == [
        "统一社会信用代码",
        "企业名称",
        "所属镇街",
        "排查状态",
        "排查日期",
        "排查人",
        "是否存在欠薪",
    ]
    assert len(rows) == 2
    row = rows[1]
    assert row[1:4] == ["乙精密制造有限公司", "东镇", "已反馈"]
    assert row[4] == "2026-03-02" and row[5] == "王五" and row[6] == "是"
    assert [float(v) for v in row[7:10]] == [2.0, 3.0, 36000.0]
    assert row[10:] == ["是", "企业已补发工资"]
    with pytest.raises(PermissionDenied):
        export_results(world.s, town, lst.id)  # a township may not export


def test_visits_without_and_with_unpaid_arrears_and_the_form_checks(world: World) -> None:
    lst = build(world, "employees >= 50", 3, title="用工规模较大企业", source_office="区税务局")
    item, other = items(world, lst)
    assert item.enterprise_id == world.enterprise("甲建筑工程有限公司").id
    assert other.enterprise_id == world.enterprise("乙精密制造有限公司").id
    town = world.user("township")
    bad = [
        (VisitResult(visit_date=D0, inspector=" ", found_arrears=False), "请填写排查人"),
        (
            VisitResult(visit_date=D0 + timedelta(days=1), inspector="王五", found_arrears=False),
            "排查日期不能晚于今天",
        ),
        (
            VisitResult(visit_date=D0, inspector="王五", found_arrears=False, workers="3"),
            "未发现欠薪时不应填写",
        ),
        (
            VisitResult(visit_date=D0, inspector="王五", found_arrears=True, amount="-5"),
            "欠薪金额不能为负数",
        ),
        (
            VisitResult(visit_date=D0, inspector="王五", found_arrears=True, workers="三"),
            "欠薪人数应为整数",
        ),
    ]
    before = counts(world)
    for result, message in bad:
        with pytest.raises(CaseError, match=message):
            record_visit(world.s, town, world.rb, item.id, result, D0, now=T0)
    assert counts(world) == before and item.status == "pending"
    record_visit(
        world.s,
        town,
        world.rb,
        item.id,
        VisitResult(visit_date=date(2026, 3, 2), inspector="王五", found_arrears=False),
        D0,
        settings=world.settings,
        now=T0,
    )
    world.s.commit()
    batch = world.s.get(ImportBatch, item.batch_id)
    assert batch is not None and batch.kind == "inspections"
    assert (item.status, item.found_arrears, item.settled) == ("done", False, None)
    task = world.s.get(Task, item.task_id)
    assert task is not None and (task.status, task.result) == ("done", "未发现欠薪")
    assert warning_level(world, "甲建筑工程有限公司") is None

    # arrears found and not settled open a claim: 乙 is graded at once and a case opens
    assert warning_level(world, "乙精密制造有限公司") is None
    record_visit(
        world.s,
        town,
        world.rb,
        other.id,
        VisitResult(
            visit_date=D0, inspector="王五", found_arrears=True, months_owed="2", workers="5"
        ),
        D0,
        settings=world.settings,
        now=T0,
    )
    world.s.commit()
    assert (other.found_arrears, other.settled, other.months_owed) == (True, False, 2)
    assert warning_level(world, "乙精密制造有限公司") == "orange"
    yi = world.enterprise("乙精密制造有限公司")
    case = world.s.scalar(select(Case).where(Case.enterprise_id == yi.id))
    assert case is not None and case.state == "verifying"
    assert list_progress(world.s, lst.id) == {"done": 2}


@pytest.mark.parametrize(
    ("condition", "problem"),
    [
        ("wage_complaints_90d >=", "语法错误"),
        ("no_such_fact >= 1", "no_such_fact"),
        ("employees >= '多'", "不能比较数值与字符串"),
    ],
)
def test_a_bad_condition_is_refused_naming_the_problem(
    world: World, condition: str, problem: str
) -> None:
    before = counts(world)
    with pytest.raises(CaseError) as raised:
        build(world, condition)
    message = str(raised.value)
    assert message.startswith("筛选条件有误：") and problem in message
    assert counts(world) == before


def test_a_condition_nobody_meets_creates_no_list(world: World) -> None:
    before = counts(world)
    with pytest.raises(CaseError, match="没有企业符合该筛选条件"):
        build(world, "employees >= 1000")
    assert counts(world) == before


@pytest.mark.parametrize("days", [61, -1])
def test_the_feedback_limit_is_one_to_sixty_working_days(world: World, days: int) -> None:
    before = counts(world)
    with pytest.raises(CaseError, match="反馈时限应为1至60个工作日"):
        build(world, "employees >= 70", days)
    assert counts(world) == before


def test_zero_working_days_is_refused_not_replaced_by_the_default(world: World) -> None:
    before = counts(world)
    with pytest.raises(CaseError, match="反馈时限应为1至60个工作日"):
        build(world, "employees >= 70", 0)
    assert counts(world) == before
