"""The inbox: one row per active business user of a unit (never the three administrators),
unread counts and marking read; outbound channels get the message only after commit."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.cases.conftest import T0, World, complain
from wagewatch.auth.models import OrgUnit, User
from wagewatch.auth.service import SYSTEM, create_user
from wagewatch.notify.channels import WebhookChannel, register_channel
from wagewatch.notify.models import Notification
from wagewatch.notify.service import inbox, mark_read, notify_units, unread_count


def unit_id(w: World, code: str) -> int:
    u = w.s.scalar(select(OrgUnit).where(OrgUnit.code == code))
    assert u is not None
    return u.id


def recipients(w: World) -> list[str]:
    rows = w.s.execute(
        select(User.username)
        .join(Notification, Notification.user_id == User.id)
        .order_by(User.username)
    )
    return [r[0] for r in rows]


def tell(w: World, codes: list[str], title: str = "新台账：乙精密制造有限公司") -> int:
    return notify_units(
        w.s,
        [unit_id(w, c) for c in codes],
        event_code="case.opened",
        title=title,
        body="请在期限内核实处置。",
        link="/cases/1",
        now=T0,
    )


def test_one_row_per_active_business_user_never_the_administrators(world: World) -> None:
    east = world.s.get(OrgUnit, unit_id(world, "township-01"))
    assert east is not None
    second = create_user(
        world.s,
        SYSTEM,
        username="dongzhen2",
        display_name="东镇二",
        org_unit=east,
        role="township",
        now=T0,
    )
    gone = create_user(
        world.s,
        SYSTEM,
        username="dongzhen3",
        display_name="东镇三",
        org_unit=east,
        role="township",
        now=T0,
    )
    gone.active = False
    world.s.flush()
    # the district unit holds the three administrators and the leader
    district_users = world.s.scalars(
        select(User.username).where(User.org_unit_id == unit_id(world, "district"))
    ).all()
    assert {"sysadmin", "secadmin", "auditor", "leader"} <= set(district_users)
    n = tell(world, ["district", "township-01", "township-01", "dept-inspection"])
    assert n == 4
    assert recipients(world) == ["dongzhen2", "inspector", "leader", "township"]
    row = world.s.scalar(select(Notification).where(Notification.user_id == second.id))
    assert row is not None
    assert (row.event, row.title, row.body, row.link, row.read_at) == (
        "case.opened",
        "新台账：乙精密制造有限公司",
        "请在期限内核实处置。",
        "/cases/1",
        None,
    )
    # a unit without users, or none at all, tells nobody
    assert tell(world, ["township-03"]) == 0
    assert notify_units(world.s, [None], event_code="x", title="x", body="", link="") == 0
    assert world.s.scalar(select(func.count()).select_from(Notification)) == 4


def test_unread_count_and_mark_read(world: World) -> None:
    town, leader = world.user("township"), world.user("leader")
    for i in range(3):
        tell(world, ["township-01", "district"], title=f"消息{i}")
    assert unread_count(world.s, town) == 3 and unread_count(world.s, leader) == 3
    newest_first = inbox(world.s, town)
    assert [n.title for n in newest_first] == ["消息2", "消息1", "消息0"]
    assert len(inbox(world.s, town, limit=2)) == 2
    first = newest_first[-1]
    assert mark_read(world.s, town, [first.id], now=T0) == 1
    assert unread_count(world.s, town) == 2
    assert mark_read(world.s, town, [first.id], now=T0) == 0  # already read
    # nobody marks another user's messages
    theirs = inbox(world.s, leader)[0]
    assert mark_read(world.s, town, [theirs.id], now=T0) == 0
    assert unread_count(world.s, leader) == 3
    assert mark_read(world.s, town, now=T0) == 2
    assert unread_count(world.s, town) == 0
    assert unread_count(world.s, leader) == 3


class _Hook(BaseHTTPRequestHandler):
    received: list[dict[str, Any]]

    def do_POST(self) -> None:  # noqa: N802 (the http.server name)
        size = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(size).decode("utf-8"))
        self.server.received.append(body)  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"errcode": 0, "errmsg": "ok"}')

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@pytest.fixture
def hook() -> Iterator[HTTPServer]:
    server = HTTPServer(("127.0.0.1", 0), _Hook)
    server.received = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_a_webhook_gets_the_message_only_after_commit(world: World, hook: HTTPServer) -> None:
    host, port = hook.server_address[:2]
    register_channel(WebhookChannel(f"http://{host}:{port}/hook", "json", key="test-hook"))
    received: list[dict[str, Any]] = hook.received  # type: ignore[attr-defined]
    tell(world, ["township-01", "district"])
    world.s.flush()
    assert received == []  # written, not committed: nobody is told yet
    world.s.commit()
    assert len(received) == 1  # one message for the unit's users, not one per user
    msg = received[0]
    assert msg["title"] == "新台账：乙精密制造有限公司"
    assert (msg["body"], msg["link"], msg["event"]) == (
        "请在期限内核实处置。",
        "/cases/1",
        "case.opened",
    )

    # a rolled-back change tells nobody, now or at a later commit
    tell(world, ["township-01"], title="不应发出的消息")
    world.s.rollback()
    assert world.s.scalar(select(func.count()).select_from(Notification)) == 2
    world.s.commit()
    assert len(received) == 1
    # and a unit nobody reads sends nothing
    tell(world, ["township-03"])
    world.s.commit()
    assert len(received) == 1


def test_a_channel_that_is_down_never_fails_the_commit(world: World) -> None:
    # a port nobody listens on (bound, then closed)
    server = HTTPServer(("127.0.0.1", 0), _Hook)
    host, port = server.server_address[:2]
    server.server_close()
    register_channel(
        WebhookChannel(f"http://{host}:{port}/hook", "json", key="down-hook", timeout=1)
    )
    tell(world, ["township-01"])
    world.s.commit()
    assert world.s.scalar(select(func.count()).select_from(Notification)) == 1


def test_a_case_message_names_its_level_in_words(world: World, hook: HTTPServer) -> None:
    host, port = hook.server_address[:2]
    register_channel(WebhookChannel(f"http://{host}:{port}/robot", "wecom", key="test-wecom"))
    received: list[dict[str, Any]] = hook.received  # type: ignore[attr-defined]
    complain(world, "乙精密制造有限公司", "2", "3")
    texts = [m["markdown"]["content"] for m in received]
    opened = [t for t in texts if "新台账" in t]
    assert len(opened) == 1
    assert "预警等级：橙色" in opened[0]
    assert "预警等级：orange" not in opened[0]
