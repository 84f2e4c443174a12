"""Which source kinds feed each fact: the lineage the enterprise file shows beside a fact.

Read off `facts/engine.py` and `docs/facts.md` (tested against both in
`tests/facts/test_sources.py`). Base facts name the signal kinds (`signals/catalogue.py`
keys) whose rows the engine reads for them; a derived fact (`rules/derived.py`) is fed by
the union of the sources of the facts its definition reads. `manual_level` is an officer's
assessment recorded on the enterprise, fed by no source file.
"""

from __future__ import annotations

from wagewatch.facts.engine import EVENT_FACTS, FEE_CATEGORY_FACTS, INCIDENT_FACTS
from wagewatch.rules.derived import DERIVED
from wagewatch.signals.catalogue import kinds

__all__ = ["BASE_FACT_SOURCES", "FACT_SOURCES", "sources_of"]

# An open arrears item is a complaint, an inspection that found arrears or a short-paid
# payroll month; clear items are inspections (engine: _claims over those three).
_CLAIMS = ("complaints", "inspections", "wage_payments")


def _base() -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {
        # the registry (企业名录 imports)
        "employees": ("enterprises",),
        # wage-arrears claims and payroll
        "wage_arrears_months": _CLAIMS,
        "wage_arrears_workers": _CLAIMS,
        "wage_arrears_amount": _CLAIMS,
        "wage_arrears_cases_12m": _CLAIMS,
        "wage_delays_12m": ("wage_payments",),
        "wage_complaints_90d": ("complaints",),
        "repeat_petitions_90d": ("petitions",),
        "social_insurance_deferrals_12m": ("si_deferrals",),
        "blacklisted": ("credit_blacklist",),
        "joint_punishment_departments": ("credit_blacklist",),
        "incident_workers": ("incidents",),
        "arbitration_cases_90d": ("arbitration",),
        # an officer's 研判, not a source file
        "manual_level": (),
        # cluster facts (宣恩): from the enterprise facts they sum up and the registry
        "group_incidents": ("incidents",),
        "workers_involved": ("incidents", *_CLAIMS),
        "townships_affected": ("incidents", "enterprises"),
    }
    for fact in FEE_CATEGORY_FACTS.values():  # one category of `fee_arrears` each
        out[fact] = ("fee_arrears",)
    for fact in EVENT_FACTS.values():
        out[fact] = ("business_events",)
    for fact in INCIDENT_FACTS.values():
        out[fact] = ("incidents",)
    # a layoff filing is an anomaly too; outsourcing is also a registry column
    out["business_anomaly"] = ("business_events", "layoffs")
    out["outsourcing"] = ("enterprises", "business_events")
    return out


_ORDER = {kind.key: i for i, kind in enumerate(kinds())}


def _ordered(found: set[str]) -> tuple[str, ...]:
    """Kinds in the catalogue's order (unknown ones last, by name)."""
    return tuple(sorted(found, key=lambda k: (_ORDER.get(k, len(_ORDER)), k)))


BASE_FACT_SOURCES: dict[str, tuple[str, ...]] = {
    name: _ordered(set(found)) for name, found in _base().items()
}


def _with_derived(base: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    out = dict(base)
    for name, condition in DERIVED.items():  # in order: later ones read earlier ones
        found: set[str] = set()
        for read in condition.names():
            if read != name:  # a derived fact may be given directly and reads itself
                found.update(out.get(read, ()))
        out[name] = _ordered(found)
    return out


FACT_SOURCES: dict[str, tuple[str, ...]] = _with_derived(BASE_FACT_SOURCES)


def sources_of(fact: str) -> tuple[str, ...]:
    """The source kinds that feed `fact` (empty for an unknown fact or an officer's one)."""
    return FACT_SOURCES.get(fact, ())
