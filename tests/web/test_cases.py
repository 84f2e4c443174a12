"""The ledger over HTTP: from a warning to a confirmed closure, complaints transferred and
acknowledged, inspections fed back, stale forms refused — on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.web.helpers import (
    EAST_ORANGE,
    EAST_QUIET,
    WEST_NAMES,
    WEST_RED,
    World,
    build_world,
    csrf,
    login,
)
from wagewatch.auth.models import AuditEntry
from wagewatch.cases.models import Case, Complaint, InspectionItem
from wagewatch.db.session import get_engine


def _client(world: World, username: str):  # type: ignore[no-untyped-def]
    client = world.client()
    login(client, username, world.passwords[username])
    return client


def _case_id(world: World, name: str) -> int:
    with Session(get_engine(world.settings.db_url)) as s:
        case = s.scalar(select(Case).where(Case.enterprise_id == world.ids[name]))
        assert case is not None
        return case.id


def _version(client, case_id: int) -> str:  # type: ignore[no-untyped-def]
    page = client.get(f"/cases/{case_id}").text
    m = re.search(r'name="version" value="(\d+)"', page)
    assert m, "the case page carries its version in every form"
    return m.group(1)


def _post(client, url: str, **data: str):  # type: ignore[no-untyped-def]
    return client.post(url, data={"csrf_token": csrf(client), **data}, follow_redirects=False)


@pytest.fixture
def ledger_world(db_url: str, tmp_path: Path) -> World:
    """A fresh district on each database (the PostgreSQL one in the test database)."""
    url = None if db_url.startswith("sqlite") else db_url
    return build_world(tmp_path / "home", database_url=url)


def test_an_officer_takes_a_warning_to_a_confirmed_closure(ledger_world: World) -> None:
    world = ledger_world
    case_id = _case_id(world, EAST_ORANGE)
    town = _client(world, "township")
    page = town.get("/cases").text
    assert EAST_ORANGE in page and not any(n in page for n in WEST_NAMES)
    r = _post(
        town, f"/cases/{case_id}/handle", version=_version(town, case_id), note="电话核实属实"
    )
    assert r.status_code == 303 and r.headers["location"].endswith("done=handle")
    # closure is refused while nothing is resolved and the criterion still fires
    r = _post(town, f"/cases/{case_id}/request_closure", version=_version(town, case_id))
    assert r.status_code == 303 and "closure_refused" in r.headers["location"]
    page = town.get(r.headers["location"]).text
    assert "销号申请未通过" in page and "尚未记录处置结果" in page
    r = _post(
        town,
        f"/cases/{case_id}/resolution",
        version=_version(town, case_id),
        kind="wages_paid",
        amount="18000",
        workers="3",
    )
    assert r.status_code == 303, r.text
    r = _post(town, f"/cases/{case_id}/request_closure", version=_version(town, case_id))
    assert "closure_requested" in r.headers["location"], town.get(r.headers["location"]).text
    # the township cannot confirm; the leader can
    assert "confirm-closure" not in town.get(f"/cases/{case_id}").text
    leader = _client(world, "leader")
    assert "销号待确认" in leader.get("/inbox").text
    r = _post(leader, f"/cases/{case_id}/confirm_closure", version=_version(leader, case_id))
    assert r.status_code == 303 and r.headers["location"].endswith("done=closed")
    page = leader.get(f"/cases/{case_id}").text
    assert 'data-testid="case-state">已销号' in page
    with Session(get_engine(world.settings.db_url)) as s:
        actions = s.scalars(
            select(AuditEntry.action).where(AuditEntry.object_id == str(case_id))
        ).all()
    assert "cases.close" in actions and "cases.transition" in actions


def test_a_stale_form_is_refused_with_409_and_the_other_update_kept(world: World) -> None:
    case_id = _case_id(world, EAST_ORANGE)
    town = _client(world, "township")
    stale = _version(town, case_id)
    assert (
        _post(town, f"/cases/{case_id}/note", version=stale, text="第一位办理人的记录").status_code
        == 303
    )
    r = _post(town, f"/cases/{case_id}/note", version=stale, text="第二位办理人的记录")
    assert r.status_code == 409
    assert "已被他人修改" in r.text
    page = town.get(f"/cases/{case_id}").text
    assert "第一位办理人的记录" in page and "第二位办理人的记录" not in page


def test_a_refused_action_keeps_nothing_and_says_why(world: World) -> None:
    case_id = _case_id(world, EAST_ORANGE)
    town = _client(world, "township")
    r = _post(
        town,
        f"/cases/{case_id}/resolution",
        version=_version(town, case_id),
        kind="wages_paid",
        amount="-5",
        workers="3",
    )
    assert r.status_code == 400 and "支付金额应大于0" in r.text
    assert "尚未记录" in town.get(f"/cases/{case_id}").text


def test_other_townships_case_is_refused(world: World) -> None:
    west_case = _case_id(world, WEST_RED)
    town = _client(world, "township")
    assert town.get(f"/cases/{west_case}").status_code == 403
    r = _post(town, f"/cases/{west_case}/note", version="1", text="越权记录")
    assert r.status_code == 403
    data = town.get("/api/v1/cases").json()
    assert data["items"] and all(row["township"] == "东镇" for row in data["items"])


def test_complaint_registered_transferred_and_acknowledged(world: World) -> None:
    petition = _client(world, "petition")
    r = _post(
        petition,
        "/complaints",
        received_via="phone",
        enterprise_name=EAST_QUIET,
        text="反映东镇安宁食品有限公司拖欠两个月工资",
        months_owed="2",
        workers="4",
        complainant_name="王小二",
        complainant_phone="13912340000",
    )
    assert r.status_code == 303, r.text
    complaint_url = r.headers["location"].split("?")[0]
    page = petition.get(complaint_url).text
    assert "转办待接收" in page and "139****0000" in page and "13912340000" not in page
    # the registering office keeps seeing it until the receiving office acknowledges
    assert "转办待接收" in petition.get("/complaints").text
    town = _client(world, "township")
    assert EAST_QUIET in town.get("/complaints").text
    complaint_id = int(complaint_url.rsplit("/", 1)[1])
    with Session(get_engine(world.settings.db_url)) as s:
        c = s.get(Complaint, complaint_id)
        assert c is not None and c.status == "transfer_pending" and c.due_accept is not None
        version = str(c.version)
        # registered at once as a signal, graded: the enterprise now has a case
        assert c.batch_id is not None and c.case_id is not None
    # the petition office cannot acknowledge for the township
    assert _post(petition, f"{complaint_url}/acknowledge", version=version).status_code == 403
    r = _post(town, f"{complaint_url}/acknowledge", version=version)
    assert r.status_code == 303
    assert "已接收办理" in petition.get(complaint_url).text
    assert "转办已接收" in petition.get("/inbox").text


def test_complaint_form_errors_are_shown_and_nothing_is_saved(world: World) -> None:
    petition = _client(world, "petition")
    r = _post(petition, "/complaints", received_via="phone", enterprise_name="", text="短")
    assert r.status_code == 400
    assert "请填写被投诉单位名称" in r.text and "诉求内容" in r.text
    with Session(get_engine(world.settings.db_url)) as s:
        assert s.scalars(select(Complaint.id)).all() == [world.refs["complaint_id"]]


def test_inspection_feedback_over_http_and_export(world: World) -> None:
    town = _client(world, "township")
    list_id = world.refs["list_id"]
    page = town.get(f"/inspections/{list_id}").text
    assert EAST_ORANGE in page and not any(n in page for n in WEST_NAMES)
    with Session(get_engine(world.settings.db_url)) as s:
        item = s.scalar(
            select(InspectionItem).where(
                InspectionItem.list_id == list_id,
                InspectionItem.enterprise_id == world.ids[EAST_ORANGE],
            )
        )
        assert item is not None
        item_id = item.id
    r = _post(
        town,
        f"/inspections/{list_id}/items/{item_id}/visit",
        visit_date=re.search(r'name="visit_date" value="([\d-]+)"', page).group(1),  # type: ignore[union-attr]
        inspector="网格员小李",
        found_arrears="yes",
        months_owed="1.5",
        workers="3",
        amount="9000",
        settled="yes",
    )
    assert r.status_code == 303, r.text
    assert "已解决" in town.get(f"/inspections/{list_id}").text
    inspector = _client(world, "inspector")
    r = inspector.get(f"/inspections/{list_id}/export")
    assert r.status_code == 200
    rows = CalamineWorkbook.from_filelike(io.BytesIO(r.content)).get_sheet_by_index(0).to_python()
    found = [row for row in rows if row[1] == EAST_ORANGE]
    assert found and found[0][6] == "是" and found[0][10] == "是"
    # the township may not export the list (reports.export)
    assert town.get(f"/inspections/{list_id}/export").status_code == 403


def test_task_completed_from_the_case_page(world: World) -> None:
    case_id = _case_id(world, EAST_ORANGE)
    town = _client(world, "township")
    page = town.get(f"/cases/{case_id}").text
    m = re.search(r'action="/tasks/(\d+)/complete"', page)
    assert m, "the township has a task of its own on the case"
    r = _post(town, f"/tasks/{m.group(1)}/complete", result="已约谈企业负责人", back="case")
    assert r.status_code == 303 and r.headers["location"].startswith(f"/cases/{case_id}")
    assert "已约谈企业负责人" in town.get(f"/cases/{case_id}").text


def test_dashboard_shows_the_ledger_progress(world: World) -> None:
    leader = _client(world, "leader")
    page = leader.get("/").text
    assert 'data-testid="overdue-card"' in page and "待核实" in page


def test_remedy_with_a_document_uploaded_and_downloaded(world: World) -> None:
    case_id = _case_id(world, EAST_ORANGE)
    town = _client(world, "township")
    r = town.post(
        f"/cases/{case_id}/remedy",
        data={
            "csrf_token": csrf(town),
            "version": _version(town, case_id),
            "kind": "guarantee_fund",
            "guarantee_fund__amount": "12000",
            "guarantee_fund__workers": "3",
        },
        files={"document": ("垫付审批表.pdf", b"%PDF-1.4 approval", "application/pdf")},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    page = town.get(f"/cases/{case_id}").text
    m = re.search(rf'href="(/cases/{case_id}/remedies/\d+/document)"', page)
    assert m and "欠薪保障金垫付" in page and "垫付金额（元）：12000" in page
    assert town.get(m.group(1)).content == b"%PDF-1.4 approval"
    # the other township's document is refused
    west = world.refs
    assert (
        town.get(f"/cases/{west['case_id']}/remedies/{west['remedy_id']}/document").status_code
        == 403
    )
    r = town.post(
        f"/cases/{case_id}/remedy",
        data={
            "csrf_token": csrf(town),
            "version": _version(town, case_id),
            "kind": "guarantee_fund",
            "guarantee_fund__amount": "0",
            "guarantee_fund__workers": "3",
        },
        follow_redirects=False,
    )
    assert r.status_code == 400 and "垫付金额（元）应大于0" in r.text
