"""Property: the per-record and the vectorised (ibis → DuckDB) evaluators always agree."""

from __future__ import annotations

import ibis
import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wagewatch.rules.condition import parse_condition
from wagewatch.rules.derived import derive_table, facts_for_record
from wagewatch.rules.engine import grade_record, grade_records
from wagewatch.rules.registry import get_rulebook
from wagewatch.rules.vocabulary import FACTS, check_value

NUM_FACTS = sorted(n for n, f in FACTS.items() if f.type in ("int", "number") and not f.derived)
BOOL_FACTS = sorted(n for n, f in FACTS.items() if f.type == "bool" and not f.derived)
INT_FACTS = {n for n, f in FACTS.items() if f.type == "int"}

numbers = st.one_of(
    st.integers(0, 600),
    st.sampled_from([0.5, 0.99, 1.0, 1.01, 2.5, 2.99, 3.0, 3.01]),
)
cmp_ops = st.sampled_from(["<", "<=", ">", ">=", "==", "!="])


def num_term() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(NUM_FACTS + ["fee_arrears_months"]),
        numbers.map(str),
    )


comparison = st.one_of(
    st.tuples(num_term(), cmp_ops, num_term()).map(" ".join),
    st.tuples(
        num_term(),
        st.sampled_from(["<", "<="]),
        num_term(),
        st.sampled_from(["<", "<="]),
        num_term(),
    ).map(" ".join),
    st.tuples(
        st.sampled_from(BOOL_FACTS + ["wages_unpaid", "any_anomaly"]),
        st.sampled_from(["==", "!="]),
        st.sampled_from(["true", "false"]),
    ).map(" ".join),
    st.sampled_from(['manual_level == "red"', 'manual_level != ""']),
)
atom = st.one_of(comparison, st.sampled_from(BOOL_FACTS + ["wages_unpaid", "any_anomaly"]))
conditions = st.recursive(
    atom,
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
        inner.map(lambda c: f"not ({c})"),
    ),
    max_leaves=6,
)


@st.composite
def fact_records(draw: st.DrawFn) -> dict[str, object]:
    chosen = draw(
        st.lists(
            st.sampled_from(NUM_FACTS + BOOL_FACTS + ["manual_level"]), max_size=8, unique=True
        )
    )
    rec: dict[str, object] = {}
    for name in chosen:
        if name == "manual_level":
            rec[name] = draw(st.sampled_from(["", "red", "orange"]))
        elif name in BOOL_FACTS:
            rec[name] = draw(st.booleans())
        elif name in INT_FACTS:
            rec[name] = draw(st.integers(0, 600))
        else:
            rec[name] = draw(numbers)
    return rec


def _table(records: list[dict[str, object]]) -> ibis.Table:
    arrow = {"int": pa.int64(), "number": pa.float64(), "bool": pa.bool_(), "str": pa.string()}
    cols = {}
    for name, fact in FACTS.items():
        if fact.derived:
            cols[name] = pa.array([None] * len(records), type=arrow[fact.type])
            continue
        cols[name] = pa.array([facts_for_record(r)[name] for r in records], type=arrow[fact.type])
    cols["__row"] = pa.array(range(len(records)))
    # derived columns start from their defaults, as facts_for_record does
    t = ibis.memtable(pa.table(cols))
    t = t.mutate(
        fee_arrears_months=ibis.literal(0.0),
        wages_unpaid=ibis.literal(False),
        any_anomaly=ibis.literal(False),
    )
    return derive_table(t)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=conditions, records=st.lists(fact_records(), min_size=1, max_size=12))
def test_condition_evaluators_agree(source: str, records: list[dict[str, object]]) -> None:
    cond = parse_condition(source)
    expected = [bool(cond.evaluate(facts_for_record(r), {})) for r in records]
    t = _table(records)
    got = t.mutate(hit=cond.to_ibis(t, {})).order_by("__row").hit.to_pyarrow().to_pylist()
    assert got == expected, source


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(["wendeng", "baoshan", "yingkou", "qingpu"]),
    records=st.lists(fact_records(), min_size=1, max_size=25),
)
def test_rulebook_grades_agree(name: str, records: list[dict[str, object]]) -> None:
    rb = get_rulebook(name)
    levels = {lv.code for lv in rb.levels}
    for r in records:
        if r.get("manual_level") and r["manual_level"] not in levels:
            r["manual_level"] = rb.levels[-1].code
    checked = [{k: check_value(FACTS[k], v) for k, v in r.items()} for r in records]
    assert grade_records(rb, checked) == [grade_record(rb, r) for r in records]


@settings(max_examples=40, deadline=None)
@given(
    incidents=st.integers(0, 5),
    workers=st.integers(0, 80),
    townships=st.integers(0, 4),
    many=st.integers(1, 60),
)
def test_cluster_grades_agree_with_parameters(
    incidents: int, workers: int, townships: int, many: int
) -> None:
    rb = get_rulebook("xuanen")
    facts = {
        "group_incidents": incidents,
        "workers_involved": workers,
        "townships_affected": townships,
    }
    params = {"many_workers": many}
    assert grade_records(rb, [facts], params) == [grade_record(rb, facts, params)]
