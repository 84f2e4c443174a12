"""审计日志: only the audit administrator lists, verifies and exports the log."""

from __future__ import annotations

import io

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from tests.web.helpers import World, login
from wagewatch.auth.models import AuditEntry
from wagewatch.db.session import get_engine
from wagewatch.web.alerts.pages import XLSX

OTHER_ROLES = (
    "sysadmin",
    "secadmin",
    "leader",
    "inspector",
    "relations",
    "township",
    "zhujian",
    "petition",
    "arbitration",
    "employment",
)
AUDIT_GETS = (
    "/audit",
    "/audit?verify=1",
    "/audit/export.xlsx",
    "/api/v1/audit",
    "/api/v1/audit/verify",
)


@pytest.fixture(scope="module")
def auditor(sqlite_world: World):  # type: ignore[no-untyped-def]
    client = sqlite_world.client()
    login(client, "auditor", sqlite_world.passwords["auditor"])
    return client


def test_audit_page_lists_filters_and_pages(auditor) -> None:  # type: ignore[no-untyped-def]
    r = auditor.get("/audit")
    assert r.status_code == 200
    assert 'data-testid="audit-table"' in r.text and "审计日志" in r.text
    assert 'href="/audit"' in r.text  # in the navigation
    logins = auditor.get("/api/v1/audit?action=auth.login&result=success").json()
    assert logins["total"] >= 1
    assert {i["action"] for i in logins["items"]} == {"auth.login"}
    assert {i["result_label"] for i in logins["items"]} == {"成功"}
    mine = auditor.get("/api/v1/audit?username=auditor").json()
    assert mine["items"] and {i["username"] for i in mine["items"]} == {"auditor"}
    everything = auditor.get("/api/v1/audit?page_size=2").json()
    assert everything["total"] > 2 and everything["pages"] > 1 and len(everything["items"]) == 2
    ids = [i["id"] for i in everything["items"]]
    assert ids == sorted(ids, reverse=True)  # newest first
    second = auditor.get("/api/v1/audit?page_size=2&page=2").json()
    assert second["items"][0]["id"] < ids[-1]
    none = auditor.get("/api/v1/audit?date_to=2000-01-01").json()
    assert none["total"] == 0
    page = auditor.get("/audit?page_size=1")
    assert "第 1 /" in page.text and "page=2" in page.text


def test_verify_reports_intact_chain(auditor) -> None:  # type: ignore[no-untyped-def]
    assert auditor.get("/api/v1/audit/verify").json()["intact"] is True
    r = auditor.get("/audit?verify=1")
    assert r.status_code == 200 and "完整" in r.text and 'data-testid="chain"' in r.text


def test_verify_names_the_first_break_in_chinese(world: World) -> None:
    client = world.client()
    login(client, "auditor", world.passwords["auditor"])
    engine = get_engine(world.settings.db_url)
    with engine.begin() as conn:  # tamper below the ORM (it refuses updates)
        conn.execute(text("UPDATE audit_entries SET object_id = 'x' WHERE id = 2"))
    check = client.get("/api/v1/audit/verify").json()
    assert check["intact"] is False and check["entry_id"] == 2
    r = client.get("/audit?verify=1")
    assert "第 2 条" in r.text and "记录被修改" in r.text and "不完整" in r.text


def test_export_is_the_current_filter_and_is_audited(world: World) -> None:
    client = world.client()
    login(client, "auditor", world.passwords["auditor"])
    r = client.get("/audit/export.xlsx?action=auth.login&result=success")
    assert r.status_code == 200 and r.headers["content-type"] == XLSX
    assert "attachment" in r.headers["content-disposition"]
    book = CalamineWorkbook.from_filelike(io.BytesIO(r.content))
    rows = book.get_sheet_by_index(0).to_python()
    assert rows[0][:3] == ["序号", "时间", "用户"]
    assert len(rows) > 1 and {row[4] for row in rows[1:]} == {"登录"}
    assert {row[7] for row in rows[1:]} == {"成功"}
    with Session(get_engine(world.settings.db_url)) as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "audit.export")).one()
    assert entry.username == "auditor" and entry.details["action"] == "auth.login"


@pytest.mark.parametrize("username", OTHER_ROLES)
def test_every_other_role_gets_403(sqlite_world: World, username: str) -> None:
    client = sqlite_world.client()
    login(client, username, sqlite_world.passwords[username])
    for path in AUDIT_GETS:
        r = client.get(path)
        assert r.status_code == 403, (username, path, r.status_code)
    assert 'href="/audit"' not in client.get("/rules").text


def test_export_refused_is_not_written_as_an_export(world: World) -> None:
    client = world.client()
    login(client, "secadmin", world.passwords["secadmin"])
    assert client.get("/audit/export.xlsx").status_code == 403
    with Session(get_engine(world.settings.db_url)) as s:
        exports = s.scalars(select(AuditEntry).where(AuditEntry.action == "audit.export")).all()
        denied = s.scalars(select(AuditEntry).where(AuditEntry.action == "access.denied")).all()
    assert exports == [] and any(e.username == "secadmin" for e in denied)
