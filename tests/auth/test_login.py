"""Sign-in, lockout, sessions: idle and absolute expiry, logout, forced sign-out."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from argon2 import PasswordHasher
from sqlalchemy import select

from tests.auth.helpers import T0, Org
from wagewatch.auth import service
from wagewatch.auth.models import AuditEntry, UserSession
from wagewatch.auth.service import (
    LOGIN_FAILED_MESSAGE,
    SYSTEM,
    authenticate,
    change_password,
    end_sessions,
    logout,
    resolve_session,
    set_password,
    update_user,
)


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def login_entries(org: Org) -> list[AuditEntry]:
    stmt = select(AuditEntry).where(AuditEntry.action == "auth.login").order_by(AuditEntry.id)
    return list(org.session.scalars(stmt))


def test_right_password_signs_in_and_resets_the_failure_count(org: Org) -> None:
    s = org.session
    authenticate(s, "inspector", "wrong-Password-1", now=T0)
    result = authenticate(s, "inspector", org.passwords["inspector"], "10.1.2.3", now=T0)
    assert result.ok and result.token and result.user is not None
    assert result.user.failed_logins == 0 and result.user.last_login_at is not None
    assert resolve_session(s, result.token, now=T0) is result.user


def test_username_is_case_and_space_insensitive(org: Org) -> None:
    assert authenticate(org.session, "  Inspector ", org.passwords["inspector"], now=T0).ok


def test_five_consecutive_failures_lock_even_the_right_password(org: Org) -> None:
    s = org.session
    for i in range(5):
        failed = authenticate(s, "inspector", "Wrong-guess-1", now=T0 + timedelta(seconds=i))
        assert not failed.ok and failed.message == LOGIN_FAILED_MESSAGE
    locked = authenticate(s, "inspector", org.passwords["inspector"], now=T0 + minutes(1))
    assert not locked.ok and locked.reason == "locked" and locked.token is None
    assert "锁定" in (locked.message or "")
    assert s.scalar(select(AuditEntry).where(AuditEntry.action == "auth.lockout")) is not None


def test_lock_releases_after_ten_minutes(org: Org) -> None:
    s = org.session
    for _ in range(5):
        authenticate(s, "leader", "Wrong-guess-1", now=T0)
    still = authenticate(
        s, "leader", org.passwords["leader"], now=T0 + minutes(10) - minutes(1 / 60)
    )
    assert still.reason == "locked"
    released = authenticate(s, "leader", org.passwords["leader"], now=T0 + minutes(10))
    assert released.ok


def test_attempts_during_the_lock_do_not_extend_it(org: Org) -> None:
    s = org.session
    for _ in range(5):
        authenticate(s, "leader", "Wrong-guess-1", now=T0)
    for m in range(1, 10):
        authenticate(s, "leader", "Wrong-guess-1", now=T0 + minutes(m))
    assert authenticate(s, "leader", org.passwords["leader"], now=T0 + minutes(10)).ok


def test_failures_must_be_consecutive_to_lock(org: Org) -> None:
    s = org.session
    for _ in range(4):
        authenticate(s, "leader", "Wrong-guess-1", now=T0)
    assert authenticate(s, "leader", org.passwords["leader"], now=T0).ok
    for _ in range(4):
        authenticate(s, "leader", "Wrong-guess-1", now=T0)
    assert authenticate(s, "leader", org.passwords["leader"], now=T0).ok


def test_failed_attempts_survive_the_commit(org: Org) -> None:
    s = org.session
    for _ in range(5):
        authenticate(s, "leader", "Wrong-guess-1", now=T0)
        s.commit()
    s.expire_all()
    assert org.user("leader").locked_until is not None


def test_every_attempt_is_audited_including_unknown_users(org: Org) -> None:
    s = org.session
    authenticate(s, "nobody", "Whatever-1", "10.0.0.9", now=T0)
    authenticate(s, "leader", "Wrong-guess-1", "10.0.0.9", now=T0)
    authenticate(s, "leader", org.passwords["leader"], "10.0.0.9", now=T0)
    entries = login_entries(org)
    assert [(e.username, e.result, e.details.get("reason")) for e in entries] == [
        ("nobody", "failure", "unknown_user"),
        ("leader", "failure", "bad_password"),
        ("leader", "success", None),
    ]
    assert all(e.source == "10.0.0.9" for e in entries)
    assert entries[0].user_id is None and entries[2].user_id == org.user("leader").id
    assert not any("Wrong-guess-1" in str(e.details) for e in entries)


class CountingHasher(PasswordHasher):
    """Counts argon2 verifications."""

    calls = 0

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:  # noqa: A002
        self.calls += 1
        return super().verify(hash, password)


def test_unknown_users_and_locked_accounts_cost_one_argon2_verification(org: Org) -> None:
    hasher = CountingHasher(time_cost=1, memory_cost=8, parallelism=1)
    service.use_password_hasher(hasher)
    s = org.session
    for username in ("nobody", "inspector"):
        hasher.calls = 0
        assert not authenticate(s, username, "Wrong-guess-1", now=T0).ok
        assert hasher.calls == 1
    for _ in range(5):
        authenticate(s, "leader", "Wrong-guess-1", now=T0)
    hasher.calls = 0
    assert authenticate(s, "leader", org.passwords["leader"], now=T0).reason == "locked"
    assert hasher.calls == 1


def test_every_failure_shows_the_same_message(org: Org) -> None:
    s = org.session
    update_user(s, org.user("sysadmin"), org.user("employment"), active=False, now=T0)
    unknown = authenticate(s, "nobody", "Wrong-guess-1", now=T0)
    wrong = authenticate(s, "leader", "Wrong-guess-1", now=T0)
    inactive = authenticate(s, "employment", org.passwords["employment"], now=T0)
    assert unknown.message == wrong.message == inactive.message == LOGIN_FAILED_MESSAGE
    assert (unknown.reason, wrong.reason, inactive.reason) == (
        "unknown_user",
        "bad_password",
        "inactive",
    )


def test_session_expires_after_thirty_idle_minutes(org: Org) -> None:
    s = org.session
    token = authenticate(s, "leader", org.passwords["leader"], now=T0).token
    assert resolve_session(s, token, now=T0 + minutes(29)) is not None
    # Active at 29 minutes, so idle is counted from there.
    assert resolve_session(s, token, now=T0 + minutes(58)) is not None
    assert resolve_session(s, token, now=T0 + minutes(58 + 31)) is None
    assert resolve_session(s, token, now=T0 + minutes(58 + 32)) is None  # stays dead
    row = s.scalar(select(UserSession))
    assert row is not None and row.revoked_reason == "idle"


def test_idle_limit_is_a_parameter(org: Org) -> None:
    s = org.session
    token = authenticate(s, "leader", org.passwords["leader"], now=T0).token
    assert resolve_session(s, token, 5, now=T0 + minutes(6)) is None


def test_session_ends_after_twelve_hours_however_active(org: Org) -> None:
    s = org.session
    token = authenticate(s, "leader", org.passwords["leader"], now=T0).token
    t = T0
    while t < T0 + timedelta(hours=12) - minutes(20):
        t += minutes(20)
        assert resolve_session(s, token, now=t) is not None
    assert resolve_session(s, token, now=T0 + timedelta(hours=12)) is None


def test_logout_kills_the_session(org: Org) -> None:
    s = org.session
    token = authenticate(s, "township", org.passwords["township"], now=T0).token
    assert logout(s, token, source="10.0.0.1", now=T0 + minutes(1))
    assert resolve_session(s, token, now=T0 + minutes(1)) is None
    assert not logout(s, token, now=T0 + minutes(2))
    entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "auth.logout"))
    assert entry is not None and entry.username == "township"


def test_unknown_or_empty_tokens_resolve_to_nobody(org: Org) -> None:
    assert resolve_session(org.session, None, now=T0) is None
    assert resolve_session(org.session, "", now=T0) is None
    assert resolve_session(org.session, "forged-token", now=T0) is None


def test_only_a_hash_of_the_token_is_stored(org: Org) -> None:
    token = authenticate(org.session, "leader", org.passwords["leader"], now=T0).token
    assert token is not None
    row = org.session.scalar(select(UserSession))
    assert row is not None and token not in row.token_hash and len(row.token_hash) == 64


def test_deactivating_a_user_ends_their_sessions(org: Org) -> None:
    s = org.session
    token = authenticate(s, "petition", org.passwords["petition"], now=T0).token
    update_user(s, org.user("sysadmin"), org.user("petition"), active=False, now=T0)
    assert resolve_session(s, token, now=T0 + minutes(1)) is None
    assert authenticate(s, "petition", org.passwords["petition"], now=T0).reason == "inactive"


def test_forced_sign_out_by_the_security_admin(org: Org) -> None:
    s = org.session
    tokens = [authenticate(s, "leader", org.passwords["leader"], now=T0).token for _ in range(2)]
    assert end_sessions(s, org.user("secadmin"), org.user("leader"), now=T0) == 2
    assert all(resolve_session(s, t, now=T0) is None for t in tokens)


def test_password_reset_ends_sessions_and_forces_a_change(org: Org) -> None:
    s = org.session
    token = authenticate(s, "leader", org.passwords["leader"], now=T0).token
    set_password(s, org.user("secadmin"), org.user("leader"), "Reset-Pass-2026", now=T0)
    assert resolve_session(s, token, now=T0) is None
    assert not authenticate(s, "leader", org.passwords["leader"], now=T0).ok
    fresh = authenticate(s, "leader", "Reset-Pass-2026", now=T0)
    assert fresh.ok and fresh.user is not None and fresh.user.must_change_password


def test_changing_ones_own_password_keeps_this_session_and_ends_the_others(org: Org) -> None:
    s = org.session
    here = authenticate(s, "leader", org.passwords["leader"], now=T0).token
    there = authenticate(s, "leader", org.passwords["leader"], now=T0).token
    change_password(
        s, org.user("leader"), org.passwords["leader"], "Brand-New-Pass-9", keep_token=here, now=T0
    )
    assert resolve_session(s, here, now=T0) is not None
    assert resolve_session(s, there, now=T0) is None
    assert authenticate(s, "leader", "Brand-New-Pass-9", now=T0).ok


def test_an_account_without_a_password_cannot_sign_in(org: Org) -> None:
    s = org.session
    user = service.create_user(
        s, SYSTEM, username="newcomer", display_name="新人", org_unit=org.user("leader").org_unit
    )
    assert user.password_hash is None
    assert authenticate(s, "newcomer", "", now=T0).reason == "no_password"
