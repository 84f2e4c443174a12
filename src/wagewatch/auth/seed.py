"""A demonstration organisation: the district, its townships and offices, one user per role."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from wagewatch.auth.models import OrgUnit, User
from wagewatch.auth.roles import OrgKind, get_role
from wagewatch.auth.service import (
    SYSTEM,
    assign_role,
    create_org_unit,
    create_user,
    generate_password,
    set_password,
)

__all__ = ["DEMO_DEPARTMENTS", "DEMO_INDUSTRY_AUTHORITIES", "DEMO_USERS", "seed_demo_org"]

# code, name, the rulebook office codes the unit answers for (see rules/model.py _OFFICES).
DEMO_DEPARTMENTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("dept-inspection", "行政执法科", ("inspection", "labour_bureau")),
    ("dept-labour-relations", "劳动关系科", ("labour_relations",)),
    ("dept-petition", "信访办", ("petition_office",)),
    ("dept-arbitration", "仲裁院", ("arbitration",)),
    ("dept-employment", "就业促进中心", ("employment_centre",)),
)
DISTRICT_OFFICES = (
    "joint_meeting_office",
    "county_tripartite",
    "bureau_office",
    "leader",
    "unit_head",
    "principal_leader",
)
TOWNSHIP_OFFICES = ("township", "township_tripartite")

# The industry names are those of Enterprise.industry (and of the simulated district).
DEMO_INDUSTRY_AUTHORITIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("ind-construction", "住建局", ("建筑业",)),
    ("ind-transport", "交通局", ("交通运输业",)),
    ("ind-water", "水利局", ("水利工程",)),
)

# username, role, org-unit code ("township-01" is the first township given).
DEMO_USERS: tuple[tuple[str, str, str], ...] = (
    ("sysadmin", "system_admin", "district"),
    ("secadmin", "security_admin", "district"),
    ("auditor", "audit_admin", "district"),
    ("leader", "leader", "district"),
    ("inspector", "inspection", "dept-inspection"),
    ("relations", "labour_relations", "dept-labour-relations"),
    ("township", "township", "township-01"),
    ("zhujian", "industry_authority", "ind-construction"),
    ("petition", "petition_office", "dept-petition"),
    ("arbitration", "arbitration", "dept-arbitration"),
    ("employment", "employment_centre", "dept-employment"),
)


def _unit(
    session: Session,
    code: str,
    name: str,
    kind: OrgKind,
    now: datetime | None,
    *,
    parent: OrgUnit | None = None,
    township: str | None = None,
    industries: tuple[str, ...] = (),
    offices: tuple[str, ...] = (),
) -> OrgUnit:
    existing = session.scalar(select(OrgUnit).where(OrgUnit.code == code))
    if existing is not None:
        if not existing.offices and offices:
            existing.offices = sorted(offices)
        return existing
    return create_org_unit(
        session,
        SYSTEM,
        code=code,
        name=name,
        kind=kind,
        parent=parent,
        township=township,
        industries=industries,
        offices=offices,
        now=now,
    )


def seed_demo_org(
    session: Session,
    townships: list[str],
    *,
    district_name: str = "示范区人力资源和社会保障局",
    now: datetime | None = None,
) -> list[tuple[str, str, str]]:
    """Create (or refresh) the demo organisation; (username, role label, password) per user.

    Passwords are generated afresh on every call, so running the demo again prints passwords
    that work; nothing here is a constant that could leak into a real deployment.
    """
    names = [t.strip() for t in townships if t and t.strip()]
    if not names:
        raise ValueError("the demo needs at least one township")
    district = _unit(
        session, "district", district_name, OrgKind.DISTRICT, now, offices=DISTRICT_OFFICES
    )
    for i, town in enumerate(dict.fromkeys(names), start=1):
        _unit(
            session,
            f"township-{i:02d}",
            town,
            OrgKind.TOWNSHIP,
            now,
            parent=district,
            township=town,
            offices=TOWNSHIP_OFFICES,
        )
    for code, name, offices in DEMO_DEPARTMENTS:
        _unit(session, code, name, OrgKind.DEPARTMENT, now, parent=district, offices=offices)
    for code, name, industries in DEMO_INDUSTRY_AUTHORITIES:
        _unit(
            session,
            code,
            name,
            OrgKind.INDUSTRY_AUTHORITY,
            now,
            parent=district,
            industries=industries,
            offices=("industry_authority",),
        )

    credentials: list[tuple[str, str, str]] = []
    for username, role_code, unit_code in DEMO_USERS:
        role = get_role(role_code)
        unit = session.scalar(select(OrgUnit).where(OrgUnit.code == unit_code))
        assert unit is not None
        password = generate_password()
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            user = create_user(
                session,
                SYSTEM,
                username=username,
                display_name=f"{role.label}（演示）",
                org_unit=unit,
                role=role_code,
                password=password,
                now=now,
            )
        else:
            if user.role != role_code:
                assign_role(session, SYSTEM, user, role_code, now=now)
            set_password(session, SYSTEM, user, password, now=now)
            user.active, user.locked_until, user.failed_logins = True, None, 0
        # A demo account signs in straight away; a real one must change its first password.
        user.must_change_password = False
        credentials.append((username, role.label, password))
    session.flush()
    return credentials
