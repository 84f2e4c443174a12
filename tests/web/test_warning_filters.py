"""The warning list filtered by rulebook and by 处置状态: page, API and Excel export alike."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.web.helpers import (
    EAST,
    EAST_ORANGE,
    EAST_RED,
    WEST_NAMES,
    WEST_RED,
    WEST_YELLOW,
    World,
    login,
)
from wagewatch.alerts.models import Warning
from wagewatch.alerts.service import evaluate
from wagewatch.cases.models import Case
from wagewatch.cases.service import STATES
from wagewatch.db.session import get_engine
from wagewatch.rules.registry import get_rulebook

ALL = {EAST_RED, EAST_ORANGE, WEST_YELLOW, WEST_RED}


def _names(client, query: str = "") -> set[str]:  # type: ignore[no-untyped-def]
    r = client.get("/api/v1/warnings" + query)
    assert r.status_code == 200, r.text
    return {w["enterprise_name"] for w in r.json()["items"]}


def _sheet(data: bytes) -> list[list[Any]]:
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()


@pytest.fixture(scope="module")
def leader(shared_world: World):  # type: ignore[no-untyped-def]
    client = shared_world.client()
    login(client, "leader", shared_world.passwords["leader"])
    return client


# -- read-only, on both databases ----------------------------------------------------------


def test_rows_carry_the_newest_case_state(leader) -> None:  # type: ignore[no-untyped-def]
    page = leader.get("/api/v1/warnings").json()
    assert page["rulebook"] == {
        "name": "baoshan",
        "title": get_rulebook("baoshan").title,
        "active": True,
    }
    assert {(w["status"], w["status_label"]) for w in page["items"]} == {("verifying", "待核实")}


def test_status_filter(leader) -> None:  # type: ignore[no-untyped-def]
    assert _names(leader, "?status=verifying") == ALL
    assert _names(leader, "?status=none") == set()
    assert _names(leader, "?status=closed") == set()
    assert _names(leader, "?status=verifying&level=red") == {EAST_RED, WEST_RED}
    assert leader.get("/api/v1/warnings?status=lost").status_code == 422


def test_choices_offer_rulebooks_and_statuses(leader) -> None:  # type: ignore[no-untyped-def]
    choices = leader.get("/api/v1/warnings/choices").json()
    assert choices["rulebook"] == "baoshan"
    assert choices["rulebooks"] == [
        {"name": "baoshan", "title": get_rulebook("baoshan").title, "active": True}
    ]
    assert [(s["code"], s["label"]) for s in choices["statuses"]] == [
        ("none", "未立案"),
        *STATES.items(),
    ]
    assert [lv["code"] for lv in choices["levels"]] == ["red", "orange", "yellow", "blue"][
        : len(choices["levels"])
    ]


def test_rulebook_must_be_a_name_never_a_path(leader) -> None:  # type: ignore[no-untyped-def]
    for bad in ("../../etc/passwd.yaml", "/tmp/x.yaml", "a b"):
        assert leader.get("/api/v1/warnings", params={"rulebook": bad}).status_code == 422
        assert leader.get("/warnings", params={"rulebook": bad}).status_code in (400, 422)
    # a name with no warnings and no file: an empty list under its code
    page = leader.get("/api/v1/warnings?rulebook=nowhere").json()
    assert page["total"] == 0 and page["rulebook"]["title"] == "nowhere"


def test_page_shows_the_status_column_and_filters(leader) -> None:  # type: ignore[no-untyped-def]
    html = leader.get("/warnings").text
    assert 'name="status"' in html and "未立案" in html and "处置状态" in html
    assert html.count('data-testid="status"') == 4 and "待核实" in html
    # one rulebook with warnings: no rulebook chooser
    assert 'name="rulebook"' not in html
    html = leader.get("/warnings?status=none").text
    assert "没有符合条件的预警" in html
    part = leader.get(
        "/warnings?status=verifying",
        headers={"hx-request": "true", "hx-target": "results"},
    ).text
    assert "<html" not in part and 'id="f-level-box" hx-swap-oob="true"' in part


def test_export_has_the_status_column(leader) -> None:  # type: ignore[no-untyped-def]
    rows = _sheet(leader.get("/warnings/export.xlsx?status=verifying&sort=name&order=asc").content)
    assert rows[0][-1] == "处置状态"
    assert len(rows) == 5 and {r[-1] for r in rows[1:]} == {"待核实"}
    assert len(_sheet(leader.get("/warnings/export.xlsx?status=handling").content)) == 1


def test_township_scope_is_unchanged_under_the_status_filter(shared_world: World) -> None:
    client = shared_world.client()
    login(client, "township", shared_world.passwords["township"])
    assert _names(client, "?status=verifying") == {EAST_RED, EAST_ORANGE}
    for name in WEST_NAMES:
        assert name not in client.get("/warnings?status=verifying").text


# -- with a second rulebook, newer cases, and a rulebook whose file is gone (SQLite copy) ----


def _grade_wendeng_and_reopen(world: World) -> None:
    """wendeng grades the two red enterprises; EAST_RED's warning gets a newer case
    (handling); WEST_YELLOW's case is closed; a retired rulebook left a warning behind."""
    with Session(get_engine(world.settings.db_url)) as s:
        evaluate(s, get_rulebook("wendeng"), date.today())
        east = s.scalar(
            select(Warning).where(
                Warning.rulebook == "baoshan", Warning.enterprise_id == world.ids[EAST_RED]
            )
        )
        assert east is not None
        old = s.scalar(select(Case).where(Case.warning_id == east.id))
        assert old is not None
        old.state = "closed"
        s.add(
            Case(
                rulebook="baoshan",
                warning_id=east.id,
                enterprise_id=east.enterprise_id,
                township=EAST,
                title="再次立案",
                state="handling",
                lead_office="labour_inspection",
            )
        )
        yellow = s.scalar(select(Case).where(Case.enterprise_id == world.ids[WEST_YELLOW]))
        assert yellow is not None
        yellow.state = "closed"
        s.add(
            Warning(
                rulebook="retired",
                subject_key=f"enterprise:{world.ids[EAST_ORANGE]}",
                enterprise_id=world.ids[EAST_ORANGE],
                level="high",
                level_name="高风险",
                level_rank=1,
                reasons=[{"criterion": "h.1", "text": "旧规则条款"}],
                facts={},
                rulebook_version="1",
                as_of=date.today(),
            )
        )
        s.commit()
    get_engine(world.settings.db_url).dispose()


