"""Grading: facts in, level with every reason and the disposal actions out.

The highest level whose criterion matches wins; `reasons` lists every criterion matched at
that level, `also_matched` those matched at lower levels. Two evaluators share one parsed
rulebook: `grade_record` explains one grade, `grade_table` / `grade_records` grade many at
once through ibis (DuckDB here, the same expression on Spark at scale).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from wagewatch.rules.condition import Value
from wagewatch.rules.derived import derive_table, facts_for_record
from wagewatch.rules.model import Action, Criterion, Rulebook
from wagewatch.rules.vocabulary import FACTS, default_value

if TYPE_CHECKING:
    import ibis.expr.types as ir
    from ibis.backends.duckdb import Backend

__all__ = [
    "Grade",
    "Reason",
    "criterion_column",
    "grade_record",
    "grade_records",
    "grade_table",
    "normalise_facts",
    "levels_from_matches",
]


@dataclass(frozen=True)
class Reason:
    """A criterion that fired, with the seed clause it quotes."""

    criterion: str
    text: str
    level: str

    def to_contract(self) -> dict[str, str]:
        """The reason as `wagewatch grade` prints it."""
        return {"criterion": self.criterion, "text": self.text}


@dataclass(frozen=True)
class Grade:
    """The grade of one subject under one rulebook version."""

    level: str | None
    level_name: str | None
    reasons: tuple[Reason, ...]
    also_matched: tuple[Reason, ...]
    actions: tuple[Action, ...]
    rulebook: str
    rulebook_version: str

    def to_contract(self, subject_id: object) -> dict[str, Any]:
        """The output line of `wagewatch grade` (SPEC.md), with the rulebook version added."""
        return {
            "id": subject_id,
            "level": self.level,
            "level_name": self.level_name,
            "reasons": [r.to_contract() for r in self.reasons],
            "actions": [a.to_contract() for a in self.actions],
            "also_matched": [r.to_contract() for r in self.also_matched],
            "rulebook": self.rulebook,
            "rulebook_version": self.rulebook_version,
        }


def criterion_column(index: int) -> str:
    """The column holding criterion number `index` in a graded table."""
    return f"crit_{index}"


def levels_from_matches(rb: Rulebook, matched: Sequence[Criterion]) -> Grade:
    """Build the grade from the criteria that matched (the highest level wins)."""
    if not matched:
        return Grade(None, None, (), (), (), rb.name, rb.version)
    ranks = {lv.code: lv.rank for lv in rb.levels}
    top = max(matched, key=lambda c: ranks[c.level]).level
    level = rb.level(top)
    reasons = tuple(Reason(c.id, c.text, c.level) for c in matched if c.level == top)
    lower = tuple(
        Reason(c.id, c.text, c.level)
        for c in sorted((c for c in matched if c.level != top), key=lambda c: -ranks[c.level])
    )
    return Grade(top, level.name, reasons, lower, rb.actions_for(top), rb.name, rb.version)


def _check_manual(rb: Rulebook, facts: Mapping[str, Value]) -> None:
    manual = facts.get("manual_level", "")
    if manual and manual not in {lv.code for lv in rb.levels}:
        codes = "、".join(lv.code for lv in rb.levels)
        raise ValueError(f"manual_level “{manual}” 不是规则 {rb.name} 的等级（可用：{codes}）")


def grade_record(
    rb: Rulebook, raw_facts: Mapping[str, object], params: Mapping[str, Value] | None = None
) -> Grade:
    """Grade one record by the per-record evaluator (used to explain a grade)."""
    facts = facts_for_record(raw_facts)
    _check_manual(rb, facts)
    values = rb.with_params(params or {})
    matched = [c for c in rb.criteria if c.condition.evaluate(facts, values)]
    return levels_from_matches(rb, matched)


def normalise_facts(table: ir.Table) -> ir.Table:
    """Every fact column with its type, nulls and missing facts as their default, plus derived."""
    import ibis

    cols = set(table.columns)
    fill: dict[str, ir.Value] = {}
    for name, fact in FACTS.items():
        dtype = {"int": "int64", "number": "float64", "bool": "boolean", "str": "string"}[fact.type]
        default = default_value(fact)
        if name in cols:
            fill[name] = table[name].cast(dtype).fill_null(default)
        else:
            fill[name] = ibis.literal(default, type=dtype)
    return derive_table(table.mutate(**fill))


def grade_table(
    rb: Rulebook, table: ir.Table, params: Mapping[str, Value] | None = None
) -> ir.Table:
    """Add `crit_<i>` boolean columns and a `level` column to a table of base facts.

    Fact columns the table lacks are added with their default (a missing fact is 0 / false
    / empty); nulls are filled the same way; the derived facts are then computed.
    """
    import ibis

    values = rb.with_params(params or {})
    t = normalise_facts(table)
    crit_cols = {
        criterion_column(i): c.condition.to_ibis(t, values) for i, c in enumerate(rb.criteria)
    }
    t = t.mutate(**crit_cols)
    branches = []
    for lv in sorted(rb.levels, key=lambda x: -x.rank):
        idx = [i for i, c in enumerate(rb.criteria) if c.level == lv.code]
        any_hit = t[criterion_column(idx[0])]
        for i in idx[1:]:
            any_hit = any_hit | t[criterion_column(i)]
        branches.append((any_hit, lv.code))
    return t.mutate(level=ibis.cases(*branches, else_=ibis.null("string")))


@cache
def _duckdb() -> Backend:
    import ibis

    return ibis.duckdb.connect()


def grade_records(
    rb: Rulebook,
    records: Sequence[Mapping[str, Value]],
    params: Mapping[str, Value] | None = None,
) -> list[Grade]:
    """Grade many already-validated fact records at once through the vectorised evaluator."""
    import ibis
    import pyarrow as pa

    if not records:
        return []
    present: set[str] = set()
    for r in records:
        present.update(r)
    arrow_types = {
        "int": pa.int64(),
        "number": pa.float64(),
        "bool": pa.bool_(),
        "str": pa.string(),
    }
    arrays = {
        name: pa.array([r.get(name) for r in records], type=arrow_types[FACTS[name].type])
        for name in sorted(present)
    }
    arrays["__row"] = pa.array(range(len(records)), type=pa.int64())
    mem = ibis.memtable(pa.table(arrays))
    graded = grade_table(rb, mem, params)
    names = [criterion_column(i) for i in range(len(rb.criteria))]
    result = _duckdb().to_pyarrow(graded.select("__row", "level", *names).order_by("__row"))
    matrix = [result.column(n).to_pylist() for n in names]
    levels = result.column("level").to_pylist()
    out: list[Grade] = []
    cache_by_key: dict[tuple[int, ...], Grade] = {}
    for row in range(len(records)):
        key = tuple(i for i, col in enumerate(matrix) if col[row])
        grade = cache_by_key.get(key)
        if grade is None:
            grade = levels_from_matches(rb, [rb.criteria[i] for i in key])
            cache_by_key[key] = grade
        if grade.level != levels[row]:  # the SQL level and the explained level must agree
            raise AssertionError(f"row {row}: level {levels[row]} != {grade.level}")
        out.append(grade)
    return out
