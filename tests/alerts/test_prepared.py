"""The prepared single-enterprise grader agrees with the full vectorised evaluation."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import ibis
import pyarrow as pa

from wagewatch.alerts.prepared import PreparedGrader
from wagewatch.facts.engine import FactsInputs, compute_facts
from wagewatch.rules.engine import grade_table
from wagewatch.rules.registry import get_rulebook
from wagewatch.signals.lake import to_table

D = date(2024, 10, 31)


def test_prepared_grades_equal_full_evaluation():
    rb = get_rulebook("baoshan")
    reg = ibis.memtable(
        pa.Table.from_pylist([{"enterprise_id": i, "employees": 10 * i} for i in range(1, 8)])
    )
    complaints = to_table(
        "complaints",
        [
            {
                "enterprise_id": 1,
                "batch_id": 1,
                "row_no": 2,
                "received_date": D - timedelta(days=40),
                "months_owed": Decimal("2"),
                "workers": 3,
            },
            {"enterprise_id": 2, "batch_id": 1, "row_no": 3, "received_date": D, "workers": 12},
            {
                "enterprise_id": None,
                "batch_id": 1,
                "row_no": 4,
                "received_date": D,
                "months_owed": Decimal("0.5"),
            },
        ],
    )
    fees = to_table(
        "fee_arrears",
        [
            {
                "enterprise_id": 3,
                "batch_id": 2,
                "row_no": 2,
                "category": "gas",
                "month": date(2024, 10, 1),
                "amount": Decimal("5"),
            },
        ],
    )
    events = to_table(
        "business_events",
        [
            {
                "enterprise_id": 4,
                "batch_id": 3,
                "row_no": 2,
                "event_date": D,
                "event_type": "sudden_closure",
            },
            {
                "enterprise_id": 5,
                "batch_id": 3,
                "row_no": 3,
                "event_date": D,
                "event_type": "closure_risk",
            },
        ],
    )
    signals = {
        "complaints": ibis.memtable(complaints),
        "fee_arrears": ibis.memtable(fees),
        "business_events": ibis.memtable(events),
    }
    overrides = ibis.memtable(
        pa.Table.from_pylist([{"batch_id": 1, "row_no": 4, "enterprise_id": 6}])
    )
    full = grade_table(
        rb, compute_facts(FactsInputs(registry=reg, signals=signals, overrides=overrides), D)
    )
    expected = dict(
        full.select("enterprise_id", "level").to_pyarrow().to_pylist()
        and [
            (r["enterprise_id"], r["level"])
            for r in full.select("enterprise_id", "level").to_pyarrow().to_pylist()
        ]
    )
    grader = PreparedGrader(rb, reg, signals, D, overrides)
    got = {i: (g.level if g else "missing") for i in range(1, 8) for g in [grader.grade(i)]}
    assert got == expected
    assert expected == {1: "red", 2: "red", 3: "yellow", 4: None, 5: None, 6: "yellow", 7: None}
    assert grader.grade(999) is None


def test_a_new_complaint_regrades_the_enterprise_at_once():
    rb = get_rulebook("baoshan")
    reg = ibis.memtable(pa.Table.from_pylist([{"enterprise_id": 1}, {"enterprise_id": 2}]))
    grader = PreparedGrader(rb, reg, {}, D)
    assert grader.grade(1).level is None
    grader.add_signal(
        "complaints",
        {"enterprise_id": 1, "batch_id": 99, "row_no": 2, "received_date": D, "workers": 10},
    )
    assert [r.criterion for r in grader.grade(1).reasons] == ["red.2"]
    assert grader.grade(2).level is None


def test_added_rows_grade_as_a_fresh_grader_would():
    rb = get_rulebook("baoshan")
    reg = ibis.memtable(pa.Table.from_pylist([{"enterprise_id": i} for i in (1, 2, 3)]))
    first = {
        "enterprise_id": 1,
        "batch_id": 1,
        "row_no": 2,
        "received_date": D - timedelta(days=10),
        "ticket_no": "GD-1",
        "workers": 12,
    }
    fee = {
        "enterprise_id": 3,
        "batch_id": 1,
        "row_no": 3,
        "category": "tax",
        "month": date(2024, 10, 1),
        "amount": Decimal("5"),
    }
    grader = PreparedGrader(
        rb, reg, {"complaints": ibis.memtable(to_table("complaints", [first]))}, D
    )
    assert grader.grade(1).level == "red"
    # a corrected file moves ticket GD-1 to enterprise 2: the newer row wins everywhere
    moved = {**first, "enterprise_id": 2, "batch_id": 2, "workers": 2}
    grader.add_signal("complaints", moved)
    grader.add_signal("fee_arrears", fee)
    # an older copy of the ticket arriving late changes nothing
    grader.add_signal("complaints", {**first, "batch_id": 0})
    fresh = PreparedGrader(
        rb,
        reg,
        {
            "complaints": ibis.memtable(to_table("complaints", [first, moved])),
            "fee_arrears": ibis.memtable(to_table("fee_arrears", [fee])),
        },
        D,
    )
    for eid in (1, 2, 3):
        assert grader.grade(eid) == fresh.grade(eid)
        assert grader.facts(eid) == fresh.facts(eid)
    assert grader.grade(1).level is None
    assert grader.grade(3).level == "yellow"
