"""Routing: which organisation unit answers for a rulebook office on a given case.

The rulebook names offices by code (`township`, `inspection`, `industry_authority` …); each
organisation unit lists the codes it answers for (`OrgUnit.offices`). Township offices are
the enterprise's own township unit (属地); the industry authority is the unit whose
industries include the enterprise's (住建、交通、水利). An office with no unit of its own in
the deployment (区委政法委, 公安, 法院 …) is a recipient: the lead unit sends the report, so
the task goes to the lead unit with the recipient named.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from wagewatch.auth.models import OrgUnit
from wagewatch.auth.roles import OrgKind
from wagewatch.rules.model import Action, Rulebook

__all__ = ["Route", "UnitFinder", "lead_action", "route_case"]

_LOCAL_OFFICES = frozenset({"township", "township_tripartite"})
# Offices a local (属地) lead hands to the industry authority for 住建、交通、水利 enterprises.
_HANDED_TO_INDUSTRY = frozenset({"township", "joint_meeting_office"})


class UnitFinder:
    """Finds the unit of an office for one subject (enterprise township and industry)."""

    def __init__(self, session: Session) -> None:
        """Load the active organisation units once."""
        self.units = list(
            session.scalars(select(OrgUnit).where(OrgUnit.active.is_(True)).order_by(OrgUnit.id))
        )
        self.district = next((u for u in self.units if u.kind == OrgKind.DISTRICT.value), None)

    def township_unit(self, township: str | None) -> OrgUnit | None:
        """The township unit covering `township`."""
        if not township:
            return None
        return next(
            (u for u in self.units if u.kind == OrgKind.TOWNSHIP.value and u.township == township),
            None,
        )

    def industry_unit(self, industry: str | None) -> OrgUnit | None:
        """The industry authority covering `industry` (住建局 for 建筑业 …)."""
        if not industry:
            return None
        return next(
            (
                u
                for u in self.units
                if u.kind == OrgKind.INDUSTRY_AUTHORITY.value and industry in (u.industries or [])
            ),
            None,
        )

    def office_unit(
        self, office: str, township: str | None, industry: str | None
    ) -> OrgUnit | None:
        """The unit answering for `office` on this subject, or None if the office is external."""
        if office in _LOCAL_OFFICES:
            return self.township_unit(township) or self._by_office(office)
        if office == "industry_authority":
            # 行业主管部门或属地镇街: an enterprise outside the regulated industries stays local.
            return self.industry_unit(industry) or self.township_unit(township)
        return self._by_office(office)

    def _by_office(self, office: str) -> OrgUnit | None:
        return next(
            (
                u
                for u in self.units
                if office in (u.offices or [])
                and u.kind not in (OrgKind.TOWNSHIP.value, OrgKind.INDUSTRY_AUTHORITY.value)
            ),
            None,
        )


@dataclass(frozen=True)
class Route:
    """A case's lead office and unit, its assisting units and the clause that routes it."""

    lead_office: str
    lead_unit: OrgUnit | None
    assisting: tuple[OrgUnit, ...]
    clause: str


def lead_action(rb: Rulebook, level: str) -> Action | None:
    """The action marked `lead` at `level`, or at the nearest lower level that has one."""
    order = [lv.code for lv in sorted(rb.levels, key=lambda lv: lv.rank)]
    if level not in order:
        return None
    for code in reversed(order[: order.index(level) + 1]):
        for action in rb.actions.get(code, ()):
            if action.lead:
                return action
    return None


def route_case(
    rb: Rulebook,
    level: str,
    finder: UnitFinder,
    township: str | None,
    industry: str | None,
) -> Route:
    """Route a case: the level's lead office, handed to the industry authority where due."""
    lead = lead_action(rb, level)
    office = lead.office if lead else "township"
    clause = lead.clause if lead else ""
    industry_unit = finder.industry_unit(industry)
    routing = rb.extra.get("routing")
    handover = isinstance(routing, dict) and bool(routing.get("clause"))
    if handover and office in _HANDED_TO_INDUSTRY and industry_unit is not None:
        # 建设、交通、水利: where the rulebook says so, the industry authority handles the case
        # and reports back (营口 推送行业主管部门; 文登 行业台账销号).
        assert isinstance(routing, dict)
        office = "industry_authority"
        clause = str(routing["clause"])
    lead_unit = finder.office_unit(office, township, industry)
    if lead_unit is None:
        lead_unit = finder.district
    assisting: list[OrgUnit] = []
    for action in rb.actions_for(level):
        unit = finder.office_unit(action.office, township, industry)
        if unit is not None and unit is not lead_unit and unit not in assisting:
            assisting.append(unit)
    return Route(office, lead_unit, tuple(assisting), clause)
