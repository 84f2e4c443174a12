"""Shared helpers: grade through both evaluators and insist they agree."""

from __future__ import annotations

from collections.abc import Mapping

from wagewatch.rules.engine import Grade, grade_record, grade_records
from wagewatch.rules.registry import get_rulebook
from wagewatch.rules.vocabulary import FACTS, check_value


def grade_both(rulebook: str, facts: Mapping[str, object], **params: object) -> Grade:
    """Grade one record per record and vectorised; fail if the two disagree."""
    rb = get_rulebook(rulebook)
    one = grade_record(rb, facts, params)  # type: ignore[arg-type]
    checked = {k: check_value(FACTS[k], v) for k, v in facts.items()}
    many = grade_records(rb, [checked], params)[0]  # type: ignore[arg-type]
    assert one == many, f"evaluators disagree: {one} vs {many}"
    return one


def assert_grade(
    rulebook: str, facts: Mapping[str, object], level: str | None, criterion: str | None = None
) -> Grade:
    """Assert the level (and that `criterion` is among the reasons)."""
    g = grade_both(rulebook, facts)
    assert g.level == level, f"{facts}: expected {level}, got {g.level} ({g.reasons})"
    if criterion is not None:
        ids = [r.criterion for r in g.reasons]
        assert criterion in ids, f"{facts}: {criterion} not in {ids}"
    return g
