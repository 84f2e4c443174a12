"""Re-grade one enterprise in milliseconds: static facts once, the changed part per call.

Rebuilding and compiling the ibis expression costs 70–150 ms per call, and even a compiled
statement is planned again by DuckDB on every execution (a parameter in a table filter
disables its plan cache; planning the whole facts statement costs 25–40 ms). So the work is
split along what can change:

- at start, the lake is copied into DuckDB tables sorted by enterprise id and the facts of
  every enterprise are computed once, with the same ibis expression as the full re-grade;
- `add_signal` records which source kinds changed for which enterprise;
- `grade` takes the enterprise's stored facts and recomputes only the facts fed by the kinds
  that changed for it, with a statement compiled once per set of changed kinds (the id is
  the only thing that varies) whose plan is a fraction of the whole; the rulebook's
  per-record evaluator then grades the merged facts.

Which facts a kind feeds is read from the facts expression itself (the tables each fact's
expression scans), so a new reading in the facts engine needs no change here.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import ibis
import ibis.expr.operations as ops
import ibis.expr.types as ir

from wagewatch.facts.engine import TICKET_COLUMNS, FactsInputs, compute_facts
from wagewatch.rules.engine import Grade, grade_record
from wagewatch.rules.model import Rulebook
from wagewatch.rules.vocabulary import FACTS
from wagewatch.signals.catalogue import kinds
from wagewatch.signals.lake import arrow_schema, empty_table

__all__ = ["PreparedGrader"]

SIGNAL_KINDS = tuple(k.key for k in kinds() if k.key != "enterprises")

# A value no enterprise id takes; replaced by the enterprise id after compiling.
_SENTINEL = 987_654_321_012_345

# Optimizers kept for the per-enterprise statements: pushing the id filter into every scan
# is what makes them cheap; the rest cost more planning time than they save on a few rows.
_KEEP_OPTIMIZERS = frozenset({"filter_pushdown", "expression_rewriter"})


class PreparedGrader:
    """Grades single enterprises from stored facts plus the facts of what changed since."""

    def __init__(
        self,
        rb: Rulebook,
        registry: ir.Table,
        signals: Mapping[str, ir.Table],
        as_of: date,
        overrides: ir.Table | None = None,
    ) -> None:
        """Copy the inputs into DuckDB (sorted by enterprise) and compute every enterprise's facts."""
        if rb.subject != "enterprise":
            raise ValueError("单个企业评级只适用于按企业评级的规则")
        self.rb = rb
        self.as_of = as_of
        self.con = ibis.duckdb.connect()
        raw = self.con.con
        self._raw = raw
        if overrides is not None:
            raw.register("src_overrides", overrides.to_pyarrow())
        tables: dict[str, ir.Table] = {}
        # Every kind gets a table, even with no file yet, so a new signal can be added later.
        sources: dict[str, Any] = {k: empty_table(k) for k in SIGNAL_KINDS}
        # to_pyarrow() runs each input on the backend it is bound to (it may be another connection)
        sources.update({k: t.to_pyarrow() for k, t in signals.items()})
        for name, arrow in {"registry": registry.to_pyarrow(), **sources}.items():
            raw.register(f"src_{name}", arrow)
            select = f'SELECT * FROM "src_{name}"'
            if overrides is not None and name != "registry":
                # rows settled in review get their enterprise now, so the id filter finds them
                select = (
                    f"SELECT s.* REPLACE (coalesce(s.enterprise_id, o.enterprise_id) AS enterprise_id) "
                    f'FROM "src_{name}" s LEFT JOIN src_overrides o USING (batch_id, row_no)'
                )
            ticket = TICKET_COLUMNS.get(name)
            if ticket:
                # a ticket's newest row wins across the lake, before the per-enterprise filter
                select = (
                    f"SELECT * FROM ({select}) QUALIFY row_number() OVER (PARTITION BY "
                    f"coalesce({ticket}, 'row:' || batch_id || ':' || row_no) "
                    f"ORDER BY batch_id DESC, row_no DESC) = 1"
                )
            raw.execute(f'CREATE TABLE "t_{name}" AS {select} ORDER BY enterprise_id')
            raw.unregister(f"src_{name}")
            tables[name] = self.con.table(f"t_{name}")
        if overrides is not None:
            raw.unregister("src_overrides")
        self._tables = tables
        reg = tables["registry"]
        sigs = {k: t for k, t in tables.items() if k != "registry"}
        needed = rb.fact_names()

        # Every enterprise's facts, once: the same expression as the full re-grade. Only the
        # facts the rulebook reads are kept (the others take their defaults when graded).
        facts = compute_facts(FactsInputs(registry=reg, signals=sigs), as_of, needed)
        self._fact_names = [c for c in facts.columns if c in FACTS and c in needed]
        static = raw.sql(
            str(self.con.compile(facts.select("enterprise_id", *self._fact_names)))
        ).to_arrow_table()
        self._static = static
        self._row_of: dict[int, int] = {
            int(e): i for i, e in enumerate(static.column("enterprise_id").to_pylist())
        }

        # The facts each source kind feeds, from the tables each fact's expression reads.
        one = ibis.literal(_SENTINEL, type="int64")
        self._one_inputs = FactsInputs(
            registry=reg.filter(reg.enterprise_id == one),
            signals={k: t.filter(t.enterprise_id == one) for k, t in sigs.items()},
        )
        self._feeds: dict[str, set[str]] = {k: set() for k in SIGNAL_KINDS}
        for fact in self._fact_names:
            expr = compute_facts(self._one_inputs, as_of, frozenset({fact}))[fact]
            for table in expr.op().find(ops.DatabaseTable):
                kind = table.name.removeprefix("t_")
                if kind in self._feeds:
                    self._feeds[kind].add(fact)

        self._statements: dict[frozenset[str], tuple[str, list[str]]] = {}
        self._dirty: dict[int, set[str]] = {}
        self._inserts: dict[str, tuple[str, list[str]]] = {}
        # Statement planning dominates the per-enterprise cost: plan lean from here on.
        names = [r[0] for r in raw.execute("SELECT name FROM duckdb_optimizers()").fetchall()]
        off = ",".join(n for n in names if n not in _KEEP_OPTIMIZERS)
        raw.execute(f"SET disabled_optimizers = '{off}'")
        # a few rows per call: one thread spares the hand-offs between threads
        raw.execute("SET threads = 1")
        # The statement for a new complaint is the common case: compile it now.
        self._statement(frozenset({"complaints"}))

    def _statement(self, changed: frozenset[str]) -> tuple[str, list[str]]:
        """The prepared statement recomputing the facts fed by `changed` kinds, and those facts."""
        hit = self._statements.get(changed)
        if hit is not None:
            return hit
        fed = sorted(set().union(*(self._feeds.get(k, set()) for k in changed)))
        name = f"grade_part_{len(self._statements)}"
        if fed:
            part = compute_facts(self._one_inputs, self.as_of, frozenset(fed))
            sql = str(self.con.compile(part.select("enterprise_id", *fed)))
            if str(_SENTINEL) not in sql:
                raise RuntimeError("compiled statement lost its parameter")
            self._raw.execute(f"PREPARE {name} AS {sql.replace(str(_SENTINEL), '$1')}")
        self._statements[changed] = (name, fed)
        return name, fed

    def add_signal(self, kind: str, row: Mapping[str, Any]) -> None:
        """Add one signal row (for example a complaint just registered) to the working copy."""
        if kind not in self._feeds:
            raise ValueError(f"unknown signal kind {kind!r}")
        insert = self._inserts.get(kind)
        if insert is None:
            columns = [f.name for f in arrow_schema(kind)]
            cols = ", ".join(f'"{c}"' for c in columns)
            marks = ", ".join("?" for _ in columns)
            insert = (f'INSERT INTO "t_{kind}" ({cols}) VALUES ({marks})', columns)
            self._inserts[kind] = insert
        sql, columns = insert
        touched = {row.get("enterprise_id")}
        ticket = TICKET_COLUMNS.get(kind)
        if ticket and row.get(ticket) is not None:
            # a ticket's newest row wins across the lake (a correction may move it elsewhere)
            key = (row.get("batch_id") or 0, row.get("row_no") or 0)
            earlier = self._raw.execute(
                f'SELECT enterprise_id, batch_id, row_no FROM "t_{kind}" WHERE "{ticket}" = ?',
                [row[ticket]],
            ).fetchall()
            if any((b, r) > key for _, b, r in earlier):
                return  # a newer row of this ticket is already held
            if earlier:
                self._raw.execute(f'DELETE FROM "t_{kind}" WHERE "{ticket}" = ?', [row[ticket]])
                touched.update(e for e, _, _ in earlier)
        self._raw.execute(sql, [row.get(c) for c in columns])
        for eid in touched:
            if eid is not None:
                self._dirty.setdefault(int(eid), set()).add(kind)

    def facts(self, enterprise_id: int) -> dict[str, Any] | None:
        """The base facts the rulebook reads, as of the grader's date (None when not registered)."""
        eid = int(enterprise_id)
        index = self._row_of.get(eid)
        if index is None:
            return None
        values: dict[str, Any] = self._static.slice(index, 1).to_pylist()[0]
        changed = self._dirty.get(eid)
        if changed:
            name, fed = self._statement(frozenset(changed))
            if fed:
                # EXECUTE takes no bound parameters: the id is formatted as an integer only
                rows = self._raw.execute(f"EXECUTE {name}({eid})").fetchall()
                if rows:
                    values.update(zip(fed, rows[0][1:], strict=True))
        values.pop("enterprise_id", None)
        return values

    def grade(self, enterprise_id: int) -> Grade | None:
        """The grade of one enterprise (None when it is not in the registry)."""
        values = self.facts(enterprise_id)
        if values is None:
            return None
        return grade_record(self.rb, values)
