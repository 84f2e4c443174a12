"""Roles as data, the separation of the three administrators, account management rules."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.auth.helpers import T0, Org, add_enterprise
from wagewatch.auth import roles
from wagewatch.auth.masking import unmask
from wagewatch.auth.models import OrgUnit
from wagewatch.auth.roles import OrgKind, Role, Scope, get_role, register_role
from wagewatch.auth.service import (
    SYSTEM,
    AccountError,
    PasswordPolicyError,
    PermissionDenied,
    assign_role,
    authenticate,
    can,
    create_org_unit,
    create_user,
    export_audit,
    grant_unmask,
    list_audit,
    lock_user,
    require,
    revoke_unmask,
    set_password,
    unlock_user,
    update_user,
)

BUILT_IN = {
    "system_admin": "系统管理员",
    "security_admin": "安全管理员",
    "audit_admin": "审计管理员",
    "leader": "局领导",
    "inspection": "劳动保障监察",
    "labour_relations": "劳动关系科",
    "township": "镇街",
    "industry_authority": "行业主管部门",
    "petition_office": "信访办",
    "arbitration": "仲裁院",
    "employment_centre": "就业促进中心",
}
ADMINS = ("system_admin", "security_admin", "audit_admin")
BUSINESS = ("warnings.read", "enterprises.read", "cases.read", "pii.unmask")


def unit(org: Org, code: str) -> OrgUnit:
    found = org.session.scalar(select(OrgUnit).where(OrgUnit.code == code))
    assert found is not None
    return found


def test_every_built_in_role_is_registered_with_its_chinese_label() -> None:
    assert {r.code: r.label for r in roles.roles()} == BUILT_IN
    assert all(p.label and not p.label.isascii() for p in roles.permissions())


@pytest.mark.parametrize("code", ADMINS)
def test_no_administrator_reads_business_or_personal_data(code: str) -> None:
    role = get_role(code)
    assert role.administrative and role.scope is Scope.NONE
    assert not role.permissions & set(BUSINESS)


def test_the_three_administrators_share_no_permission() -> None:
    sets = [get_role(code).permissions for code in ADMINS]
    assert not (sets[0] & sets[1] or sets[0] & sets[2] or sets[1] & sets[2])


def test_only_the_audit_admin_reads_the_audit_log() -> None:
    readers = {r.code for r in roles.roles() if r.has("audit.read") or r.has("audit.export")}
    assert readers == {"audit_admin"}


def test_system_admin_cannot_read_the_audit_log_or_unmask(org: Org) -> None:
    s, admin = org.session, org.user("sysadmin")
    ent = add_enterprise(s, "甲公司", "东镇", "建筑业", contact_phone="13812345678")
    assert not can(admin, "audit.read") and not can(admin, "pii.unmask")
    with pytest.raises(PermissionDenied, match="查看审计日志"):
        list_audit(s, admin)
    with pytest.raises(PermissionDenied, match="导出审计日志"):
        export_audit(s, admin, now=T0)
    with pytest.raises(PermissionDenied, match="个人信息"):
        unmask(s, admin, ent, ["contact_phone"], "核实")


def test_security_admin_cannot_read_the_audit_log_or_business_data(org: Org) -> None:
    sec = org.user("secadmin")
    for permission in ("audit.read", "audit.export", *BUSINESS):
        assert not can(sec, permission)


def test_audit_admin_can_read_the_log_but_not_manage_accounts(org: Org) -> None:
    s, auditor = org.session, org.user("auditor")
    assert list_audit(s, auditor)
    with pytest.raises(PermissionDenied):
        lock_user(s, auditor, org.user("leader"), reason="测试", now=T0)
    with pytest.raises(PermissionDenied):
        set_password(s, auditor, org.user("leader"), "Another-Pass-1", now=T0)


def test_require_names_the_missing_permission_in_chinese(org: Org) -> None:
    with pytest.raises(PermissionDenied) as caught:
        require(org.user("leader"), "cases.write")
    assert "办理台账" in caught.value.message and caught.value.permission == "cases.write"


def test_system_admin_creates_accounts_but_cannot_arm_them(org: Org) -> None:
    s, admin, sec = org.session, org.user("sysadmin"), org.user("secadmin")
    office = unit(org, "dept-inspection")
    with pytest.raises(PermissionDenied):
        create_user(
            s, admin, username="wang", display_name="王五", org_unit=office, role="inspection"
        )
    with pytest.raises(PermissionDenied):
        create_user(
            s, admin, username="wang", display_name="王五", org_unit=office, password="Good-Pass-1"
        )
    user = create_user(s, admin, username="wang", display_name="王五", org_unit=office, now=T0)
    assert user.role is None and not can(user, "warnings.read")
    assign_role(s, sec, user, "inspection", now=T0)
    set_password(s, sec, user, "Good-Pass-123", now=T0)
    assert can(user, "warnings.read") and authenticate(s, "wang", "Good-Pass-123", now=T0).ok


def test_security_admin_cannot_touch_user_fields_or_org_units(org: Org) -> None:
    s, sec = org.session, org.user("secadmin")
    with pytest.raises(PermissionDenied):
        update_user(s, sec, org.user("leader"), display_name="改名", now=T0)
    with pytest.raises(PermissionDenied):
        create_org_unit(s, sec, code="x", name="某科", kind="department", now=T0)


def test_nobody_changes_their_own_role_or_grants_themselves(org: Org) -> None:
    s, sec = org.session, org.user("secadmin")
    with pytest.raises(PermissionDenied, match="自己"):
        assign_role(s, sec, sec, "audit_admin", now=T0)
    with pytest.raises(PermissionDenied, match="修改密码"):
        set_password(s, sec, sec, "Another-Pass-1", now=T0)
    with pytest.raises(AccountError, match="自己"):
        update_user(s, org.user("sysadmin"), org.user("sysadmin"), active=False, now=T0)


def test_a_role_must_fit_the_unit(org: Org) -> None:
    s = org.session
    with pytest.raises(AccountError, match="镇街"):
        create_user(
            s,
            SYSTEM,
            username="li",
            display_name="李四",
            org_unit=unit(org, "dept-petition"),
            role="township",
        )
    with pytest.raises(AccountError):
        update_user(s, org.user("sysadmin"), org.user("township"), org_unit=unit(org, "district"))


def test_unmask_grant_is_time_limited_and_only_for_business_roles(org: Org) -> None:
    s, sec, leader = org.session, org.user("secadmin"), org.user("leader")
    assert not can(leader, "pii.unmask", now=T0)
    grant_unmask(s, sec, leader, until=T0 + timedelta(days=7), reason="专项督办", now=T0)
    assert can(leader, "pii.unmask", now=T0 + timedelta(days=6))
    assert not can(leader, "pii.unmask", now=T0 + timedelta(days=7))
    revoke_unmask(s, sec, leader, now=T0)
    assert not can(leader, "pii.unmask", now=T0)
    for admin in ("sysadmin", "auditor"):
        with pytest.raises(AccountError, match="管理员"):
            grant_unmask(s, sec, org.user(admin), until=T0 + timedelta(days=1), reason="x", now=T0)
    with pytest.raises(PermissionDenied):
        grant_unmask(s, org.user("sysadmin"), leader, until=T0 + timedelta(days=1), reason="x")


def test_moving_a_user_to_an_admin_role_drops_their_grant(org: Org) -> None:
    s, sec = org.session, org.user("secadmin")
    user = create_user(
        s,
        SYSTEM,
        username="zhao",
        display_name="赵六",
        org_unit=unit(org, "district"),
        role="leader",
        now=T0,
    )
    grant_unmask(s, sec, user, until=T0 + timedelta(days=1), reason="核查", now=T0)
    assign_role(s, SYSTEM, user, "system_admin", now=T0)
    assert user.unmask_granted_until is None and not can(user, "pii.unmask", now=T0)


def test_a_lock_by_the_security_admin_holds_until_unlocked(org: Org) -> None:
    s, sec = org.session, org.user("secadmin")
    lock_user(s, sec, org.user("leader"), reason="疑似账号被盗用", now=T0)
    later = T0 + timedelta(days=30)
    assert authenticate(s, "leader", org.passwords["leader"], now=later).reason == "locked"
    unlock_user(s, sec, org.user("leader"), now=later)
    assert authenticate(s, "leader", org.passwords["leader"], now=later).ok


def test_password_policy_is_enforced_on_reset(org: Org) -> None:
    with pytest.raises(PasswordPolicyError, match="至少 3 类"):
        set_password(org.session, org.user("secadmin"), org.user("leader"), "abcdefgh1", now=T0)


def test_inactive_users_hold_no_permission(org: Org) -> None:
    s = org.session
    update_user(s, org.user("sysadmin"), org.user("inspector"), active=False, now=T0)
    assert not can(org.user("inspector"), "warnings.read")


def test_a_deployment_can_register_its_own_role(org: Org, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(roles, "_ROLES", dict(roles._ROLES))
    register_role(
        Role(
            code="grid_worker",
            label="网格员",
            permissions=frozenset({"inspections.feedback", "enterprises.read"}),
            scope=Scope.TOWNSHIP,
            org_kinds=frozenset({OrgKind.TOWNSHIP}),
        )
    )
    user = create_user(
        org.session,
        SYSTEM,
        username="grid1",
        display_name="网格员一",
        org_unit=unit(org, "township-01"),
        role="grid_worker",
        now=T0,
    )
    assert can(user, "inspections.feedback") and not can(user, "cases.write")
    with pytest.raises(ValueError, match="already registered"):
        register_role(get_role("leader"))
    with pytest.raises(ValueError, match="unknown permissions"):
        register_role(
            Role("bad", "坏", frozenset({"nope.do"}), Scope.NONE, frozenset({OrgKind.DISTRICT}))
        )


def test_a_role_removed_from_the_registry_grants_nothing(
    org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(roles, "_ROLES", {k: v for k, v in roles._ROLES.items() if k != "leader"})
    assert not can(org.user("leader"), "warnings.read")


def test_no_administrator_can_take_over_another_administrators_account(org: Org) -> None:
    s, sec, admin = org.session, org.user("secadmin"), org.user("sysadmin")
    auditor, leader = org.user("auditor"), org.user("leader")
    with pytest.raises(PermissionDenied, match="三权分立"):
        set_password(s, sec, auditor, "Takeover-Pass-1", now=T0)
    with pytest.raises(PermissionDenied, match="三权分立"):
        assign_role(s, sec, leader, "audit_admin", now=T0)
    with pytest.raises(PermissionDenied, match="三权分立"):
        assign_role(s, sec, auditor, "leader", now=T0)
    with pytest.raises(PermissionDenied, match="三权分立"):
        lock_user(s, sec, auditor, reason="x", now=T0)
    with pytest.raises(PermissionDenied, match="三权分立"):
        update_user(s, admin, auditor, active=False, now=T0)
    assert authenticate(s, "auditor", org.passwords["auditor"], now=T0).ok
    # The server's command line (SYSTEM) can, e.g. when the audit administrator forgets.
    set_password(s, SYSTEM, auditor, "Recovered-Pass-1", now=T0)
    assert authenticate(s, "auditor", "Recovered-Pass-1", now=T0).ok
