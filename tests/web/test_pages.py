"""Pages and API: dashboard, warning list, enterprise file, rules, administration, OpenAPI."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.web.helpers import (
    EAST,
    EAST_ORANGE,
    EAST_RED,
    WEST_RED,
    WEST_YELLOW,
    World,
    csrf,
    login,
)
from wagewatch.auth.models import User
from wagewatch.db.session import get_engine
from wagewatch.web.assets import AssetsMissing, check_assets


@pytest.fixture(scope="module")
def leader(shared_world: World):  # type: ignore[no-untyped-def]
    client = shared_world.client()
    login(client, "leader", shared_world.passwords["leader"])
    return client


def test_dashboard_counts_levels_week_and_charts(leader) -> None:  # type: ignore[no-untyped-def]
    stats = leader.get("/api/v1/dashboard").json()
    counts = {lc["level"]["code"]: lc["count"] for lc in stats["by_level"]}
    assert counts == {"red": 2, "orange": 1, "yellow": 1}
    assert stats["total"] == 4 and stats["new_this_week"] == 4
    assert stats["by_township"]["categories"] == ["东镇", "西镇"]
    red = next(s for s in stats["by_township"]["series"] if s["level"] == "red")
    assert red["values"] == [1, 1] and red["colour"] == "#d9302c"
    assert sum(stats["trend"]["series"][0]["values"]) == 4  # 新增预警 this month
    assert len(stats["trend"]["months"]) == 12
    html = leader.get("/").text
    assert 'data-chart="township"' in html and 'id="chart-data"' in html
    assert "lv-red" in html and "/warnings?level=red" in html


def test_level_css_carries_the_rulebook_colours(leader) -> None:  # type: ignore[no-untyped-def]
    css = leader.get("/levels.css").text
    assert ".lv-red{--lv-bg:#d9302c;--lv-fg:#ffffff}" in css
    assert ".lv-yellow{--lv-bg:#f2c200;--lv-fg:#212529}" in css


def test_warning_list_filters_sorts_and_pages(leader) -> None:  # type: ignore[no-untyped-def]
    def names(query: str) -> list[str]:
        return [
            w["enterprise_name"] for w in leader.get("/api/v1/warnings" + query).json()["items"]
        ]

    assert names("?sort=level")[:2] == sorted([EAST_RED, WEST_RED], reverse=True) or set(
        names("?sort=level")[:2]
    ) == {EAST_RED, WEST_RED}
    assert names("?level=orange") == [EAST_ORANGE]
    assert set(names(f"?township={EAST}")) == {EAST_RED, EAST_ORANGE}
    assert names("?industry=制造业") == [WEST_YELLOW]
    assert names("?q=宏达") == [EAST_RED]
    assert names("?q=" + "91310113"[:6]) != []
    assert names("?sort=employees&order=asc") == [EAST_ORANGE, WEST_RED, EAST_RED, WEST_YELLOW]
    assert names("?date_from=2000-01-01&date_to=2000-12-31") == []
    page = leader.get("/api/v1/warnings?page_size=3&page=2").json()
    assert (page["total"], page["pages"], page["page"], len(page["items"])) == (4, 2, 2, 1)
    # The page's form sends empty fields: they mean "not given".
    html = leader.get("/warnings?level=&township=&date_from=&q=&sort=name&order=asc").text
    assert html.index(EAST_ORANGE) < html.index(WEST_RED)
    bad = leader.get("/warnings?date_from=notadate")
    assert bad.status_code == 422 and "请求参数不正确" in bad.text


def test_htmx_request_gets_only_the_results(leader) -> None:  # type: ignore[no-untyped-def]
    r = leader.get("/warnings?level=red", headers={"hx-request": "true", "hx-target": "results"})
    assert r.status_code == 200
    assert "<html" not in r.text and 'data-testid="warning-table"' in r.text
    assert "export.xlsx?level=red" in r.text


def test_enterprise_file_shows_reasons_clauses_actions_facts_history_sources(
    shared_world: World, leader
) -> None:  # type: ignore[no-untyped-def]
    eid = shared_world.ids[EAST_RED]
    data = leader.get(f"/api/v1/enterprises/{eid}").json()
    w = data["warning"]
    assert w["level"]["code"] == "red"
    assert [r["criterion"] for r in w["reasons"]] == ["red.1", "red.2"]
    assert w["reasons"][0]["text"].startswith("存在3个月以上或10人以上欠薪")
    assert w["reasons"][0]["condition"] == "wage_arrears_months >= 3"
    assert w["actions"][0]["task"] == "介入立案查处"
    facts = {f["name"]: f for f in w["facts"]}
    assert facts["wage_arrears_workers"]["label"] == "欠薪涉及人数"
    assert facts["wage_arrears_workers"]["value"] == "27"
    assert [h["change_name"] for h in data["history"]] == ["新增预警"]
    kinds = sorted((s["kind_title"], s["file_name"], s["row_no"]) for s in data["sources"])
    assert kinds == [("企业名录", "名录.csv", 2), ("投诉举报", "投诉.csv", 2)]
    html = leader.get(f"/enterprises/{eid}").text
    for text in (
        "存在3个月以上或10人以上欠薪",
        "介入立案查处",
        "欠薪涉及人数",
        "投诉.csv",
        "新增预警",
    ):
        assert text in html


def test_enterprise_without_warning_has_a_file_too(shared_world: World, leader) -> None:  # type: ignore[no-untyped-def]
    quiet = shared_world.ids["东镇安宁食品有限公司"]
    data = leader.get(f"/api/v1/enterprises/{quiet}").json()
    assert data["warning"] is None and data["history"] == []
    assert "该企业当前没有预警" in leader.get(f"/enterprises/{quiet}").text


def test_rules_page_and_api(leader) -> None:  # type: ignore[no-untyped-def]
    rb = leader.get("/api/v1/rulebook").json()
    assert rb["name"] == "baoshan" and [lv["code"] for lv in rb["levels"]] == [
        "yellow",
        "orange",
        "red",
    ]
    red1 = next(c for c in rb["criteria"] if c["id"] == "red.1")
    assert red1["condition"] == "wage_arrears_months >= 3" and "以上" in red1["reading"]
    assert rb["actions"][0]["level"] == "red"
    html = leader.get("/rules").text
    assert "wage_arrears_months &gt;= 3" in html and "介入立案查处" in html


def test_me(leader) -> None:  # type: ignore[no-untyped-def]
    me = leader.get("/api/v1/me").json()
    assert me["username"] == "leader" and me["role_label"] == "局领导"
    assert me["scope"] == "district" and "warnings.read" in me["permissions"]
    assert "pii.unmask" not in me["permissions"]


def test_openapi_lists_the_api_and_no_pages(leader) -> None:  # type: ignore[no-untyped-def]
    spec = leader.get("/api/v1/openapi.json").json()
    paths = set(spec["paths"])
    assert {
        "/api/v1/me",
        "/api/v1/dashboard",
        "/api/v1/warnings",
        "/api/v1/enterprises/{enterprise_id}",
        "/api/v1/imports",
        "/api/v1/rulebook",
    } <= paths
    assert not any(not p.startswith("/api/v1/") for p in paths)
    assert leader.get("/docs").status_code == 404  # no CDN-backed docs


def test_system_admin_creates_an_account_without_role_or_password(world: World) -> None:
    client = world.client()
    login(client, "sysadmin", world.passwords["sysadmin"])
    page = client.get("/admin")
    assert page.status_code == 200 and "新建用户" in page.text and "东镇" in page.text
    overview = client.get("/api/v1/admin").json()
    unit = next(u for u in overview["units"] if u["township"] == EAST)
    r = client.post(
        "/admin/users",
        data={
            "username": "Wang.Xiao",
            "display_name": "王晓",
            "org_unit_id": str(unit["id"]),
            "csrf_token": csrf(client),
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    with Session(get_engine(world.settings.db_url)) as s:
        user = s.scalars(select(User).where(User.username == "wang.xiao")).one()
        assert (user.role, user.password_hash, user.display_name) == (None, None, "王晓")
    r = client.post(
        "/admin/users",
        data={
            "username": "wang.xiao",
            "display_name": "重复",
            "org_unit_id": str(unit["id"]),
            "csrf_token": csrf(client),
        },
    )
    assert r.status_code == 400 and "用户名已存在" in r.text


def test_security_admin_sees_accounts_but_cannot_create(shared_world: World) -> None:
    client = shared_world.client()
    login(client, "secadmin", shared_world.passwords["secadmin"])
    page = client.get("/admin")
    assert page.status_code == 200 and "新建用户" not in page.text
    r = client.post(
        "/admin/users",
        data={
            "username": "x1",
            "display_name": "x",
            "org_unit_id": "1",
            "csrf_token": csrf(client),
        },
    )
    assert r.status_code == 403


def test_missing_assets_fail_with_a_chinese_message(tmp_path: Path) -> None:
    with pytest.raises(AssetsMissing, match="前端静态资源缺失.*npm ci"):
        check_assets(tmp_path)


def test_static_assets_are_served_locally(leader) -> None:  # type: ignore[no-untyped-def]
    html = leader.get("/").text
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html
    for path in (
        "/static/vendor/echarts.min.js",
        "/static/vendor/htmx.min.js",
        "/static/vendor/bootstrap.min.css",
        "/static/vendor/icons.svg",
        "/static/app.js",
    ):
        assert leader.get(path).status_code == 200, path
