"""In a real browser: sign in, charts render, a bar click filters, the clause, upload, refusal.

Debian's chromium (`/usr/bin/chromium`) is driven by Playwright; `playwright install` is never
run. Without chromium the tests skip loudly, except under CI=true, where they fail.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.web.helpers import (
    BAD_DATE,
    EAST,
    EAST_ORANGE,
    EAST_RED,
    WEST_RED,
    World,
    build_world,
    complaints_with_a_bad_row,
)

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
SHOTS = os.environ.get("WAGEWATCH_SHOTS")


def _unavailable(reason: str) -> None:
    message = f"BROWSER TESTS NOT RUN: {reason} (apt-get install -y chromium fonts-noto-cjk)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's chromium through Playwright."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _serve(world: World) -> Iterator[str]:
    """uvicorn on a free loopback port, in a thread, for one world."""
    import uvicorn

    from wagewatch.web.app import create_app

    port = _free_port()
    config = uvicorn.Config(
        create_app(world.settings),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        ws="none",
        lifespan="off",
    )
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, World]]:
    """The app on a district of its own."""
    world = build_world(tmp_path_factory.mktemp("browser") / "home")
    with _serve(world) as base:
        yield base, world


class Tab:
    """A page with its console problems collected (CSP violations, script errors)."""

    def __init__(self, browser: Any, base: str) -> None:
        self.context = browser.new_context(
            viewport={"width": 1440, "height": 900}, locale="zh-CN", accept_downloads=True
        )
        self.page = self.context.new_page()
        self.base = base
        self.problems: list[str] = []
        self.page.on(
            "console",
            lambda m: self.problems.append(m.text) if m.type == "error" else None,
        )
        self.page.on("pageerror", lambda e: self.problems.append(str(e)))

    def login(self, username: str, password: str) -> None:
        """Sign in through the form."""
        self.page.goto(self.base + "/login")
        self.page.fill("#username", username)
        self.page.fill("#password", password)
        self.page.click("button[type=submit]")
        self.page.wait_for_load_state("networkidle")

    def shot(self, name: str) -> None:
        """A full-page screenshot when WAGEWATCH_SHOTS names a folder."""
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)

    def close(self) -> None:
        """Close the browser context."""
        self.context.close()


@pytest.fixture
def tab(browser: Any, server: tuple[str, World]) -> Iterator[Tab]:
    """A fresh browser context (no cookies) on the test server."""
    t = Tab(browser, server[0])
    yield t
    t.close()


def _bar_point(page: Any, chart_id: str, level: str, category: int) -> tuple[float, float]:
    """Page coordinates of the middle of one level's segment of one bar."""
    point = page.evaluate(
        """([id, level, category]) => {
            const el = document.getElementById(id);
            el.scrollIntoView({block: "center", behavior: "instant"});
            const chart = echarts.getInstanceByDom(el);
            const series = chart.getOption().series;
            const index = series.findIndex(s => s.id === level);
            let below = 0;
            for (let i = 0; i < index; i++) { below += series[i].data[category]; }
            const value = below + series[index].data[category] / 2;
            const [x, y] = chart.convertToPixel({seriesIndex: index}, [category, value]);
            const box = el.getBoundingClientRect();
            return [box.left + x, box.top + y];
        }""",
        [chart_id, level, category],
    )
    return float(point[0]), float(point[1])


def test_dashboard_charts_render_and_a_bar_click_opens_the_filtered_list(
    tab: Tab, server: tuple[str, World]
) -> None:
    _, world = server
    tab.login("leader", world.passwords["leader"])
    page = tab.page
    assert page.url.endswith("/")
    for chart in ("trend", "township", "industry"):
        page.wait_for_selector(f"#chart-{chart} canvas", timeout=10_000)
        page.wait_for_selector(f"#chart-{chart}[data-ready=true]", timeout=10_000)
    assert page.locator(".ww-stat-level").count() == 3
    tab.shot("dashboard")
    x, y = _bar_point(page, "chart-township", "red", 0)
    with page.expect_navigation():
        page.mouse.click(x, y)
    page.wait_for_load_state("networkidle")
    assert "township=" in page.url and "level=red" in page.url
    table = page.locator("[data-testid=warning-table]")
    assert EAST_RED in table.inner_text()
    assert EAST_ORANGE not in table.inner_text() and WEST_RED not in table.inner_text()
    assert page.locator("#f-township").input_value() == EAST
    tab.shot("warnings-filtered")
    assert tab.problems == []


def test_filter_form_updates_the_list_in_place(tab: Tab, server: tuple[str, World]) -> None:
    _, world = server
    tab.login("leader", world.passwords["leader"])
    page = tab.page
    page.goto(tab.base + "/warnings")
    page.select_option("#f-level", "orange")
    # expect() polls from Python: a string predicate would be eval'd in the page, which the
    # site's CSP (no unsafe-eval) refuses now and then.
    from playwright.sync_api import expect

    expect(page.locator("[data-testid=total]")).to_have_text("1", timeout=10_000)
    assert "level=orange" in page.url
    assert EAST_ORANGE in page.locator("[data-testid=warning-table]").inner_text()
    assert tab.problems == []


