"""The derived facts of SPEC.md, written once in the condition language.

Each definition is compiled by both evaluators (per record and ibis), so the two can never
drift apart. A derived fact may also be given directly (an office may report it): the given
value takes part in the definition (largest months wins, booleans are OR-ed).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from wagewatch.rules.condition import Condition, Value, parse_condition
from wagewatch.rules.vocabulary import FACTS, FEE_ARREARS_KINDS, FactValueError, check_value

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = ["DERIVED", "derive_table", "facts_for_record"]

_DEFINITIONS: tuple[tuple[str, str], ...] = (
    (
        "fee_arrears_months",
        "max(fee_arrears_months, " + ", ".join(FEE_ARREARS_KINDS) + ")",
    ),
    (
        "wages_unpaid",
        "wages_unpaid or wage_arrears_months > 0 or wage_arrears_workers > 0"
        " or wage_arrears_amount > 0",
    ),
    (
        "any_anomaly",
        "any_anomaly or business_anomaly or closure_risk or sudden_closure or owner_absconded"
        " or wages_unpaid or wage_delays_12m > 0 or fee_arrears_months > 0"
        " or social_insurance_deferrals_12m > 0 or blacklisted or asset_seized"
        " or legal_rep_detained or group_incident",
    ),
)

# Order matters: any_anomaly reads the derived wages_unpaid and fee_arrears_months.
DERIVED: dict[str, Condition] = {
    name: parse_condition(
        text, allow_max=True, want="num" if FACTS[name].type == "number" else "bool"
    )
    for name, text in _DEFINITIONS
}


def facts_for_record(raw: Mapping[str, object]) -> dict[str, Value]:
    """Check names and types of given facts, fill defaults and compute the derived facts."""
    unknown = sorted(k for k in raw if k not in FACTS)
    if unknown:
        raise FactValueError("未知事实名：" + "、".join(unknown))
    facts: dict[str, Value] = {
        name: check_value(fact, raw.get(name)) for name, fact in FACTS.items()
    }
    for name, cond in DERIVED.items():
        facts[name] = cond.evaluate(facts, {})
    return facts


def derive_table(table: ir.Table) -> ir.Table:
    """Add (replace) the derived fact columns on a table that has every base fact column."""
    for name, cond in DERIVED.items():
        table = table.mutate(**{name: cond.to_ibis(table, {})})
    return table
