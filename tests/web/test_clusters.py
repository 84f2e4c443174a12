"""Industry-cluster warnings (宣恩): cards with level, reasons and 2 h / 6 h deadlines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.web.helpers import World, cluster_world, login
from wagewatch.auth.models import User
from wagewatch.db.session import get_engine
from wagewatch.rules.registry import get_rulebook
from wagewatch.web.clusters.service import cluster_board


@pytest.fixture(scope="module")
def xuanen(sqlite_world: World, tmp_path_factory: pytest.TempPathFactory) -> World:
    from tests.web.helpers import copy_world

    return cluster_world(copy_world(sqlite_world, tmp_path_factory.mktemp("xuanen") / "home"))


def _client(world: World, username: str):  # type: ignore[no-untyped-def]
    client = world.client()
    login(client, username, world.passwords[username])
    return client


def test_district_role_sees_every_cluster_with_actions_and_deadlines(xuanen: World) -> None:
    client = _client(xuanen, "leader")
    board = client.get("/api/v1/clusters").json()
    assert [c["industry"] for c in board["items"]] == ["建筑业", "制造业"]
    build, make = board["items"]
    assert build["level"]["name"] == "二级" and build["reasons"][0]["criterion"] == "level2.1"
    assert {f["name"]: f["value"] for f in build["facts"]} == {
        "group_incidents": "2",
        "workers_involved": "35",
        "townships_affected": "2",
        "townships": "东镇、西镇",
    }
    timed = [a for a in build["actions"] if a["due_at"]]
    assert [a["action"]["due_hours"] for a in timed] == [2]
    raised = datetime.fromisoformat(build["raised_at"])
    assert datetime.fromisoformat(timed[0]["due_at"]).replace(tzinfo=None) == raised.replace(
        tzinfo=None
    ) + timedelta(hours=2)
    assert [a["action"]["due_hours"] for a in make["actions"] if a["due_at"]] == [6]
    for path in ("/", "/warnings"):
        html = client.get(path).text
        assert 'data-testid="clusters"' in html, path
        assert 'data-testid="cluster-建筑业"' in html and 'data-testid="cluster-制造业"' in html
        assert "2 小时内上报" in html and "6 小时内上报" in html
        assert "县级协调劳动关系三方机构" in html


def test_industry_authority_sees_its_own_industry_only(xuanen: World) -> None:
    client = _client(xuanen, "zhujian")  # 住建局: 建筑业
    board = client.get("/api/v1/clusters").json()
    assert [c["industry"] for c in board["items"]] == ["建筑业"]
    html = client.get("/").text
    assert 'data-testid="cluster-制造业"' not in html and "仅显示本单位主管行业" in html


def test_township_sees_no_cluster(xuanen: World) -> None:
    client = _client(xuanen, "township")
    board = client.get("/api/v1/clusters").json()
    assert board["items"] == [] and "全区范围" in board["scope_note"]
    html = client.get("/warnings").text
    assert 'data-testid="cluster-建筑业"' not in html and "当前没有行业集群预警" in html


def test_overdue_deadline_is_flagged(xuanen: World) -> None:
    rb = get_rulebook("xuanen")
    with Session(get_engine(xuanen.settings.db_url)) as s:
        leader = s.scalars(select(User).where(User.username == "leader")).one()
        board = cluster_board(s, leader, rb, now=datetime.now(UTC) + timedelta(hours=3))
    assert board is not None
    build, make = board.items
    assert [a.overdue for a in build.actions if a.due_at] == [True]  # 2 h passed
    assert [a.overdue for a in make.actions if a.due_at] == [False]  # 6 h not yet


def test_enterprise_rulebook_shows_no_cluster_section(shared_world: World) -> None:
    client = _client(shared_world, "leader")
    assert client.get("/api/v1/clusters").json() is None
    assert 'data-testid="clusters"' not in client.get("/").text


def test_administrators_are_refused(xuanen: World) -> None:
    for username in ("sysadmin", "auditor"):
        assert _client(xuanen, username).get("/api/v1/clusters").status_code == 403
