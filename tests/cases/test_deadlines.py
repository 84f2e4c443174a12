"""Deadlines: one reminder before a task falls due, escalation after it lapses (to the unit,
then to the supervisors), idempotent passes, and 营口's monthly inspection tasks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from tests.cases.conftest import D0, T0, World, make_world
from tests.cases.conftest import complain as register
from wagewatch.cases.deadlines import run_deadlines, supervisor_units
from wagewatch.cases.inspections import build_inspection_list
from wagewatch.cases.models import Case, CaseEvent, InspectionItem, Task
from wagewatch.cases.service import complete_task, regrade
from wagewatch.cases.signals import record_signal
from wagewatch.china import CHINA, to_china
from wagewatch.notify.models import Notification


def complain(w: World, name: str, months: str, workers: str, *, at: datetime = T0) -> Case:
    c = register(w, name, months, workers, at=at)
    case = w.s.get(Case, c.case_id)
    assert case is not None
    return case


def inbox(w: World, username: str, prefix: str) -> list[Notification]:
    user = w.user(username)
    return [
        n
        for n in w.s.scalars(
            select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
        )
        if n.title.startswith(prefix)
    ]


def notifications(w: World) -> int:
    return int(w.s.scalar(select(func.count()).select_from(Notification)) or 0)


def inspection_tasks(w: World, condition: str, days: int) -> list[Task]:
    lst = build_inspection_list(
        w.s,
        w.user("inspector"),
        title="用工规模较大企业",
        source_office="区税务局",
        condition=condition,
        as_of=D0,
        due_working_days=days,
        settings=w.settings,
        now=T0,
    )
    ids = w.s.scalars(select(InspectionItem.task_id).where(InspectionItem.list_id == lst.id))
    return [t for t in (w.s.get(Task, i) for i in ids) if t is not None]


# ---------------------------------------------------------------- reminder and escalation


def test_reminder_once_when_a_quarter_of_the_time_is_left(world: World) -> None:
    (task,) = inspection_tasks(world, "employees >= 70", 2)  # 甲建筑 only
    world.s.commit()
    assert task.due_basis == "2个工作日"
    due = datetime(2026, 3, 4, 23, 59, 59, tzinfo=CHINA)  # 2 working days after Monday
    assert to_china(task.due_at) == due
    lead = (due - T0) / 4  # about 15.75 hours: less than the 24-hour cap
    assert timedelta(hours=15) < lead < timedelta(hours=16)
    before = notifications(world)
    # inside the 24-hour cap but not yet a quarter of the time left
    assert run_deadlines(world.s, due - lead - timedelta(minutes=5)).reminded == 0
    assert task.reminded_at is None
    run = run_deadlines(world.s, due - lead + timedelta(minutes=5))
    assert run.reminded == 1 and run.escalated == 0
    assert task.reminded_at is not None
    assert [n.link for n in inbox(world, "township", "即将到期")] == ["/tasks"]
    assert run_deadlines(world.s, due - timedelta(minutes=5)).reminded == 0
    assert notifications(world) == before + 1


def test_escalation_goes_to_the_unit_then_to_the_supervisors_and_only_once(world: World) -> None:
    case = complain(world, "乙精密制造有限公司", "2", "12")  # 10 人以上: red
    assert case.level == "red"
    task = next(t for t in case.tasks if t.title.startswith("作出处理决定"))
    # 30 days from Monday 2 March: end of Wednesday 1 April, China time; 30.6 days' span
    due = datetime(2026, 4, 1, 23, 59, 59, tzinfo=CHINA)
    span = due - T0
    assert to_china(task.due_at) == due
    # a quarter of 30 days would be 7.6 days: the reminder comes at most 24 hours ahead
    day = timedelta(hours=24)
    assert run_deadlines(world.s, due - day - timedelta(minutes=5)).reminded == 0
    run = run_deadlines(world.s, due - day + timedelta(minutes=5))
    assert run.reminded == 1
    assert len(inbox(world, "inspector", "即将到期")) == 1
    assert run_deadlines(world.s, due - timedelta(hours=1)).reminded == 0
    assert run_deadlines(world.s, due).escalated == 0  # due at the end of the day, not before

    run = run_deadlines(world.s, due + timedelta(minutes=5))
    assert (run.escalated, run.escalated_twice) == (1, 0)
    assert task.escalation == 1
    overdue = inbox(world, "inspector", "已逾期")
    assert len(overdue) == 1 and overdue[0].link == f"/cases/{case.id}"
    assert task.clause in overdue[0].body
    assert inbox(world, "leader", "已逾期") == []  # the lead unit is the inspection office
    events = world.s.scalars(
        select(CaseEvent.text).where(CaseEvent.case_id == case.id, CaseEvent.kind == "escalation")
    ).all()
    assert len(events) == 1 and "逾期" in events[0]

    # still open after as long again: the supervisors (局领导) are told
    assert run_deadlines(world.s, due + span - timedelta(minutes=5)).escalated_twice == 0
    run = run_deadlines(world.s, due + span + timedelta(minutes=5))
    assert (run.escalated, run.escalated_twice) == (0, 1)
    assert task.escalation == 2
    assert len(inbox(world, "leader", "逾期升级督办")) == 1
    assert world.user("leader").org_unit_id in supervisor_units(world.s)
    for admin in ("sysadmin", "secadmin", "auditor"):
        assert inbox(world, admin, "") == []
    count = notifications(world)
    # idempotent: the same pass again does nothing
    again = run_deadlines(world.s, due + span + timedelta(minutes=5))
    assert again.to_dict() == {
        "reminded": 0,
        "escalated": 0,
        "escalated_twice": 0,
        "recurring": 0,
        "complaints_escalated": 0,
    }
    assert notifications(world) == count


def test_escalation_two_waits_as_long_again_and_a_done_task_is_left_alone(
    world: World,
) -> None:
    tasks = inspection_tasks(world, "employees >= 50", 1)  # 甲 and 乙, due end of Tuesday
    assert len(tasks) == 2
    due = datetime(2026, 3, 3, 23, 59, 59, tzinfo=CHINA)
    span = due - T0  # 39 hours
    # a task done in time is never reminded nor escalated
    done, late = tasks
    complete_task(world.s, world.user("township"), done.id, "已上门排查", now=T0)
    run = run_deadlines(world.s, due + timedelta(minutes=5))
    assert (run.escalated, run.escalated_twice) == (1, 0)
    assert [n.title for n in inbox(world, "township", "已逾期")] == [f"已逾期：{late.title}（）"]
    assert inbox(world, "leader", "") == []
    # the second step waits for as long again as the task had (39 h, more than a day)
    assert run_deadlines(world.s, due + span - timedelta(minutes=5)).escalated_twice == 0
    assert run_deadlines(world.s, due + span + timedelta(minutes=5)).escalated_twice == 1
    assert len(inbox(world, "leader", "逾期升级督办")) == 1
    assert done.escalation == 0 and done.reminded_at is None
    assert late.escalation == 2


def test_escalation_two_waits_at_least_a_day_after_a_six_hour_task(tmp_path) -> None:
    for w in make_world(tmp_path, "xuanen"):
        record_signal(
            w.s,
            "incidents",
            {
                "enterprise_name": "乙精密制造有限公司",
                "incident_date": D0,
                "incident_type": "group_incident",
                "workers": 20,
            },
            label="群体性事件-乙",
            imported_by="inspector",
            settings=w.settings,
        )
        regrade(w.s, w.rb, D0, None, now=T0)
        w.s.commit()
        task = w.s.scalar(select(Task).where(Task.due_basis == "6小时"))
        assert task is not None
        due = T0 + timedelta(hours=6)
        assert task.due_at is not None and to_china(task.due_at) == to_china(due)
        run = run_deadlines(w.s, due + timedelta(minutes=5))
        assert (run.escalated, run.escalated_twice) == (1, 0)
        # 6 hours' span, but the second step waits at least 24 hours after the due time
        day = timedelta(hours=24)
        assert run_deadlines(w.s, due + timedelta(hours=7)).escalated_twice == 0
        assert run_deadlines(w.s, due + day - timedelta(minutes=5)).escalated_twice == 0
        assert run_deadlines(w.s, due + day + timedelta(minutes=5)).escalated_twice == 1
        assert task.escalation == 2


def test_a_task_read_back_from_the_database_escalates_right_after_its_china_due_time(
    world: World,
) -> None:
    (task,) = inspection_tasks(world, "employees >= 70", 2)
    world.s.commit()
    world.s.expire_all()  # as in the deadlines job: everything comes from the database
    due = datetime(2026, 3, 4, 23, 59, 59, tzinfo=CHINA)
    assert task.due_at is not None and to_china(task.due_at) == due
    assert run_deadlines(world.s, due).escalated == 0
    run = run_deadlines(world.s, datetime(2026, 3, 5, 0, 30, tzinfo=CHINA))
    assert run.escalated == 1 and task.escalation == 1


# ---------------------------------------------------------------- monthly tasks (营口)


def test_yingkou_monthly_inspection_task_per_case_per_china_month(tmp_path) -> None:
    for w in make_world(tmp_path, "yingkou"):
        case = complain(w, "乙精密制造有限公司", "2", "3")
        assert case.level == "watch"
        # the monthly action is not created with the case, only by the deadlines pass
        assert [t for t in case.tasks if t.key.startswith("recur:")] == []
        run = run_deadlines(w.s, T0)
        assert run.recurring == 1
        march = w.s.scalar(select(Task).where(Task.key.like(f"recur:{case.id}:2026-03:%")))
        assert march is not None
        assert march.title == "2026年3月每月不少于一次专项检查或抽查（重点检查对象）"
        assert march.unit_id == w.user("inspector").org_unit_id  # 劳动保障监察机构
        assert march.due_basis == "2026年3月内"
        assert to_china(march.due_at) == datetime(2026, 3, 31, 23, 59, 59, tzinfo=CHINA)
        assert march.clause.startswith("做到每月不少于一次的专项检查或抽查")
        assert (march.case_id, march.kind, march.status) == (case.id, "inspection", "open")
        # a second pass in the same month creates nothing
        assert run_deadlines(w.s, T0 + timedelta(days=10)).recurring == 0
        # the inspection is done in March: it is never escalated
        complete_task(w.s, w.user("inspector"), march.id, "3月已专项检查", now=T0)
        # 31 March 17:00 UTC is already 1 April in China: April's task
        april_start = datetime(2026, 3, 31, 17, 0, tzinfo=UTC)
        run = run_deadlines(w.s, april_start)
        assert run.recurring == 1
        april = w.s.scalar(select(Task).where(Task.key.like(f"recur:{case.id}:2026-04:%")))
        assert april is not None and april.title.startswith("2026年4月")
        assert april.due_basis == "2026年4月内"
        assert to_china(april.due_at) == datetime(2026, 4, 30, 23, 59, 59, tzinfo=CHINA)
        w.s.commit()
        w.s.expire_all()
        run = run_deadlines(w.s, april_start + timedelta(days=2))
        assert (run.recurring, run.escalated) == (0, 0)
        recurring = w.s.scalars(select(Task.key).where(Task.key.like("recur:%"))).all()
        assert len(recurring) == 2
        assert march.escalation == 0 and march.status == "done"
        assert inbox(w, "inspector", "已逾期") == []


def test_an_upgrade_within_the_month_does_not_repeat_the_monthly_inspection(tmp_path) -> None:
    for w in make_world(tmp_path, "yingkou"):
        case = complain(w, "乙精密制造有限公司", "2", "3")
        assert run_deadlines(w.s, T0).recurring == 1
        # 50 workers or more: 上报 level, whose actions repeat the monthly inspection
        complain(w, "乙精密制造有限公司", "2", "60", at=T0 + timedelta(days=1))
        w.s.refresh(case)
        assert case.level == "escalate"
        assert run_deadlines(w.s, T0 + timedelta(days=1)).recurring == 0
        march = w.s.scalars(select(Task.title).where(Task.key.like(f"recur:{case.id}:2026-03:%")))
        assert march.all() == ["2026年3月每月不少于一次专项检查或抽查（重点检查对象）"]