def test_enterprise_file_shows_the_clause_that_fired(tab: Tab, server: tuple[str, World]) -> None:
    _, world = server
    tab.login("leader", world.passwords["leader"])
    page = tab.page
    page.goto(tab.base + "/warnings?level=red&sort=name&order=asc")
    page.click(f"text={EAST_RED}")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=enterprise-name]").inner_text() == EAST_RED
    clause = page.locator("[data-testid=clause]").first.inner_text()
    assert clause.startswith("存在3个月以上或10人以上欠薪")
    assert "138****5678" in page.locator("[data-testid=contact-phone]").inner_text()
    tab.shot("enterprise")
    assert tab.problems == []


def test_upload_with_a_bad_row_and_download_the_rejected_rows(
    tab: Tab, server: tuple[str, World], tmp_path: Path
) -> None:
    _, world = server
    tab.login("township", world.passwords["township"])
    page = tab.page
    page.goto(tab.base + "/imports")
    upload = tmp_path / "东镇投诉.csv"
    upload.write_bytes(complaints_with_a_bad_row())
    page.set_input_files("#file", str(upload))
    page.click("#upload-form button[type=submit]")
    page.wait_for_selector("[data-testid=import-summary]")
    assert page.locator("[data-testid=rows-in]").inner_text() == "3"
    assert page.locator("[data-testid=rows-imported]").inner_text() == "2"
    assert page.locator("[data-testid=rows-rejected]").inner_text() == "1"
    tab.shot("import")
    with page.expect_download() as info:
        page.click("[data-testid=rejected-download]")
    saved = tmp_path / "rejected.csv"
    info.value.save_as(saved)
    assert BAD_DATE in saved.read_bytes().decode("utf-8-sig")
    assert tab.problems == []


def test_township_user_is_refused_another_townships_enterprise(
    tab: Tab, server: tuple[str, World]
) -> None:
    _, world = server
    tab.login("township", world.passwords["township"])
    response = tab.page.goto(tab.base + f"/enterprises/{world.ids[WEST_RED]}")
    assert response is not None and response.status == 403
    body = tab.page.inner_text("body")
    assert "无权访问" in body and "不在您的管辖范围内" in body
    assert WEST_RED not in tab.page.content()
    tab.shot("refused")


def test_audit_log_page_and_chain_check(tab: Tab, server: tuple[str, World]) -> None:
    _, world = server
    tab.login("auditor", world.passwords["auditor"])
    page = tab.page
    page.goto(tab.base + "/audit")
    assert page.locator("[data-testid=audit-table] tbody tr").count() >= 1
    page.click("[data-testid=verify]")
    page.wait_for_load_state("networkidle")
    assert "完整" in page.locator("[data-testid=chain]").inner_text()
    tab.shot("audit")
    assert tab.problems == []


def test_security_admin_resets_a_password_from_the_users_page(
    tab: Tab, server: tuple[str, World]
) -> None:
    _, world = server
    tab.login("secadmin", world.passwords["secadmin"])
    page = tab.page
    page.goto(tab.base + "/admin")
    page.click("[data-testid=actions-employment] summary")
    tab.shot("security-actions")
    page.click("[data-testid=actions-employment] button:has-text('重置密码')")
    page.wait_for_load_state("networkidle")
    assert "一次性密码" in page.locator("[data-testid=one-time-password]").inner_text()
    tab.shot("security-reset")
    assert tab.problems == []


def test_review_queue_confirm_a_candidate(tab: Tab, server: tuple[str, World]) -> None:
    from tests.web.helpers import REVIEW_WEST, add_review_items

    _, world = server  # confirms a row for the west red enterprise: no level changes
    items = add_review_items(world)
    tab.login("inspector", world.passwords["inspector"])
    page = tab.page
    page.click("a.ww-nav[href='/reviews']")
    page.wait_for_load_state("networkidle")
    row = page.locator(f"[data-testid=review-{items[REVIEW_WEST]}]")
    assert WEST_RED in row.inner_text()
    tab.shot("reviews")
    row.locator("button:has-text('确认是此企业')").click()
    page.wait_for_load_state("networkidle")
    assert WEST_RED in page.locator("[data-testid=decided]").inner_text()
    tab.shot("reviews-decided")
    assert tab.problems == []


def test_cluster_warnings_on_the_dashboard(
    browser: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from tests.web.helpers import cluster_world

    world = cluster_world(build_world(tmp_path_factory.mktemp("xuanen") / "home"))
    with _serve(world) as base:
        tab = Tab(browser, base)
        try:
            tab.login("leader", world.passwords["leader"])
            page = tab.page
            card = page.locator("[data-testid='cluster-建筑业']")
            assert "二级" in card.inner_text() and "2 小时内上报" in card.inner_text()
            tab.shot("clusters-dashboard")
            page.goto(base + "/warnings")
            assert page.locator("[data-testid='cluster-制造业']").count() == 1
            tab.shot("clusters-warnings")
            assert tab.problems == []
        finally:
            tab.close()
