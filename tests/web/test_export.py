"""The Excel export holds the current filter's rows, masked as the user sees them, audited."""

from __future__ import annotations

import io

from python_calamine import CalamineWorkbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.web.helpers import EAST, EAST_RED, PHONES, WEST_RED, World, login
from wagewatch.auth.models import AuditEntry
from wagewatch.db.session import get_engine
from wagewatch.web.alerts.pages import XLSX


def _rows(data: bytes) -> list[list[object]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert book.sheet_names == ["预警列表"]
    return book.get_sheet_by_index(0).to_python()


def test_export_of_red_warnings(world: World) -> None:
    with Session(get_engine(world.settings.db_url)) as s:
        before = s.scalar(select(func.max(AuditEntry.id))) or 0
    client = world.client()
    login(client, "leader", world.passwords["leader"])
    r = client.get("/warnings/export.xlsx?level=red&sort=name&order=asc")
    assert r.status_code == 200
    assert r.headers["content-type"] == XLSX
    assert "attachment" in r.headers["content-disposition"]
    rows = _rows(r.content)
    assert rows[0][:9] == [
        "序号",
        "企业名称",
        "统一社会信用代码",
        "所属镇街",
        "行业",
        "用工人数",
        "联系电话",
        "预警等级",
        "触发条款",
    ]
    assert [row[1] for row in rows[1:]] == sorted([EAST_RED, WEST_RED])
    east = next(row for row in rows[1:] if row[1] == EAST_RED)
    assert east[3] == EAST and east[5] == 80 and east[7] == "红色"
    assert east[6] == "138****5678"
    assert "red.1：存在3个月以上或10人以上欠薪" in str(east[8])
    assert all(phone not in str(rows) for phone in PHONES)
    with Session(get_engine(world.settings.db_url)) as s:
        entry = s.scalars(
            select(AuditEntry).where(AuditEntry.action == "warnings.export", AuditEntry.id > before)
        ).one()
    assert entry.details["rows"] == 2 and entry.details["filter"]["level"] == "red"


def test_export_follows_the_search_filter(world: World) -> None:
    client = world.client()
    login(client, "leader", world.passwords["leader"])
    rows = _rows(client.get("/warnings/export.xlsx?q=宏达").content)
    assert [row[1] for row in rows[1:]] == [EAST_RED]
