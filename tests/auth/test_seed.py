"""The demo organisation: units, one user per role, generated passwords that work."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.auth.helpers import T0, TOWNSHIPS, Org
from wagewatch.auth.models import OrgUnit, User
from wagewatch.auth.roles import roles
from wagewatch.auth.seed import seed_demo_org
from wagewatch.auth.service import authenticate, check_password, verify_audit_chain


def test_one_user_per_role_with_a_working_password(org: Org) -> None:
    s = org.session
    users = s.scalars(select(User)).all()
    assert sorted(u.role or "" for u in users) == sorted(r.code for r in roles())
    for username, password in org.passwords.items():
        assert check_password(password, username) == []
        assert authenticate(s, username, password, now=T0).ok, username


def test_the_units_cover_townships_departments_and_industries(org: Org) -> None:
    units = {u.name: u for u in org.session.scalars(select(OrgUnit))}
    assert [units[t].township for t in TOWNSHIPS] == TOWNSHIPS
    for name in ("行政执法科", "劳动关系科", "信访办", "仲裁院", "就业促进中心"):
        assert units[name].kind == "department"
    assert units["住建局"].industries == ["建筑业"]
    assert {units[n].kind for n in ("住建局", "交通局", "水利局")} == {"industry_authority"}
    assert org.user("township").org_unit is units["东镇"]


def test_the_list_names_each_role_in_chinese(session: Session) -> None:
    credentials = seed_demo_org(session, ["东镇"], now=T0)
    labels = {label for _, label, _ in credentials}
    assert {"系统管理员", "安全管理员", "审计管理员", "镇街", "行业主管部门"} <= labels
    assert len({password for _, _, password in credentials}) == len(credentials)


def test_seeding_again_refreshes_passwords_and_keeps_the_units(org: Org) -> None:
    s = org.session
    again = {u: p for u, _, p in seed_demo_org(s, TOWNSHIPS, now=T0)}
    assert set(again) == set(org.passwords)
    assert all(again[u] != org.passwords[u] for u in again)
    assert not authenticate(s, "leader", org.passwords["leader"], now=T0).ok
    assert authenticate(s, "leader", again["leader"], now=T0).ok
    assert s.scalar(select(OrgUnit).where(OrgUnit.code == "township-04")) is None
    assert verify_audit_chain(s) is None
