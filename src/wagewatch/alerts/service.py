"""Evaluate: compute facts, grade them, keep one current warning per subject and its history.

A level change (raised, upgraded, downgraded, cleared) writes a history row with the old and
new level, the reasons, a snapshot of the facts and the rulebook version. A change of reasons
at the same level updates the current warning without a history row.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa
from sqlalchemy import select
from sqlalchemy.orm import Session

from wagewatch.alerts.models import Warning, WarningChange
from wagewatch.db.base import utcnow
from wagewatch.enterprises.models import Enterprise
from wagewatch.facts.engine import FactsInputs, compute_cluster_facts, compute_facts
from wagewatch.rules.engine import Grade, criterion_column, grade_table, levels_from_matches
from wagewatch.rules.model import Rulebook
from wagewatch.rules.vocabulary import FACTS, default_value
from wagewatch.signals.models import ImportBatch, ReviewItem

__all__ = [
    "EvaluationSummary",
    "build_inputs",
    "evaluate",
    "grade_facts_table",
]

CHANGE_NAMES = {
    "raised": "新增预警",
    "upgraded": "升级",
    "downgraded": "降级",
    "cleared": "解除",
}


@dataclass
class EvaluationSummary:
    """What one evaluation did: subjects graded, warnings per level and changes by type."""

    rulebook: str
    rulebook_version: str
    as_of: date
    graded: int = 0
    per_level: Counter[str] = field(default_factory=Counter)
    changes: Counter[str] = field(default_factory=Counter)
    changed_ids: list[int] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly form."""
        return {
            "rulebook": self.rulebook,
            "rulebook_version": self.rulebook_version,
            "as_of": self.as_of.isoformat(),
            "graded": self.graded,
            "per_level": dict(self.per_level),
            "changes": {k: self.changes.get(k, 0) for k in CHANGE_NAMES},
        }


def committed_paths(session: Session) -> dict[str, list[Path]]:
    """Lake files of every committed batch, per source kind."""
    out: dict[str, list[Path]] = {}
    rows = session.execute(
        select(ImportBatch.kind, ImportBatch.lake_path).where(ImportBatch.lake_path.is_not(None))
    )
    for kind, path in rows:
        if path:
            out.setdefault(kind, []).append(Path(path))
    return out


def build_inputs(
    session: Session,
    con: Any,
    enterprise_ids: Iterable[int] | None = None,
) -> FactsInputs:
    """Facts inputs from the registry, the committed lake batches and resolved reviews."""
    reg_rows = session.execute(
        select(
            Enterprise.id,
            Enterprise.employees,
            Enterprise.outsourcing,
            Enterprise.township,
            Enterprise.industry,
        )
    ).all()
    registry = pa.table(
        {
            "enterprise_id": pa.array([r[0] for r in reg_rows], pa.int64()),
            "employees": pa.array([r[1] for r in reg_rows], pa.int64()),
            "outsourcing": pa.array([r[2] for r in reg_rows], pa.bool_()),
            "township": pa.array([r[3] for r in reg_rows], pa.string()),
            "industry": pa.array([r[4] for r in reg_rows], pa.string()),
        }
    )
    signals: dict[str, ir.Table] = {}
    for kind, paths in committed_paths(session).items():
        if kind == "enterprises":
            continue
        existing = [str(p) for p in paths if p.exists()]
        if existing:
            signals[kind] = con.read_parquet(existing)
    resolved = session.execute(
        select(ReviewItem.batch_id, ReviewItem.row_no, ReviewItem.enterprise_id).where(
            ReviewItem.status == "resolved", ReviewItem.enterprise_id.is_not(None)
        )
    ).all()
    overrides = None
    if resolved:
        overrides = ibis.memtable(
            pa.table(
                {
                    "batch_id": pa.array([r[0] for r in resolved], pa.int64()),
                    "row_no": pa.array([r[1] for r in resolved], pa.int64()),
                    "enterprise_id": pa.array([r[2] for r in resolved], pa.int64()),
                }
            )
        )
    focus = None
    if enterprise_ids is not None:
        ids = sorted(set(enterprise_ids))
        focus = ibis.memtable(pa.table({"enterprise_id": pa.array(ids, pa.int64())}))
    return FactsInputs(
        registry=ibis.memtable(registry), signals=signals, overrides=overrides, focus=focus
    )


