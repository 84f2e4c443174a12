"""安全管理: the security administrator's account actions, and nobody else's."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.web.helpers import World, csrf, login
from wagewatch.auth.models import AuditEntry, User
from wagewatch.db.session import get_engine

ACTIONS = ("role", "password", "lock", "unlock", "unmask", "unmask/revoke")


def _user(world: World, username: str) -> User:
    with Session(get_engine(world.settings.db_url)) as s:
        user = s.scalars(select(User).where(User.username == username)).one()
        s.expunge(user)
    return user


def _audit(world: World, action: str) -> list[AuditEntry]:
    with Session(get_engine(world.settings.db_url)) as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == action)))


@pytest.fixture
def secadmin(world: World):  # type: ignore[no-untyped-def]
    client = world.client()
    login(client, "secadmin", world.passwords["secadmin"])
    return client


def test_security_admin_sees_the_actions_on_business_accounts_only(secadmin) -> None:  # type: ignore[no-untyped-def]
    page = secadmin.get("/admin").text
    assert 'data-testid="actions-leader"' in page and "重置密码" in page
    assert 'data-testid="actions-auditor"' not in page  # admin accounts: command line only
    assert 'data-testid="actions-secadmin"' not in page
    assert "命令行维护" in page


def test_assign_role(world: World, secadmin) -> None:  # type: ignore[no-untyped-def]
    uid = _user(world, "relations").id
    r = secadmin.post(
        f"/admin/users/{uid}/role",
        data={"role": "inspection", "csrf_token": csrf(secadmin)},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/admin?done=role"
    assert "已分配角色" in secadmin.get("/admin?done=role").text
    assert _user(world, "relations").role == "inspection"
    entry = _audit(world, "users.role")[-1]
    assert entry.username == "secadmin" and entry.details["to"] == "inspection"
    # A role that does not fit the unit is refused in Chinese, nothing changes.
    tid = _user(world, "township").id
    r = secadmin.post(
        f"/admin/users/{tid}/role", data={"role": "leader", "csrf_token": csrf(secadmin)}
    )
    assert r.status_code == 400 and "只能属于" in r.text
    assert _user(world, "township").role == "township"


def test_reset_password_shows_the_one_time_password_once(world: World, secadmin) -> None:  # type: ignore[no-untyped-def]
    uid = _user(world, "leader").id
    r = secadmin.post(f"/admin/users/{uid}/password", data={"csrf_token": csrf(secadmin)})
    assert r.status_code == 200 and 'data-testid="one-time-password"' in r.text
    otp = r.text.split('ww-otp">', 1)[1].split("<", 1)[0]
    assert len(otp) >= 12
    assert otp not in secadmin.get("/admin").text  # shown once
    assert _user(world, "leader").must_change_password is True
    assert _audit(world, "users.password_reset")[-1].details == {"username": "leader"}
    assert otp not in str([e.details for e in _audit(world, "users.password_reset")])
    other = world.client()
    login(other, "leader", otp)
    assert other.get("/warnings", follow_redirects=False).headers["location"] == "/password"


def test_lock_and_unlock(world: World, secadmin) -> None:  # type: ignore[no-untyped-def]
    uid = _user(world, "petition").id
    token = csrf(secadmin)
    r = secadmin.post(f"/admin/users/{uid}/lock", data={"reason": "", "csrf_token": token})
    assert r.status_code == 400 and "原因" in r.text
    past = (date.today() - timedelta(days=2)).isoformat()
    r = secadmin.post(
        f"/admin/users/{uid}/lock", data={"reason": "离职", "until": past, "csrf_token": token}
    )
    assert r.status_code == 400 and "不早于今天" in r.text
    assert _user(world, "petition").locked_until is None
    r = secadmin.post(
        f"/admin/users/{uid}/lock",
        data={"reason": "离职交接", "until": "", "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert _user(world, "petition").locked_until is not None
    assert _audit(world, "users.lock")[-1].details["reason"] == "离职交接"
    assert f'action="/admin/users/{uid}/unlock"' in secadmin.get("/admin").text
    r = secadmin.post(
        f"/admin/users/{uid}/unlock", data={"csrf_token": token}, follow_redirects=False
    )
    assert r.status_code == 303 and _user(world, "petition").locked_until is None
    assert _audit(world, "users.unlock")


def test_grant_and_revoke_unmask(world: World, secadmin) -> None:  # type: ignore[no-untyped-def]
    uid = _user(world, "leader").id
    token = csrf(secadmin)
    until = (date.today() + timedelta(days=7)).isoformat()
    r = secadmin.post(
        f"/admin/users/{uid}/unmask",
        data={"reason": "专项核查", "until": until, "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert _user(world, "leader").unmask_granted_until is not None
    assert "明文授权至" in secadmin.get("/admin").text
    assert _audit(world, "users.unmask_grant")[-1].details["reason"] == "专项核查"
    past = (date.today() - timedelta(days=3)).isoformat()
    r = secadmin.post(
        f"/admin/users/{uid}/unmask",
        data={"reason": "专项核查", "until": past, "csrf_token": token},
    )
    assert r.status_code == 400 and "晚于当前时间" in r.text
    r = secadmin.post(f"/admin/users/{uid}/unmask", data={"reason": "x", "csrf_token": token})
    assert r.status_code == 400 and "截止日期" in r.text
    r = secadmin.post(
        f"/admin/users/{uid}/unmask/revoke", data={"csrf_token": token}, follow_redirects=False
    )
    assert r.status_code == 303 and _user(world, "leader").unmask_granted_until is None
    assert _audit(world, "users.unmask_revoke")


def test_admin_accounts_are_refused_even_by_a_forged_post(world: World, secadmin) -> None:  # type: ignore[no-untyped-def]
    uid = _user(world, "auditor").id
    r = secadmin.post(f"/admin/users/{uid}/password", data={"csrf_token": csrf(secadmin)})
    assert r.status_code == 403 and "三权分立" in r.text
    assert _audit(world, "users.password_reset") == []


def test_system_admin_sees_no_actions_and_forged_posts_get_403(world: World) -> None:
    client = world.client()
    login(client, "sysadmin", world.passwords["sysadmin"])
    page = client.get("/admin").text
    assert (
        "<th>安全管理</th>" not in page
        and "重置密码" not in page
        and 'data-testid="actions-' not in page
    )
    uid = _user(world, "leader").id
    before = len(_audit(world, "access.denied"))
    until = (date.today() + timedelta(days=7)).isoformat()
    data = {"role": "inspection", "reason": "x", "until": until, "csrf_token": csrf(client)}
    for action in ACTIONS:
        r = client.post(f"/admin/users/{uid}/{action}", data=data)
        assert r.status_code == 403, (action, r.status_code)
        assert "一次性密码" not in r.text
    leader = _user(world, "leader")
    assert leader.role == "leader" and leader.locked_until is None
    assert leader.unmask_granted_until is None and not leader.must_change_password
    denied = _audit(world, "access.denied")[before:]
    assert len(denied) == len(ACTIONS) and {e.username for e in denied} == {"sysadmin"}


@pytest.mark.parametrize("username", ["auditor", "leader", "inspector", "township"])
def test_other_roles_get_403_on_every_action(world: World, username: str) -> None:
    client = world.client()
    login(client, username, world.passwords[username])
    uid = _user(world, "relations").id
    for action in ACTIONS:
        r = client.post(
            f"/admin/users/{uid}/{action}",
            data={"role": "", "reason": "x", "until": "2099-01-01", "csrf_token": csrf(client)},
        )
        assert r.status_code == 403, (username, action)


def test_actions_need_the_csrf_token(world: World, secadmin) -> None:  # type: ignore[no-untyped-def]
    uid = _user(world, "leader").id
    r = secadmin.post(f"/admin/users/{uid}/password", data={})
    assert r.status_code == 403 and "安全校验未通过" in r.text
    assert _user(world, "leader").must_change_password is False


def test_unknown_account_is_404_for_the_security_admin(secadmin) -> None:  # type: ignore[no-untyped-def]
    r = secadmin.post("/admin/users/99999/unlock", data={"csrf_token": csrf(secadmin)})
    assert r.status_code == 404
