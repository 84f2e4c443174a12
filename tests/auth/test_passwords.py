"""The password policy (reasons in Chinese), argon2id storage, generated passwords."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher, extract_parameters
from argon2.low_level import Type
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.auth.helpers import T0, Org
from wagewatch.auth.service import (
    AuthenticationFailed,
    PasswordPolicyError,
    change_password,
    check_password,
    generate_password,
    set_password,
    use_password_hasher,
)


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Ab1!", "长度至少 8 位（当前 4 位）"),
        ("abcdefghij", "至少 3 类（当前 1 类：小写字母）"),
        ("abcdefgh12", "至少 3 类（当前 2 类：小写字母、数字）"),
        ("ABCDEFGH!!", "至少 3 类（当前 2 类：大写字母、特殊符号）"),
        ("Leader-2026x", "不能包含用户名"),
        ("Aa1!" * 40, "不能超过 128 位"),
    ],
)
def test_a_weak_password_is_refused_with_the_reason(password: str, reason: str) -> None:
    problems = check_password(password, "leader")
    assert any(reason in p for p in problems), problems


@pytest.mark.parametrize(
    "password", ["abcdEF12", "abcdefg1!", "ABCDEFG1!", "Abcdefg!", "密码Abc12345"]
)
def test_three_classes_and_eight_characters_are_enough(password: str) -> None:
    assert check_password(password, "leader") == []


def test_the_refusal_says_why_in_chinese(org: Org) -> None:
    with pytest.raises(PasswordPolicyError) as caught:
        set_password(org.session, org.user("secadmin"), org.user("leader"), "short", now=T0)
    message = str(caught.value)
    assert message.startswith("密码不符合要求：") and "暴力破解" in message
    assert len(caught.value.problems) == 2


def test_passwords_are_stored_as_argon2id(org: Org, fast_hasher: PasswordHasher) -> None:
    use_password_hasher(fast_hasher)  # the production parameters, once
    user = org.user("leader")
    set_password(org.session, org.user("secadmin"), user, "Stored-Pass-2026", now=T0)
    assert user.password_hash is not None and "Stored-Pass-2026" not in user.password_hash
    params = extract_parameters(user.password_hash)
    assert params.type is Type.ID and params.memory_cost >= 19 * 1024


def test_a_password_change_needs_the_current_password(org: Org) -> None:
    with pytest.raises(AuthenticationFailed, match="原密码"):
        change_password(org.session, org.user("leader"), "Not-the-one-1", "Brand-New-Pass-9")
    with pytest.raises(PasswordPolicyError, match="相同"):
        pw = org.passwords["leader"]
        change_password(org.session, org.user("leader"), pw, pw)


@settings(max_examples=50)
@given(st.integers(min_value=8, max_value=64))
def test_generated_passwords_meet_the_policy(length: int) -> None:
    password = generate_password(length)
    assert len(password) == length and check_password(password) == []


def test_generated_passwords_differ() -> None:
    assert len({generate_password() for _ in range(50)}) == 50
