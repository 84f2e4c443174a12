"""Readings of docs/facts.md the product once departed from, and readings the docs leave open.

The first three cases were found by these baselines (the product counted a short-paid month
paid late as a delay, deduplicated complaints per enterprise and ticket, and read a blank paid
figure as nothing paid); the product now follows the docs, and all three paths must agree.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.bench.lakes import Rows, registry_of, write_lake
from wagewatch.bench.baselines import baoshan_pandas, baoshan_sql, product_baoshan

D = date(2024, 10, 31)


def ago(n: int) -> date:
    return D - timedelta(days=n)


def _short_paid_late(month: date, due: date) -> dict[str, Any]:
    return {
        "month": month,
        "amount_due": Decimal("1000"),
        "amount_paid": Decimal("500"),
        "due_date": due,
        "paid_date": due + timedelta(days=2),
    }


def _short(ent: int, **kw: Any) -> dict[str, Any]:
    row = {"enterprise_id": ent, "month": date(2024, 9, 1), "workers_due": 12, "workers_paid": 0}
    return row | {"due_date": ago(10)} | kw


# name -> (lake, {enterprise: (level, reasons)})
CASES: dict[str, tuple[Rows, dict[int, tuple[str | None, list[str]]]]] = {
    # "wage_delays_12m: payroll months paid in full but after their due date"
    "short_paid_month_is_not_a_delay": (
        {
            ("wage_payments", 1): [
                _short_paid_late(date(2024, 8, 1), ago(20)),
                _short_paid_late(date(2024, 9, 1), ago(10)),
            ]
        },
        {1: ("yellow", ["yellow.3"]), 2: (None, [])},
    ),
    # "Event files are deduplicated by their ticket number ... newest batch winning"
    "ticket_moved_to_another_enterprise": (
        {
            ("complaints", 1): [
                {"enterprise_id": 1, "received_date": ago(5), "ticket_no": "T1", "workers": 12}
            ],
            ("complaints", 2): [
                {"enterprise_id": 2, "received_date": ago(5), "ticket_no": "T1", "workers": 12}
            ],
        },
        {1: (None, []), 2: ("red", ["red.2"])},
    ),
    # "a payroll month paid short (amount_paid < amount_due or workers_paid < workers_due, or
    # no figures and no payment date)": a blank paid figure is not a short payment
    "blank_amount_paid_is_not_short": (
        {
            ("wage_payments", 1): [
                {
                    "month": date(2024, 9, 1),
                    "amount_due": Decimal("1000"),
                    "workers_due": 10,
                    "workers_paid": 10,
                    "due_date": ago(10),
                    "paid_date": ago(10),
                }
            ]
        },
        {1: (None, []), 2: (None, [])},
    ),
    # silent in the docs: a visit marked settled (是否已解决 = 是) clears even when it records
    # no arrears found; the one that found none and is not settled clears no payroll month
    "settled_visit_clears_whatever_it_found": (
        {
            ("wage_payments", 1): [_short(1), _short(2)],
            ("inspections", 1): [
                {"enterprise_id": 1, "visit_date": ago(5), "found_arrears": False, "settled": True},
                {"enterprise_id": 2, "visit_date": ago(5), "found_arrears": False},
            ],
        },
        {1: (None, []), 2: ("red", ["red.2"])},
    ),
    # silent in the docs: two rows of one batch with the same key keep the later row
    "same_key_twice_in_one_batch_keeps_the_later_row": (
        {
            ("wage_payments", 1): [
                _short(1),
                _short(1, workers_paid=12, paid_date=ago(10)),
                _short(2, workers_paid=12, paid_date=ago(10)),
                _short(2),
            ]
        },
        {1: (None, []), 2: ("red", ["red.2"])},
    ),
}


def _grades(table: Any) -> dict[int, tuple[str | None, list[str]]]:
    return {r["enterprise_id"]: (r["level"], r["reasons"]) for r in table.to_pylist()}


@pytest.mark.parametrize("case", sorted(CASES))
def test_all_three_follow_the_docs(case: str, tmp_path: Path) -> None:
    rows, expected = CASES[case]
    lake = write_lake(tmp_path, rows)
    reg = registry_of((1, 2))
    assert _grades(baoshan_sql(duckdb.connect(), lake, reg, D)) == expected
    assert _grades(baoshan_pandas(lake, reg, D)) == expected
    assert _grades(product_baoshan(lake, reg, D)) == expected
