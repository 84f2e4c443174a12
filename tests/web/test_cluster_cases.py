"""宣恩 cluster warnings open cases at the tripartite office with the 2 h / 6 h report task and
the pre-filled 预警信息表, which the officer completes and exports as Word; 青浦's campaign page."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from docx import Document
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.web.helpers import WEST, World, cluster_world, csrf, login
from wagewatch.auth.models import OrgUnit
from wagewatch.cases.models import Case
from wagewatch.cases.service import sync_cases
from wagewatch.china import to_utc
from wagewatch.db.session import get_engine
from wagewatch.rules.registry import get_rulebook
from wagewatch.settings import Settings


def _cluster_cases(world: World) -> World:
    cw = cluster_world(world)
    with Session(get_engine(cw.settings.db_url)) as s:
        sync_cases(s, get_rulebook("xuanen"))
        s.commit()
    get_engine(cw.settings.db_url).dispose()
    return cw


def test_cluster_warnings_open_cases_with_report_deadlines_and_the_form(world: World) -> None:
    cw = _cluster_cases(world)
    with Session(get_engine(cw.settings.db_url)) as s:
        cases = {c.cluster: c for c in s.scalars(select(Case).where(Case.rulebook == "xuanen"))}
        assert set(cases) == {"建筑业", "制造业"}
        two, one = cases["建筑业"], cases["制造业"]
        assert (two.level, one.level) == ("level2", "level1")
        # 二级: county tripartite office (the district here); 一级: the township's own office
        district = s.scalar(select(OrgUnit).where(OrgUnit.code == "district"))
        west = s.scalar(select(OrgUnit).where(OrgUnit.township == WEST))
        assert district is not None and west is not None
        assert two.lead_unit_id == district.id
        assert one.lead_unit_id == west.id and one.township == WEST
        report2 = next(t for t in two.tasks if t.title.startswith("报送"))
        report1 = next(t for t in one.tasks if t.title.startswith("报送"))
        assert to_utc(report2.due_at) - to_utc(report2.created_at) == timedelta(hours=2)
        assert to_utc(report1.due_at) - to_utc(report1.created_at) == timedelta(hours=6)
        assert "二级预警信息不迟于2小时上报" in report2.clause
        values = two.form_values["values"]
        assert two.form_values["form"] == "xuanen_warning_form"
        assert "建筑业" in values["warning_info"] or "建筑业" in values["enterprise_names"]
        case_id = two.id
    client = cw.client()
    login(client, "inspector", cw.passwords["inspector"])
    page = client.get(f"/cases/{case_id}").text
    assert 'data-testid="case-form"' in page and "待填写" in page
    version = re.search(r'name="version" value="(\d+)"', page).group(1)  # type: ignore[union-attr]
    r = client.post(
        f"/cases/{case_id}/form",
        data={
            "csrf_token": csrf(client),
            "version": version,
            "f_cause_analysis": "工程款结算纠纷导致工资支付中断",
            "f_situation_forecast": "工人情绪稳定，已停工等待答复",
            "f_measures_taken": "已约谈总包单位，督促先行垫付",
            "f_next_steps": "三日内完成工资核算并支付",
            "f_reporting_unit": "县劳动关系三方机构",
            "f_filled_date": "2026年11月23日",
            "f_person_in_charge": "张局长",
            "f_filled_by": "李科员",
            "f_contact_phone": "0718-1234567",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    page = client.get(f"/cases/{case_id}").text
    assert "工程款结算纠纷导致工资支付中断" in page
    r = client.get(f"/cases/{case_id}/form.docx")
    assert r.status_code == 200
    text = "\n".join(
        cell.text
        for table in Document(io.BytesIO(r.content)).tables
        for row in table.rows
        for cell in row.cells
    )
    assert "原因分析" in text and "工程款结算纠纷导致工资支付中断" in text


def test_campaign_page_shows_phases_and_the_three_zero_indicators(world: World) -> None:
    qp = World(
        Settings(home=world.settings.home, rulebook="qingpu"),
        dict(world.passwords),
        dict(world.ids),
    )
    with Session(get_engine(qp.settings.db_url)) as s:
        from wagewatch.alerts.service import evaluate
        from wagewatch.china import china_today

        evaluate(s, get_rulebook("qingpu"), china_today().date())
        sync_cases(s, get_rulebook("qingpu"))
        s.commit()
    client = qp.client()
    login(client, "leader", qp.passwords["leader"])
    assert "劳资矛盾摸排化解集中攻坚行动" in client.get("/cases").text
    page = client.get("/campaign").text
    for name in (
        "源头监控“零失控”",
        "快速处置“零距离”",
        "极端讨薪“零增长”",
        "集中排查",
        "逐案化解",
    ):
        assert name in page
    # high-risk cases without a responsible leader count against 零失控
    m = re.search(r'data-testid="indicator-source_control">(\d+)<', page)
    assert m is not None
    # under another rulebook there is no campaign
    base = world.client()
    login(base, "leader", world.passwords["leader"])
    assert base.get("/campaign").status_code == 404
