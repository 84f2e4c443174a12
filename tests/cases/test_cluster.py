"""宣恩: the subject is the industry cluster. Incidents in one township give a 一级 case for the
township's tripartite office with the 6-hour report; incidents spreading to two townships with
enough workers give a 二级 case for the county with the 2-hour report; the form is pre-filled."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.cases.conftest import D0, T0, World, make_world, write_csv
from wagewatch.auth.models import OrgUnit
from wagewatch.cases.models import Case, CaseEvent
from wagewatch.cases.service import case_scope_filter, get_case, regrade
from wagewatch.cases.signals import record_signal
from wagewatch.china import to_china
from wagewatch.signals.service import import_file

REPORT = "报送《宣恩县劳动关系领域风险监测预警信息情况表》"


@pytest.fixture
def xuanen(tmp_path: Path) -> Iterator[World]:
    yield from make_world(tmp_path, "xuanen")


def incident(w: World, name: str, workers: int, day: date = date(2026, 3, 1)) -> None:
    record_signal(
        w.s,
        "incidents",
        {
            "enterprise_name": name,
            "incident_date": day,
            "incident_type": "group_incident",
            "workers": workers,
            "description": f"{name}职工聚集讨薪",
        },
        label=f"群体性事件-{name}",
        imported_by="inspector",
        settings=w.settings,
    )


def add_enterprise(w: World, name: str, township: str, industry: str, employees: int) -> None:
    f = write_csv(
        w.tmp / f"{name}.csv",
        ["企业名称", "所属镇街", "所属行业", "用工人数"],
        [[name, township, industry, employees]],
    )
    assert import_file(w.s, f, kind="enterprises", settings=w.settings).status == "imported"


def unit_id(w: World, code: str) -> int:
    u = w.s.scalar(select(OrgUnit).where(OrgUnit.code == code))
    assert u is not None
    return u.id


def cluster_case(w: World, industry: str) -> Case:
    case = w.s.scalar(select(Case).where(Case.cluster == industry))
    assert case is not None
    return case


def test_incidents_in_one_township_give_a_level1_case_with_the_6_hour_report(
    xuanen: World,
) -> None:
    # the industry also has an enterprise in 西镇, without any incident
    add_enterprise(xuanen, "戊精密机械有限公司", "西镇", "制造业", 45)
    incident(xuanen, "乙精密制造有限公司", 20)
    _, synced = regrade(xuanen.s, xuanen.rb, D0, None, now=T0)
    xuanen.s.commit()
    xuanen.s.expire_all()  # read back, as the next request would
    assert synced.opened == 1
    case = cluster_case(xuanen, "制造业")
    assert (case.level, case.level_name, case.enterprise_id) == ("level1", "一级", None)
    assert case.title == "制造业行业（区域性预警）"
    # only the township of the incidents; its tripartite office (乡镇三方机构) leads
    assert (case.township, case.townships) == ("东镇", ["东镇"])
    east = unit_id(xuanen, "township-01")
    assert (case.lead_office, case.lead_unit_id) == ("township_tripartite", east)
    report = next(t for t in case.tasks if t.title == REPORT)
    assert (report.due_basis, report.unit_id, report.level) == ("6小时", east, "level1")
    assert report.clause.startswith("一级预警信息不迟于6小时上报")
    assert report.due_at is not None
    assert to_china(report.created_at) == to_china(T0)
    assert to_china(report.due_at) == to_china(T0 + timedelta(hours=6))
    # the seed's form is pre-filled from the warning
    form = case.form_values
    assert form is not None and form["form"] == "xuanen_warning_form"
    assert form["submitted"] is False
    values = form["values"]
    assert values["warning_level"].startswith("一级预警")
    assert "地点：东镇" in values["warning_info"] and "西镇" not in values["warning_info"]
    assert "涉及职工20人" in values["warning_info"]
    assert "群体性事件或集体停工1起" in values["warning_info"]
    # the township's officers see their cluster case
    town = xuanen.user("township")
    assert xuanen.s.scalars(select(Case.id).where(case_scope_filter(town))).all() == [case.id]


def test_incidents_in_two_townships_with_enough_workers_give_level2_with_the_2_hour_report(
    xuanen: World,
) -> None:
    add_enterprise(xuanen, "戊精密机械有限公司", "西镇", "制造业", 45)
    # 2 enterprises (多发), 20 + 15 = 35 workers (较多: 30 以上), 2 townships
    incident(xuanen, "乙精密制造有限公司", 20)
    incident(xuanen, "戊精密机械有限公司", 15, date(2026, 3, 2))
    _, synced = regrade(xuanen.s, xuanen.rb, D0, None, now=T0)
    xuanen.s.commit()
    assert synced.opened == 1
    case = cluster_case(xuanen, "制造业")
    assert (case.level, case.level_name) == ("level2", "二级")
    assert case.townships == ["东镇", "西镇"] and case.township is None
    # 二级预警由县级协调劳动关系三方机构研究确定和发出预警: the district's unit
    assert case.lead_office == "county_tripartite"
    district = unit_id(xuanen, "district")
    assert case.lead_unit_id == district
    (two,) = [t for t in case.tasks if t.title == REPORT]
    assert (two.level, two.due_basis, two.unit_id) == ("level2", "2小时", district)
    assert two.clause.startswith("一级预警信息不迟于6小时上报,二级预警信息不迟于2小时上报")
    assert two.due_at is not None and to_china(two.due_at) == to_china(T0 + timedelta(hours=2))
    # 在一级预警处置预案的基础上: each township forms its emergency team
    teams = [t for t in case.tasks if t.title.startswith("立即组成应急处置小组")]
    assert sorted(t.unit_id for t in teams) == [
        unit_id(xuanen, "township-01"),
        unit_id(xuanen, "township-02"),
    ]
    assert case.form_values is not None
    assert case.form_values["values"]["warning_level"].startswith("二级预警")
    # the townships' officers may open the case
    assert get_case(xuanen.s, xuanen.user("township"), case.id) is case


def test_an_upgrade_in_a_later_session_does_not_crash(xuanen: World) -> None:
    add_enterprise(xuanen, "戊精密机械有限公司", "西镇", "制造业", 45)
    incident(xuanen, "乙精密制造有限公司", 20)
    regrade(xuanen.s, xuanen.rb, D0, None, now=T0)
    xuanen.s.commit()
    xuanen.s.expire_all()  # as in the next web request: the level1 tasks come from the database
    incident(xuanen, "戊精密机械有限公司", 15, date(2026, 3, 2))
    later = T0 + timedelta(hours=3)
    _, synced = regrade(xuanen.s, xuanen.rb, D0, None, now=later)
    xuanen.s.commit()
    assert (synced.opened, synced.updated) == (0, 1)
    case = cluster_case(xuanen, "制造业")
    assert case.level == "level2" and case.lead_unit_id == unit_id(xuanen, "district")
    reports = {t.level: t for t in case.tasks if t.title == REPORT}
    assert set(reports) == {"level1", "level2"}
    assert to_china(reports["level2"].due_at) == to_china(later + timedelta(hours=2))
    kinds = [
        e.kind for e in xuanen.s.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id))
    ]
    assert kinds.count("opened") == 1 and "level" in kinds
    assert len(xuanen.s.scalars(select(Case)).all()) == 1  # one case per cluster


def test_a_township_officer_lists_the_cluster_case_of_the_township(xuanen: World) -> None:
    add_enterprise(xuanen, "戊精密机械有限公司", "西镇", "制造业", 45)
    incident(xuanen, "乙精密制造有限公司", 20)
    incident(xuanen, "戊精密机械有限公司", 15)
    regrade(xuanen.s, xuanen.rb, D0, None, now=T0)
    case = cluster_case(xuanen, "制造业")
    assert case.level == "level2"
    town = xuanen.user("township")
    assert get_case(xuanen.s, town, case.id) is case
    assert xuanen.s.scalars(select(Case.id).where(case_scope_filter(town))).all() == [case.id]


def test_too_few_workers_in_two_townships_stay_level1(xuanen: World) -> None:
    # 多发 and 两个乡镇 but 10 + 15 < 30 workers (较多 defaults to 30 以上): still 一级
    add_enterprise(xuanen, "戊精密机械有限公司", "西镇", "制造业", 45)
    incident(xuanen, "乙精密制造有限公司", 10)
    incident(xuanen, "戊精密机械有限公司", 15)
    regrade(xuanen.s, xuanen.rb, D0, None, now=T0)
    case = cluster_case(xuanen, "制造业")
    assert case.level == "level1"
