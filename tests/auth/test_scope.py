"""Data scope: townships see their own enterprises, industry authorities their industries."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from tests.auth.helpers import T0, Org, add_enterprise, new_engine
from wagewatch.alerts.models import Warning
from wagewatch.auth.models import User
from wagewatch.auth.service import SYSTEM, create_org_unit, create_user, in_scope, scope_filter
from wagewatch.enterprises.models import Enterprise

TOWNS = ["东镇", "西镇", "南镇", "北街道", "东镇街道", "工业园区"]
INDUSTRIES = ["建筑业", "交通运输业", "水利工程", "制造业", "餐饮住宿"]

registries = st.lists(
    st.tuples(st.sampled_from([*TOWNS, None]), st.sampled_from([*INDUSTRIES, None])),
    max_size=25,
)


def visible(session: Session, user: User | None) -> list[Enterprise]:
    return list(session.scalars(select(Enterprise).where(scope_filter(user))))


def fill(session: Session, rows: list[tuple[str | None, str | None]]) -> None:
    for i, (town, industry) in enumerate(rows):
        add_enterprise(session, f"企业{i}", town, industry)


@settings(max_examples=40, deadline=None)
@given(rows=registries, town=st.sampled_from(TOWNS))
def test_township_scope_never_returns_another_townships_enterprise(
    rows: list[tuple[str | None, str | None]], town: str
) -> None:
    engine = new_engine()
    with Session(engine) as s:
        fill(s, rows)
        unit = create_org_unit(s, SYSTEM, code="t", name=town, kind="township", township=town)
        user = create_user(
            s, SYSTEM, username="town", display_name="镇街", org_unit=unit, role="township"
        )
        seen = visible(s, user)
        assert all(e.township == town for e in seen)
        assert len(seen) == sum(1 for t, _ in rows if t == town)
        everyone = s.scalars(select(Enterprise)).all()
        assert {e.id for e in everyone if in_scope(user, e)} == {e.id for e in seen}
    engine.dispose()


@settings(max_examples=40, deadline=None)
@given(rows=registries, covered=st.sets(st.sampled_from(INDUSTRIES), min_size=1, max_size=3))
def test_industry_authority_sees_only_its_industries(
    rows: list[tuple[str | None, str | None]], covered: set[str]
) -> None:
    engine = new_engine()
    with Session(engine) as s:
        fill(s, rows)
        unit = create_org_unit(
            s, SYSTEM, code="i", name="主管局", kind="industry_authority", industries=covered
        )
        user = create_user(
            s, SYSTEM, username="ind", display_name="主管", org_unit=unit, role="industry_authority"
        )
        seen = visible(s, user)
        assert all(e.industry in covered for e in seen)
        assert len(seen) == sum(1 for _, i in rows if i in covered)
        everyone = s.scalars(select(Enterprise)).all()
        assert {e.id for e in everyone if in_scope(user, e)} == {e.id for e in seen}
    engine.dispose()


def test_demo_construction_authority_sees_construction_only(org: Org) -> None:
    s = org.session
    add_enterprise(s, "甲建筑", "东镇", "建筑业")
    add_enterprise(s, "乙运输", "东镇", "交通运输业")
    add_enterprise(s, "丙无行业", "东镇", None)
    assert [e.name for e in visible(s, org.user("zhujian"))] == ["甲建筑"]


def test_township_user_sees_its_warnings_through_the_enterprise(org: Org) -> None:
    s = org.session
    own = add_enterprise(s, "东镇企业", "东镇", "制造业")
    other = add_enterprise(s, "西镇企业", "西镇", "制造业")
    for ent in (own, other):
        s.add(
            Warning(
                rulebook="baoshan",
                subject_key=f"e{ent.id}",
                enterprise_id=ent.id,
                level="red",
                rulebook_version="1",
                as_of=T0.date(),
            )
        )
    s.flush()
    stmt = (
        select(Warning)
        .join(Enterprise, Warning.enterprise_id == Enterprise.id)
        .where(scope_filter(org.user("township")))
    )
    assert [w.enterprise_id for w in s.scalars(stmt)] == [own.id]


def test_scope_filter_works_on_an_alias(org: Org) -> None:
    s = org.session
    add_enterprise(s, "东镇企业", "东镇", None)
    add_enterprise(s, "西镇企业", "西镇", None)
    ent = aliased(Enterprise)
    names = s.scalars(select(ent.name).where(scope_filter(org.user("township"), ent))).all()
    assert names == ["东镇企业"]


def test_district_roles_see_everything_and_administrators_nothing(org: Org) -> None:
    s = org.session
    add_enterprise(s, "东镇企业", "东镇", "建筑业")
    add_enterprise(s, "无镇街企业", None, None)
    for username in ("leader", "inspector", "relations", "petition", "arbitration", "employment"):
        assert len(visible(s, org.user(username))) == 2, username
    for username in ("sysadmin", "secadmin", "auditor"):
        assert visible(s, org.user(username)) == [], username


def test_an_account_without_a_role_sees_nothing(org: Org) -> None:
    s = org.session
    add_enterprise(s, "东镇企业", "东镇", "建筑业")
    user = create_user(
        s, SYSTEM, username="norole", display_name="无角色", org_unit=org.user("township").org_unit
    )
    assert visible(s, user) == [] and visible(s, None) == []
