"""The SQL, pandas and product paths agree row for row, on random lakes and at the boundaries."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
from hypothesis import HealthCheck, event, given, settings

from tests.bench.lakes import (
    Rows,
    Scenario,
    differences,
    grade_three,
    months_ago,
    registry_of,
    scenarios,
    write_lake,
)
from wagewatch.bench.baselines import DETAIL_COLUMNS, compare

D = date(2024, 10, 31)
RANDOM = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@RANDOM
@given(scenarios())
def test_all_three_agree_on_random_lakes(s: Scenario) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        lake = write_lake(Path(tmp), s.batches, s.empty)
        results = grade_three(lake, registry_of(), s.as_of)
    for level in set(results["sql"].column("level").to_pylist()):
        event(f"level {level}")
    assert differences(results) == []


def grade(
    tmp_path: Path, batches: Rows, as_of: date = D, ids: tuple[int, ...] = (1, 2, 3, 4, 5, 6)
) -> dict[int, dict[str, Any]]:
    """Grade three ways, require agreement, and return the rows by enterprise."""
    results = grade_three(write_lake(tmp_path, batches), registry_of(ids), as_of)
    assert differences(results) == []
    return {r["enterprise_id"]: r for r in results["sql"].to_pylist()}


def grades(rows: dict[int, dict[str, Any]]) -> dict[int, tuple[str | None, list[str]]]:
    return {e: (r["level"], r["reasons"]) for e, r in rows.items()}


def ago(n: int, d: date = D) -> date:
    return d - timedelta(days=n)


# -- months of a claim at the 1 and 3 month boundaries --------------------------------------


def test_three_months_is_red_and_2_99_is_orange(tmp_path: Path) -> None:
    complaints = [
        {"enterprise_id": 1, "received_date": D, "months_owed": Decimal("2.99")},
        {"enterprise_id": 2, "received_date": D, "months_owed": Decimal("3")},
        {"enterprise_id": 3, "received_date": ago(30), "months_owed": Decimal("2")},
        {"enterprise_id": 4, "received_date": ago(29), "months_owed": Decimal("2")},
        {"enterprise_id": 5, "received_date": ago(29), "months_owed": Decimal("0")},
        {"enterprise_id": 6, "received_date": ago(30), "months_owed": Decimal("0")},
    ]
    out = grade(tmp_path, {("complaints", 1): complaints})
    assert grades(out) == {
        1: ("orange", ["orange.1"]),
        2: ("red", ["red.1"]),
        3: ("red", ["red.1"]),  # 2 months reported 30 days ago: 3 months today
        4: ("orange", ["orange.1"]),
        5: ("yellow", ["yellow.3"]),
        6: ("orange", ["orange.1"]),
    }
    assert out[3]["wage_arrears_months"] == 3.0


def test_an_unpaid_payroll_month_grows_from_its_due_date(tmp_path: Path) -> None:
    def short(ent: int, due: date) -> dict[str, Any]:
        return {
            "enterprise_id": ent,
            "month": months_ago(due, 1),
            "amount_due": Decimal("1000"),
            "amount_paid": Decimal("400"),
            "due_date": due,
        }

    no_due_date = {"enterprise_id": 5, "month": date(2024, 9, 1)}  # due 2024-10-16
    rows = [short(1, ago(90)), short(2, ago(89)), short(3, D), short(4, D + timedelta(1))]
    out = grade(tmp_path, {("wage_payments", 1): [*rows, no_due_date]})
    assert grades(out) == {
        1: ("red", ["red.1"]),
        2: ("orange", ["orange.1"]),
        3: (None, []),  # due today: 0 months, yet wages are unpaid
        4: (None, []),
        5: ("yellow", ["yellow.3"]),
        6: (None, []),
    }
    assert out[3]["wage_arrears_amount"] == 600.0
    assert out[5]["wage_arrears_months"] == 15 / 30


# -- the claim's life: clear items --------------------------------------------------------


def test_clears_and_dismissals_on_the_same_day_as_an_open_item(tmp_path: Path) -> None:
    complaint = {"received_date": ago(10), "workers": 12}
    short = {"month": date(2024, 9, 1), "workers_due": 12, "workers_paid": 0, "due_date": ago(10)}
    batches = {
        ("complaints", 1): [{"enterprise_id": e, **complaint} for e in (1, 2, 3, 4)],
        ("inspections", 1): [
            {"enterprise_id": 1, "visit_date": ago(10), "found_arrears": False},
            {"enterprise_id": 2, "visit_date": ago(11), "found_arrears": False},
            {"enterprise_id": 3, "visit_date": ago(10), "found_arrears": True, "settled": True},
            {"enterprise_id": 4, "visit_date": ago(9), "found_arrears": True, "settled": False},
            {"enterprise_id": 4, "visit_date": ago(10), "found_arrears": False},
        ],
        ("wage_payments", 1): [{"enterprise_id": e, **short} for e in (5, 6)],
        ("inspections", 2): [
            {"enterprise_id": 5, "visit_date": ago(10), "found_arrears": False},
            {"enterprise_id": 6, "visit_date": ago(10), "found_arrears": True, "settled": True},
        ],
    }
    assert grades(grade(tmp_path, batches)) == {
        1: (None, []),  # a visit finding none dismisses the complaint received that day
        2: ("red", ["red.2"]),  # ... but not one received after it
        3: (None, []),  # settled arrears clear the claim of that day
        4: ("yellow", ["yellow.3"]),  # the later visit found arrears: a fresh 0-worker item
        5: ("red", ["red.2"]),  # a visit finding none does not clear payroll arrears
        6: (None, []),
    }


# -- fee arrears runs ------------------------------------------------------------------------


def test_fee_runs_count_only_when_reaching_last_month(tmp_path: Path) -> None:
    def fee(ent: int, k: int, **kw: Any) -> dict[str, Any]:
        row = {"enterprise_id": ent, "category": "tax", "month": months_ago(D, k)}
        return row | {"amount": Decimal("100")} | kw

    rows = [
        *(fee(1, k) for k in (2, 3, 4)),  # ended two months ago: paid off
        *(fee(2, k) for k in (1, 2, 3)),
        fee(3, 0),
        fee(4, -1),  # next month's list does not count yet
        fee(5, 1, amount=Decimal("0"), months_owed=Decimal("5")),
        *(fee(6, k, amount=Decimal("0")) for k in (0, 1)),
    ]
    out = grade(tmp_path, {("fee_arrears", 1): rows})
    assert {e: r["fee_arrears_months"] for e, r in out.items()} == {
        1: 0.0,
        2: 3.0,
        3: 1.0,
        4: 0.0,
        5: 5.0,
        6: 0.0,
    }
    assert grades(out)[2] == ("yellow", ["yellow.1"])


def test_fee_runs_cross_the_year(tmp_path: Path) -> None:
    d = date(2025, 1, 5)
    rows = [
        {"enterprise_id": 1, "category": "water", "month": date(2024, 12, 1), "amount": 1},
        {"enterprise_id": 1, "category": "water", "month": date(2024, 11, 1), "amount": 1},
        {"enterprise_id": 2, "category": "gas", "month": date(2024, 11, 1), "amount": 1},
    ]
    out = grade(tmp_path, {("fee_arrears", 1): rows}, as_of=d, ids=(1, 2))
    assert {e: r["fee_arrears_months"] for e, r in out.items()} == {1: 2.0, 2: 0.0}


# -- windows ---------------------------------------------------------------------------------


def test_deferrals_delays_and_events_windows(tmp_path: Path) -> None:
    def paid_late(ent: int, due: date, project: str = "A") -> dict[str, Any]:
        return {
            "enterprise_id": ent,
            "project_name": project,
            "month": months_ago(due, 1),
            "amount_due": Decimal("100"),
            "amount_paid": Decimal("100"),
            "due_date": due,
            "paid_date": due + timedelta(days=3),
        }

    batches = {
        ("si_deferrals", 1): [
            {"enterprise_id": 1, "approved_date": D},
            {"enterprise_id": 1, "approved_date": ago(364)},
            {"enterprise_id": 2, "approved_date": D},
            {"enterprise_id": 2, "approved_date": ago(365)},
            {"enterprise_id": 2, "approved_date": D + timedelta(1)},
        ],
        ("wage_payments", 1): [
            paid_late(3, ago(364)),
            paid_late(3, ago(3)),
            paid_late(4, ago(365)),
            paid_late(4, ago(3)),
            paid_late(4, ago(2), "B"),  # paid tomorrow: not yet a delay
        ],
        ("complaints", 1): [{"enterprise_id": e, "received_date": D} for e in (5, 6)],
        ("business_events", 1): [
            {"enterprise_id": 5, "event_date": ago(364), "event_type": "closure_risk"},
            {"enterprise_id": 6, "event_date": ago(365), "event_type": "closure_risk"},
            {
                "enterprise_id": 6,
                "event_date": ago(5),
                "event_type": "sudden_closure",
                "end_date": D,
            },
        ],
    }
    out = grade(tmp_path, batches)
    assert [out[e]["wage_delays_12m"] for e in (3, 4)] == [2, 1]
    assert grades(out) == {
        1: ("yellow", ["yellow.2"]),
        2: (None, []),
        3: ("yellow", ["yellow.4"]),
        4: (None, []),
        5: ("orange", ["orange.2"]),
        6: (None, []),
    }


# -- which rows count ------------------------------------------------------------------------


def test_newest_batch_wins_and_ignored_rows(tmp_path: Path) -> None:
    batches = {
        ("fee_arrears", 1): [
            {"enterprise_id": 1, "category": "tax", "month": months_ago(D, 1), "amount": 5},
        ],
        ("fee_arrears", 2): [
            {"enterprise_id": 1, "category": "tax", "month": months_ago(D, 1), "amount": 0},
        ],
        ("wage_payments", 1): [
            {
                "enterprise_id": 2,
                "project_name": "X",
                "month": date(2024, 8, 1),
                "workers_due": 12,
                "workers_paid": 0,
            },
        ],
        ("wage_payments", 3): [
            {
                "enterprise_id": 2,
                "project_name": "X",
                "month": date(2024, 8, 1),
                "workers_due": 12,
                "workers_paid": 12,
                "paid_date": date(2024, 9, 10),
            },
        ],
        ("complaints", 1): [
            {"enterprise_id": 3, "received_date": ago(5), "ticket_no": "A", "workers": 20},
            {"enterprise_id": 4, "received_date": ago(5), "workers": 20, "duplicate_of": 2},
            {"enterprise_id": None, "received_date": ago(5), "workers": 20},
            {"enterprise_id": 5, "received_date": ago(5), "ticket_no": "B", "workers": 20},
        ],
        ("complaints", 2): [
            {
                "enterprise_id": 3,
                "received_date": ago(5),
                "ticket_no": "A",
                "is_wage_arrears": False,
            },
            {"enterprise_id": 5, "received_date": ago(5), "ticket_no": "B", "workers": 2},
        ],
    }
    assert grades(grade(tmp_path, batches)) == {
        1: (None, []),
        2: (None, []),
        3: (None, []),
        4: (None, []),
        5: ("yellow", ["yellow.3"]),  # the corrected ticket names 2 workers, not 20
        6: (None, []),
    }


def test_an_empty_lake_and_empty_files(tmp_path: Path) -> None:
    assert grades(grade(tmp_path, {})) == {e: (None, []) for e in range(1, 7)}
    lake = write_lake(tmp_path / "empty", {}, empty=["complaints", "wage_payments"])
    assert differences(grade_three(lake, registry_of(), D)) == []


# -- compare ---------------------------------------------------------------------------------


def _result(level: str | None, reasons: list[str], months: float = 0.0) -> pa.Table:
    return pa.table(
        {
            "enterprise_id": pa.array([1], pa.int64()),
            "level": pa.array([level], pa.string()),
            "reasons": pa.array([reasons], pa.list_(pa.string())),
            "wage_arrears_months": pa.array([months], pa.float64()),
        }
    )


def test_compare_reports_each_difference() -> None:
    a = _result("red", ["red.1"], 3.0)
    assert compare(a, a) == []
    assert compare(a, _result("red", ["red.1"], 3.0 + 1e-12)) == []
    assert compare(a, _result("red", ["red.1", "red.2"], 3.0 + 1e-6), names=("x", "y")) == [
        "enterprise 1: reasons ['red.1'] (x) != ['red.1', 'red.2'] (y)",
        "enterprise 1: wage_arrears_months 3.0 (x) != 3.000001 (y)",
    ]
    assert compare(a, _result(None, [])) == [
        "enterprise 1: level 'red' (a) != None (b)",
        "enterprise 1: reasons ['red.1'] (a) != [] (b)",
        "enterprise 1: wage_arrears_months 3.0 (a) != 0.0 (b)",
    ]
    assert compare(a, a.slice(0, 0)) == ["enterprise 1: only in a"]
    assert compare(a.drop_columns(["level"]), a) == ["a: no column level"]


def test_detail_columns_are_the_facts_baoshan_reads() -> None:
    assert set(DETAIL_COLUMNS) >= {"wage_arrears_months", "fee_arrears_months", "closure_risk"}