def test_newest_case_per_warning_decides_the_status(world: World) -> None:
    _grade_wendeng_and_reopen(world)
    client = world.client()
    login(client, "leader", world.passwords["leader"])
    items = {w["enterprise_name"]: w for w in client.get("/api/v1/warnings").json()["items"]}
    assert items[EAST_RED]["status"] == "handling" and items[EAST_RED]["status_label"] == "处置中"
    assert items[WEST_YELLOW]["status"] == "closed"
    assert _names(client, "?status=handling") == {EAST_RED}
    assert _names(client, "?status=verifying") == {EAST_ORANGE, WEST_RED}
    assert _names(client, "?status=closed") == {WEST_YELLOW}
    assert len(client.get("/api/v1/warnings").json()["items"]) == 4  # one row per warning


def test_rulebook_filter_lists_that_rulebooks_warnings(world: World) -> None:
    _grade_wendeng_and_reopen(world)
    client = world.client()
    login(client, "leader", world.passwords["leader"])
    choices = client.get("/api/v1/warnings/choices").json()
    assert [(c["name"], c["title"], c["active"]) for c in choices["rulebooks"]] == [
        ("baoshan", get_rulebook("baoshan").title, True),
        ("retired", "retired", False),
        ("wendeng", get_rulebook("wendeng").title, False),
    ]
    # the default is still the active rulebook
    assert _names(client) == ALL
    page = client.get("/api/v1/warnings?rulebook=wendeng").json()
    assert {w["enterprise_name"] for w in page["items"]} == {EAST_RED, WEST_RED}
    assert page["rulebook"]["name"] == "wendeng" and not page["rulebook"]["active"]
    # levels and badges from the chosen rulebook; no case under wendeng: 未立案
    assert {(w["level"]["code"], w["level"]["name"]) for w in page["items"]} == {
        ("general", "一般风险")
    }
    assert {w["status_label"] for w in page["items"]} == {"未立案"}
    assert _names(client, "?rulebook=wendeng&status=none") == {EAST_RED, WEST_RED}
    assert _names(client, "?rulebook=wendeng&status=handling") == set()
    assert _names(client, "?rulebook=wendeng&level=general") == {EAST_RED, WEST_RED}
    assert _names(client, "?rulebook=wendeng&level=red") == set()
    levels = client.get("/api/v1/warnings/choices?rulebook=wendeng").json()["levels"]
    assert [lv["name"] for lv in levels] == ["重大风险", "较大风险", "一般风险"]
    # the page: a rulebook chooser, the chosen rulebook's levels
    html = client.get("/warnings?rulebook=wendeng").text
    assert (
        'name="rulebook"' in html and "一般风险" in html and get_rulebook("wendeng").title in html
    )
    assert '<option value="wendeng" selected>' in html
    # a rulebook whose file is gone: its code, and the levels its warnings carry
    retired = client.get("/api/v1/warnings?rulebook=retired").json()
    assert [w["enterprise_name"] for w in retired["items"]] == [EAST_ORANGE]
    assert retired["items"][0]["level"]["name"] == "高风险"
    assert retired["items"][0]["reasons"][0]["text"] == "旧规则条款"
    assert "高风险" in client.get("/warnings?rulebook=retired").text
    # the export follows the rulebook
    rows = _sheet(client.get("/warnings/export.xlsx?rulebook=wendeng&sort=name").content)
    assert {r[1] for r in rows[1:]} == {EAST_RED, WEST_RED}
    assert {r[7] for r in rows[1:]} == {"一般风险"} and {r[-1] for r in rows[1:]} == {"未立案"}


def test_rulebook_filter_keeps_the_township_scope(world: World) -> None:
    _grade_wendeng_and_reopen(world)
    client = world.client()
    login(client, "township", world.passwords["township"])
    assert _names(client, "?rulebook=wendeng") == {EAST_RED}
    assert _names(client, "?rulebook=wendeng&q=西镇") == set()
    html = client.get("/warnings?rulebook=wendeng").text
    assert all(name not in html for name in WEST_NAMES)
    assert client.get("/warnings/export.xlsx?rulebook=wendeng").status_code == 403
