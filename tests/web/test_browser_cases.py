"""In a real browser: register a complaint (首问负责制), transfer it, acknowledge it, and take
the case it opened to a confirmed closure. Same chromium rules as test_browser.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.web.helpers import EAST_ORANGE, EAST_QUIET, World, build_world
from tests.web.test_browser import Tab, _serve, browser  # noqa: F401  (the browser fixture)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, World]]:
    """The app on a district of its own (these tests change it)."""
    world = build_world(tmp_path_factory.mktemp("browser-cases") / "home")
    with _serve(world) as base:
        yield base, world


@pytest.fixture
def tabs(browser: Any, server: tuple[str, World]) -> Iterator[dict[str, Tab]]:  # noqa: F811
    """One signed-in browser context per user the story needs."""
    base, world = server
    out: dict[str, Tab] = {}
    for username in ("petition", "township", "leader"):
        t = Tab(browser, base)
        t.login(username, world.passwords[username])
        out[username] = t
    yield out
    for t in out.values():
        t.close()


def _submit(tab: Tab, form: str) -> None:
    with tab.page.expect_navigation():
        tab.page.locator(form).locator("button[type=submit]").click()
    tab.page.wait_for_load_state("networkidle")


def test_complaint_registered_transferred_acknowledged_and_case_closed(
    tabs: dict[str, Tab],
) -> None:
    petition, township, leader = tabs["petition"], tabs["township"], tabs["leader"]
    page = petition.page
    # 1. the petition office registers a visit and keeps it (承办单位: itself)
    page.goto(petition.base + "/complaints")
    page.select_option("#c-via", "visit")
    page.fill("#c-ent", EAST_QUIET)
    page.fill("#c-text", "来访反映东镇安宁食品有限公司拖欠4名工人两个月工资")
    page.fill("#c-months", "2")
    page.fill("#c-workers", "4")
    page.fill("#c-name", "赵大宝")
    page.fill("#c-phone", "13600001234")
    page.select_option("#c-unit", label="信访办")
    _submit(petition, "[data-testid=complaint-form]")
    assert page.locator("[data-testid=notice]").inner_text().strip().endswith("已按管辖分派。")
    assert page.locator("[data-testid=complaint-status]").inner_text() == "本单位办理"
    assert "136****1234" in page.locator("[data-testid=complainant]").inner_text()
    complaint_url = page.url.split("?")[0]
    petition.shot("complaint-registered")
    # 2. not ours after all: transfer it to the township
    page.select_option("#t-unit", label="东镇")
    page.fill("form[action$='/transfer'] input[name=note]", "属地企业，转东镇办理")
    with page.expect_navigation():
        page.click("[data-testid=transfer]")
    assert page.locator("[data-testid=complaint-status]").inner_text() == "转办待接收"
    # 3. the township sees it among its incoming complaints and acknowledges it
    tp = township.page
    tp.goto(township.base + "/complaints")
    tp.locator("[data-testid=incoming]").get_by_text(EAST_QUIET).first.wait_for()
    tp.goto(complaint_url)
    with tp.expect_navigation():
        tp.click("[data-testid=acknowledge]")
    assert tp.locator("[data-testid=complaint-status]").inner_text() == "已接收办理"
    township.shot("complaint-acknowledged")
    # the registering office sees the new status
    page.goto(complaint_url)
    assert page.locator("[data-testid=complaint-status]").inner_text() == "已接收办理"
    # 4. the complaint graded the enterprise at once: its case, led by the township
    case_link = tp.locator("a[href^='/cases/']").first
    case_url = township.base + case_link.get_attribute("href")
    tp.goto(case_url)
    assert tp.locator("[data-testid=case-title]").inner_text() == EAST_QUIET
    assert tp.locator("[data-testid=lead-unit]").inner_text() == "东镇"
    tp.fill("#a-handle", "已到企业核实，拖欠属实")
    with tp.expect_navigation():
        tp.click("form[action$='/handle'] button[type=submit]")
    assert tp.locator("[data-testid=case-state]").inner_text() == "处置中"
    tp.click("summary:has-text('记录处置结果')")
    tp.select_option("#a-kind", "wages_paid")
    tp.fill("#a-amount", "24000")
    tp.fill("#a-workers", "4")
    with tp.expect_navigation():
        tp.click("form[action$='/resolution'] button[type=submit]")
    assert "工资已支付" in tp.locator("[data-testid=resolution]").inner_text()
    with tp.expect_navigation():
        tp.click("[data-testid=request-closure]")
    assert tp.locator("[data-testid=case-state]").inner_text() == "申请销号"
    township.shot("case-closure-requested")
    # 5. the leader confirms the closure
    lp = leader.page
    lp.goto(case_url)
    with lp.expect_navigation():
        lp.click("[data-testid=confirm-closure]")
    assert lp.locator("[data-testid=case-state]").inner_text() == "已销号"
    assert "确认销号" in lp.locator("[data-testid=case-history]").inner_text()
    leader.shot("case-closed")
    for t in tabs.values():
        assert t.problems == [], t.problems


def test_from_the_dashboard_to_a_confirmed_closure(tabs: dict[str, Tab]) -> None:
    township, leader = tabs["township"], tabs["leader"]
    tp = township.page
    # the township officer starts on the dashboard, opens the warning list and the enterprise
    tp.goto(township.base + "/")
    tp.locator("[data-testid=overdue-card]").wait_for()
    with tp.expect_navigation():
        tp.click("nav >> text=预警列表")
    with tp.expect_navigation():
        tp.locator("[data-testid=warning-table]").get_by_text(EAST_ORANGE).click()
    # the enterprise file lists its case
    with tp.expect_navigation():
        tp.locator("[data-testid=enterprise-cases] a").first.click()
    assert tp.locator("[data-testid=case-title]").inner_text() == EAST_ORANGE
    assert "规则未设时限" in tp.locator("[data-testid=task-table]").inner_text()
    tp.fill("#a-handle", "约谈企业，确认拖欠")
    with tp.expect_navigation():
        tp.click("form[action$='/handle'] button[type=submit]")
    # asking too early is refused and says why
    with tp.expect_navigation():
        tp.click("[data-testid=request-closure]")
    assert "销号申请未通过" in tp.locator("[data-testid=notice]").inner_text()
    assert "尚未记录处置结果" in tp.locator("[data-testid=case-history]").inner_text()
    tp.click("summary:has-text('记录处置结果')")
    tp.select_option("#a-kind", "wages_paid")
    tp.fill("#a-amount", "15000")
    tp.fill("#a-workers", "3")
    with tp.expect_navigation():
        tp.click("form[action$='/resolution'] button[type=submit]")
    with tp.expect_navigation():
        tp.click("[data-testid=request-closure]")
    assert tp.locator("[data-testid=case-state]").inner_text() == "申请销号"
    case_url = tp.url.split("?")[0]
    lp = leader.page
    lp.goto(leader.base + "/inbox")
    with lp.expect_navigation():
        lp.locator("[data-testid=inbox]").get_by_text(f"销号待确认：{EAST_ORANGE}").click()
    assert lp.url.split("?")[0] == case_url
    with lp.expect_navigation():
        lp.click("[data-testid=confirm-closure]")
    assert lp.locator("[data-testid=case-state]").inner_text() == "已销号"
    for t in tabs.values():
        assert t.problems == [], t.problems