def grade_facts_table(
    rb: Rulebook,
    facts: ir.Table,
    key: str,
    con: Any,
    params: Mapping[str, Any] | None = None,
) -> list[tuple[Any, Grade, dict[str, Any]]]:
    """Grade a facts table; return (subject key, grade, non-default facts) per row."""
    graded = grade_table(rb, facts, params)
    names = [criterion_column(i) for i in range(len(rb.criteria))]
    fact_cols = [c for c in facts.columns if c != key]
    result = con.to_pyarrow(graded.select(key, *fact_cols, *names))
    keys = result.column(key).to_pylist()
    matrix = [result.column(n).to_pylist() for n in names]
    fact_values = {c: result.column(c).to_pylist() for c in fact_cols}
    cache: dict[tuple[int, ...], Grade] = {}
    out: list[tuple[Any, Grade, dict[str, Any]]] = []
    for row, subject in enumerate(keys):
        hit = tuple(i for i, col in enumerate(matrix) if col[row])
        grade = cache.get(hit)
        if grade is None:
            grade = levels_from_matches(rb, [rb.criteria[i] for i in hit])
            cache[hit] = grade
        snapshot: dict[str, Any] = {}
        for c, values in fact_values.items():
            v = values[row]
            fact = FACTS.get(c)
            if v is None or (fact is not None and v == default_value(fact)) or v is False:
                continue
            snapshot[c] = round(v, 2) if isinstance(v, float) else v
        out.append((subject, grade, snapshot))
    return out


def _change(old_rank: int, new_rank: int) -> str | None:
    if old_rank == new_rank:
        return None
    if old_rank < 0:
        return "raised"
    if new_rank < 0:
        return "cleared"
    return "upgraded" if new_rank > old_rank else "downgraded"


def _store(
    session: Session,
    rb: Rulebook,
    as_of: date,
    graded: list[tuple[Any, Grade, dict[str, Any]]],
    summary: EvaluationSummary,
    *,
    cluster: bool,
) -> None:
    ranks = {lv.code: lv.rank for lv in rb.levels}
    keys = [f"{'c' if cluster else 'e'}:{subject}" for subject, _, _ in graded]
    existing: dict[str, Warning] = {}
    for chunk_start in range(0, len(keys), 5000):
        chunk = keys[chunk_start : chunk_start + 5000]
        for w in session.scalars(
            select(Warning).where(Warning.rulebook == rb.name, Warning.subject_key.in_(chunk))
        ):
            existing[w.subject_key] = w
    now = utcnow()
    for key, (subject, grade, snapshot) in zip(keys, graded, strict=True):
        summary.graded += 1
        new_rank = ranks[grade.level] if grade.level else -1
        if grade.level:
            summary.per_level[grade.level] += 1
        found = existing.get(key)
        reasons = [{"criterion": r.criterion, "text": r.text} for r in grade.reasons]
        lower = [{"criterion": r.criterion, "text": r.text} for r in grade.also_matched]
        if found is None:
            if grade.level is None:
                continue
            w = Warning(
                rulebook=rb.name,
                subject_key=key,
                enterprise_id=None if cluster else int(subject),
                cluster=str(subject) if cluster else None,
                level_rank=-1,
            )
            session.add(w)
        else:
            w = found
        change = _change(w.level_rank, new_rank)
        if change is None and w.reasons == reasons and w.also_matched == lower:
            continue
        old_level = w.level
        w.level, w.level_name, w.level_rank = grade.level, grade.level_name, new_rank
        w.reasons, w.also_matched, w.facts = reasons, lower, snapshot
        w.rulebook_version, w.as_of, w.updated_at = rb.version, as_of, now
        if change == "raised":
            w.raised_at = now
        if change is not None:
            summary.changes[change] += 1
            if not cluster:
                summary.changed_ids.append(int(subject))
            session.flush()
            session.add(
                WarningChange(
                    warning_id=w.id,
                    change=change,
                    old_level=old_level,
                    new_level=grade.level,
                    reasons=reasons,
                    facts=snapshot,
                    rulebook_version=rb.version,
                    as_of=as_of,
                    created_at=now,
                )
            )


def evaluate(
    session: Session,
    rb: Rulebook,
    as_of: date,
    enterprise_ids: Iterable[int] | None = None,
    params: Mapping[str, Any] | None = None,
) -> EvaluationSummary:
    """Grade every enterprise (or the given ones) as of `as_of` and store level changes."""
    con = ibis.duckdb.connect()
    if rb.subject == "cluster":
        enterprise_ids = None  # a cluster is graded over the whole county, never a subset
    inputs = build_inputs(session, con, enterprise_ids)
    facts = compute_facts(inputs, as_of)
    summary = EvaluationSummary(rulebook=rb.name, rulebook_version=rb.version, as_of=as_of)
    if rb.subject == "cluster":
        clusters = compute_cluster_facts(facts, inputs.registry)
        graded = grade_facts_table(rb, clusters, "industry", con, params)
        _store(session, rb, as_of, graded, summary, cluster=True)
    else:
        graded = grade_facts_table(rb, facts, "enterprise_id", con, params)
        _store(session, rb, as_of, graded, summary, cluster=False)
    return summary
