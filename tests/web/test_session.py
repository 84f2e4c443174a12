"""Sign-in, sign-out, lockout, CSRF refusal, security headers, login redirects."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.web.helpers import World, csrf, login
from wagewatch.auth.models import AuditEntry
from wagewatch.auth.service import LOGIN_FAILED_MESSAGE, MAX_FAILED_LOGINS
from wagewatch.db.session import get_engine
from wagewatch.web.context import SESSION_COOKIE


def test_login_sets_httponly_lax_cookie_and_logout_ends_the_session(world: World) -> None:
    client = world.client()
    token = csrf(client)
    r = client.post(
        "/login",
        data={"username": "leader", "password": world.passwords["leader"], "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/"
    cookie = next(h for h in r.headers.get_list("set-cookie") if h.startswith(SESSION_COOKIE))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    home = client.get("/")
    assert home.status_code == 200 and "预警驾驶舱" in home.text and "局领导" in home.text
    r = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"
    client.cookies.delete(SESSION_COOKIE)
    assert client.get("/", follow_redirects=False).status_code == 303
    with Session(get_engine(world.settings.db_url)) as s:
        actions = [e.action for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions[-2:] == ["auth.login", "auth.logout"]


def test_session_cookie_is_secure_over_https(world: World) -> None:
    client = world.client()
    client.base_url = client.base_url.copy_with(scheme="https")
    token = csrf(client)
    r = client.post(
        "/login",
        data={"username": "leader", "password": world.passwords["leader"], "csrf_token": token},
        follow_redirects=False,
    )
    cookie = next(h for h in r.headers.get_list("set-cookie") if h.startswith(SESSION_COOKIE))
    assert "Secure" in cookie
    assert "strict-transport-security" in r.headers


def test_wrong_password_shows_the_message_and_is_kept(world: World) -> None:
    client = world.client()
    r = client.post(
        "/login", data={"username": "leader", "password": "nope", "csrf_token": csrf(client)}
    )
    assert r.status_code == 401
    assert LOGIN_FAILED_MESSAGE in r.text
    with Session(get_engine(world.settings.db_url)) as s:
        last = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert last is not None and (last.action, last.result) == ("auth.login", "failure")


def test_lockout_refuses_the_right_password_with_the_lockout_message(world: World) -> None:
    client = world.client()
    token = csrf(client)
    for _ in range(MAX_FAILED_LOGINS):
        r = client.post(
            "/login", data={"username": "township", "password": "x", "csrf_token": token}
        )
        assert r.status_code == 401
    r = client.post(
        "/login",
        data={"username": "township", "password": world.passwords["township"], "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 401
    assert "锁定" in r.text and LOGIN_FAILED_MESSAGE in r.text
    with Session(get_engine(world.settings.db_url)) as s:
        actions = {e.action for e in s.scalars(select(AuditEntry))}
    assert "auth.lockout" in actions


def test_post_without_csrf_token_is_refused(world: World) -> None:
    client = world.client()
    csrf(client)
    r = client.post("/login", data={"username": "leader", "password": world.passwords["leader"]})
    assert r.status_code == 403 and "安全校验未通过" in r.text
    assert SESSION_COOKIE not in client.cookies
    login(client, "inspector", world.passwords["inspector"])
    r = client.post("/imports", files={"file": ("a.csv", b"x,y\n1,2\n", "text/csv")})
    assert r.status_code == 403
    r = client.post(
        "/enterprises/1/unmask", data={"reason": "核实", "csrf_token": "forged-token-value"}
    )
    assert r.status_code == 403
    r = client.post("/api/v1/enterprises/1/unmask", json={"reason": "核实情况"})
    assert r.status_code == 403 and r.json()["detail"].startswith("安全校验未通过")


def test_post_from_another_origin_is_refused_even_with_the_token(world: World) -> None:
    client = world.client()
    r = client.post(
        "/login",
        data={
            "username": "leader",
            "password": world.passwords["leader"],
            "csrf_token": csrf(client),
        },
        headers={"origin": "http://evil.example"},
    )
    assert r.status_code == 403


def test_htmx_header_token_is_accepted(world: World) -> None:
    client = world.client()
    login(client, "inspector", world.passwords["inspector"])
    r = client.post(
        "/api/v1/enterprises/1/unmask",
        json={"reason": "联系企业核实欠薪"},
        headers={"x-csrf-token": csrf(client)},
    )
    assert r.status_code == 200


def test_pages_redirect_to_login_and_the_api_answers_401(world: World) -> None:
    client = world.client()
    r = client.get("/warnings?level=red", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/login?next=%2Fwarnings%3Flevel%3Dred"
    r = client.get("/api/v1/warnings")
    assert r.status_code == 401 and r.json()["detail"].startswith("您尚未登录")


def test_login_next_never_leaves_the_site(world: World) -> None:
    client = world.client()
    r = client.post(
        "/login",
        data={
            "username": "leader",
            "password": world.passwords["leader"],
            "next": "//evil.example/x",
            "csrf_token": csrf(client),
        },
        follow_redirects=False,
    )
    assert r.headers["location"] == "/"


def test_security_headers_on_every_page(shared_world: World) -> None:
    client = shared_world.client()
    r = client.get("/login")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["cache-control"] == "no-store"
    assert "<script>" not in r.text  # no inline scripts


def test_chinese_404_page_and_json_404(shared_world: World) -> None:
    client = shared_world.client()
    login(client, "leader", shared_world.passwords["leader"])
    r = client.get("/no-such-page")
    assert r.status_code == 404 and "页面不存在" in r.text
    r = client.get("/enterprises/999999")
    assert r.status_code == 404 and "企业不存在" in r.text
    r = client.get("/api/v1/enterprises/999999")
    assert r.status_code == 404 and r.json()["detail"] == "企业不存在。"


def test_admin_is_sent_to_administration_not_business_data(shared_world: World) -> None:
    client = shared_world.client()
    login(client, "sysadmin", shared_world.passwords["sysadmin"])
    r = client.get("/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/admin"
    assert client.get("/warnings").status_code == 403
    assert client.get("/api/v1/dashboard").status_code == 403


def test_reset_password_must_be_changed_before_anything_else(world: World) -> None:
    from wagewatch.auth.models import User
    from wagewatch.auth.service import SYSTEM, set_password

    with Session(get_engine(world.settings.db_url)) as s:
        user = s.scalars(select(User).where(User.username == "relations")).one()
        set_password(s, SYSTEM, user, "Reset-Pass-2026")
        s.commit()
    client = world.client()
    token = csrf(client)
    r = client.post(
        "/login",
        data={"username": "relations", "password": "Reset-Pass-2026", "csrf_token": token},
        follow_redirects=False,
    )
    assert r.headers["location"].startswith("/password")
    assert client.get("/warnings", follow_redirects=False).headers["location"] == "/password"
    assert client.get("/api/v1/warnings").status_code == 403
    r = client.post(
        "/password",
        data={
            "current": "Reset-Pass-2026",
            "new": "short",
            "confirm": "short",
            "csrf_token": token,
        },
    )
    assert r.status_code == 400 and "密码不符合要求" in r.text
    r = client.post(
        "/password",
        data={
            "current": "Reset-Pass-2026",
            "new": "Mine-Own-Pass-7",
            "confirm": "Mine-Own-Pass-7",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert client.get("/warnings").status_code == 200


def test_unexpected_error_gives_the_chinese_500_page(
    shared_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.web.helpers import TestClient
    from wagewatch.web.app import create_app
    from wagewatch.web.rules import pages

    def boom(rb: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(pages, "describe_rulebook", boom)
    client = TestClient(
        create_app(shared_world.settings),
        base_url="http://testserver",
        raise_server_exceptions=False,
    )
    login(client, "leader", shared_world.passwords["leader"])
    r = client.get("/rules")
    assert r.status_code == 500 and "系统内部错误" in r.text and "boom" not in r.text
