"""The enterprise file's facts with the signals behind each: which kind, file, row, office."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.web.helpers import (
    COMPLAINANT_PHONE,
    EAST_RED,
    ID_NUMBER,
    PHONES,
    WEST_RED,
    World,
    login,
)
from wagewatch.alerts.service import evaluate
from wagewatch.auth.models import User
from wagewatch.db.session import get_engine
from wagewatch.facts.sources import sources_of
from wagewatch.rules.registry import get_rulebook
from wagewatch.signals.catalogue import get_kind
from wagewatch.signals.lake import batch_path, to_table, write_batch
from wagewatch.signals.models import ImportBatch
from wagewatch.web.enterprises.service import facts_public

CLAIMS = "wage_payments,complaints,inspections"


@pytest.fixture(scope="module")
def leader(shared_world: World):  # type: ignore[no-untyped-def]
    client = shared_world.client()
    login(client, "leader", shared_world.passwords["leader"])
    return client


def _unit_of(world: World, username: str) -> str:
    with Session(get_engine(world.settings.db_url)) as s:
        user = s.scalar(select(User).where(User.username == username))
        assert user is not None and user.org_unit is not None
        return str(user.org_unit.name)


def test_each_fact_names_its_source_kinds_and_rows(shared_world: World, leader) -> None:  # type: ignore[no-untyped-def]
    eid = shared_world.ids[EAST_RED]
    data = leader.get(f"/api/v1/enterprises/{eid}").json()
    facts = {f["name"]: f for f in data["warning"]["facts"]}
    months = facts["wage_arrears_months"]
    assert [s["kind"] for s in months["sources"]] == list(sources_of("wage_arrears_months"))
    assert {s["kind"]: s["rows"] for s in months["sources"]} == {
        "wage_payments": 0,
        "complaints": 1,
        "inspections": 0,
    }
    assert [s["title"] for s in months["sources"]] == ["工资支付", "投诉举报", "排查反馈"]
    assert months["source_rows"] == 1
    assert months["sources_link"] == f"/enterprises/{eid}?kinds={CLAIMS}#sources"
    employees = facts["employees"]
    assert [(s["kind"], s["rows"]) for s in employees["sources"]] == [("enterprises", 1)]
    for fact in facts.values():
        assert [s["kind"] for s in fact["sources"]] == list(sources_of(fact["name"]))
    assert data["source_kinds"] == [
        {"kind": "enterprises", "title": "企业名录", "rows": 1},
        {"kind": "complaints", "title": "投诉举报", "rows": 1},
    ]
    assert data["sources_filter"] == []


def test_source_rows_carry_file_row_and_office(shared_world: World, leader) -> None:  # type: ignore[no-untyped-def]
    eid = shared_world.ids[EAST_RED]
    rows = {s["kind"]: s for s in leader.get(f"/api/v1/enterprises/{eid}").json()["sources"]}
    complaint = rows["complaints"]
    assert (complaint["file_name"], complaint["row_no"]) == ("投诉.csv", 2)
    # the complaint names its channel (来源渠道 12345): the row's own office
    assert complaint["office"] == "12345热线" and complaint["office_from_row"] is True
    # the registry has no office column: the importing user's unit
    registry = rows["enterprises"]
    assert registry["office"] == _unit_of(shared_world, "inspector")
    assert registry["office_from_row"] is False


def test_kinds_narrow_the_source_rows(shared_world: World, leader) -> None:  # type: ignore[no-untyped-def]
    eid = shared_world.ids[EAST_RED]
    for query in (
        "?kinds=complaints",
        "?kinds=complaints,inspections",
        "?kinds=inspections&kinds=complaints",
    ):
        data = leader.get(f"/api/v1/enterprises/{eid}{query}").json()
        assert {s["kind"] for s in data["sources"]} == {"complaints"}, query
        assert len(data["source_kinds"]) == 2  # the counts stay whole
    data = leader.get(f"/api/v1/enterprises/{eid}?kinds={CLAIMS}").json()
    assert [(k["kind"], k["title"], k["rows"]) for k in data["sources_filter"]] == [
        ("wage_payments", "工资支付", 0),
        ("complaints", "投诉举报", 1),
        ("inspections", "排查反馈", 0),
    ]
    # unknown kinds are dropped: no filter at all
    data = leader.get(f"/api/v1/enterprises/{eid}?kinds=nonsense").json()
    assert data["sources_filter"] == [] and len(data["sources"]) == 2
    assert leader.get(f"/api/v1/enterprises/{eid}?kinds=arbitration").json()["sources"] == []


def test_page_links_each_fact_to_its_rows_without_javascript(shared_world: World, leader) -> None:  # type: ignore[no-untyped-def]
    eid = shared_world.ids[EAST_RED]
    html = leader.get(f"/enterprises/{eid}").text
    link = f'href="/enterprises/{eid}?kinds={CLAIMS}#sources"'
    assert link in html and "来源：工资支付 0 · 投诉举报 1 · 排查反馈 0" in html
    assert "查看 1 条" in html and "来源单位" in html and "12345热线" in html
    assert 'id="sources"' in html and 'data-testid="source-kinds"' in html
    assert re.findall(r'<tr data-kind="(\w+)"', html) == ["complaints", "enterprises"]
    # following the link (a plain GET) shows only those kinds, with a way back
    page = leader.get(f"/enterprises/{eid}?kinds={CLAIMS}").text
    assert re.findall(r'<tr data-kind="(\w+)"', page) == ["complaints"]
    assert "仅显示：工资支付、投诉举报、排查反馈" in page and "显示全部" in page
    empty = leader.get(f"/enterprises/{eid}?kinds=arbitration").text
    assert "该来源类型暂无记录" in empty


def test_personal_data_stays_masked_with_the_sources(shared_world: World, leader) -> None:  # type: ignore[no-untyped-def]
    eid = shared_world.ids[WEST_RED]
    for url in (
        f"/enterprises/{eid}?kinds=complaints",
        f"/api/v1/enterprises/{eid}?kinds=complaints",
    ):
        text = leader.get(url).text
        for secret in (PHONES[3], COMPLAINANT_PHONE, ID_NUMBER, "李四光", "张三"):
            assert secret not in text, (url, secret)
        assert "136****4444" in text


def test_other_township_is_refused_whatever_the_kinds(shared_world: World) -> None:
    client = shared_world.client()
    login(client, "township", shared_world.passwords["township"])
    eid = shared_world.ids[WEST_RED]
    assert client.get(f"/enterprises/{eid}?kinds=complaints").status_code == 403
    assert client.get(f"/api/v1/enterprises/{eid}?kinds=complaints").status_code == 403


def test_incident_rows_name_their_reporting_office(world: World) -> None:
    """An incidents file: a row that names its 报送部门 shows it; one that does not shows the
    importer's unit; group_incident links to the incident rows."""
    eid = world.ids[EAST_RED]
    day = date.today() - timedelta(days=1)
    with Session(get_engine(world.settings.db_url)) as s:
        batch = ImportBatch(
            kind="incidents",
            file_name="群体性事件.csv",
            content_hash="sources-test",
            rows_in=2,
            rows_imported=2,
            rows_rejected=0,
            imported_by="township",
        )
        s.add(batch)
        s.flush()
        path = batch_path(world.settings.home / "lake", "incidents", batch.id)
        rows: list[dict[str, Any]] = [
            {"source_office": "城北派出所", "incident_type": "group_incident", "workers": 20},
            {"source_office": None, "incident_type": "escalation_signs", "workers": None},
        ]
        write_batch(
            path,
            to_table(
                "incidents",
                [
                    {
                        "batch_id": batch.id,
                        "row_no": i + 2,
                        "enterprise_id": eid,
                        "incident_date": day,
                        **r,
                    }
                    for i, r in enumerate(rows)
                ],
            ),
        )
        batch.lake_path = str(path)
        evaluate(s, get_rulebook("baoshan"), date.today(), [eid])
        s.commit()
    get_engine(world.settings.db_url).dispose()
    client = world.client()
    login(client, "leader", world.passwords["leader"])
    data = client.get(f"/api/v1/enterprises/{eid}?kinds=incidents").json()
    offices = {s["row_no"]: (s["office"], s["office_from_row"]) for s in data["sources"]}
    assert offices == {2: ("城北派出所", True), 3: (_unit_of(world, "township"), False)}
    assert {s["kind_title"] for s in data["sources"]} == {get_kind("incidents").title}
    # the snapshot holds the non-zero facts the rulebook reads: incidents are not among
    # baoshan's, but the counts behind any fact are the enterprise's rows
    assert {"kind": "incidents", "title": "事件与舆情", "rows": 2} in data["source_kinds"]
    html = client.get(f"/enterprises/{eid}?kinds=incidents").text
    assert "城北派出所" in html and "（导入）" in html


def test_facts_public_counts_rows_of_every_source_kind() -> None:
    facts = facts_public(
        {"group_incident": True, "any_anomaly": True, "manual_level": "red"},
        {"incidents": 2, "complaints": 3},
        "/enterprises/7",
    )
    by_name = {f.name: f for f in facts}
    group = by_name["group_incident"]
    assert [(s.kind, s.rows) for s in group.sources] == [("incidents", 2)]
    assert group.source_rows == 2
    assert group.sources_link == "/enterprises/7?kinds=incidents#sources"
    anomaly = by_name["any_anomaly"]
    assert [s.kind for s in anomaly.sources] == list(sources_of("any_anomaly"))
    assert anomaly.source_rows == 5
    manual = by_name["manual_level"]
    assert manual.sources == [] and manual.sources_link is None
