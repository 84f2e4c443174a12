"""Small lakes for the baseline tests: writing them, grading them three ways, random ones."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import strategies as st

from wagewatch.bench.baselines import (
    BAOSHAN_KINDS,
    baoshan_pandas,
    baoshan_sql,
    compare,
    product_baoshan,
)
from wagewatch.signals.lake import to_table

__all__ = [
    "Rows",
    "Scenario",
    "differences",
    "grade_three",
    "months_ago",
    "registry_of",
    "scenarios",
    "write_lake",
]

REGISTRY_IDS = (1, 2, 3, 4)
Rows = Mapping[tuple[str, int], Sequence[Mapping[str, Any]]]


def registry_of(ids: Sequence[int] = REGISTRY_IDS) -> pa.Table:
    """A registry table with these enterprise ids."""
    return pa.table({"enterprise_id": pa.array(list(ids), pa.int64())})


def months_ago(d: date, k: int) -> date:
    """The first day of the month k months before d's month."""
    m = d.year * 12 + d.month - 1 - k
    return date(m // 12, m % 12 + 1, 1)


def write_lake(root: Path, batches: Rows, empty: Sequence[str] = ()) -> dict[str, list[str]]:
    """Write one Parquet file per (kind, batch); rows default to enterprise 1."""
    lake: dict[str, list[str]] = {}
    for (kind, batch), rows in sorted(batches.items()):
        full = [
            {"enterprise_id": 1, "batch_id": batch, "row_no": i + 2, **r}
            for i, r in enumerate(rows)
        ]
        path = root / kind / f"batch-{batch:08d}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(to_table(kind, full), path)
        lake.setdefault(kind, []).append(str(path))
    for kind in empty:
        path = root / kind / "batch-00009999.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(to_table(kind, []), path)
        lake.setdefault(kind, []).append(str(path))
    return lake


def grade_three(
    lake: Mapping[str, Sequence[str]], registry: pa.Table, as_of: date, *, product: bool = True
) -> dict[str, pa.Table]:
    """The detailed results of the SQL, pandas and (optionally) product paths."""
    out = {
        "sql": baoshan_sql(duckdb.connect(), lake, registry, as_of, detail=True),
        "pandas": baoshan_pandas(lake, registry, as_of, detail=True),
    }
    if product:
        out["product"] = product_baoshan(lake, registry, as_of, detail=True)
    return out


def differences(results: Mapping[str, pa.Table]) -> list[str]:
    """Every difference between the SQL result and the others."""
    return [
        d
        for name, t in results.items()
        if name != "sql"
        for d in compare(results["sql"], t, names=("sql", name))
    ]


# -- random lakes -----------------------------------------------------------------------------

AS_OF_DATES = (
    date(2024, 10, 31),
    date(2024, 3, 1),
    date(2024, 12, 31),
    date(2025, 1, 1),
    date(2024, 2, 29),
)
_BOUNDARY_DAYS = (0, 1, 2, 29, 30, 31, 44, 45, 46, 89, 90, 91, 364, 365, 366)
ENTERPRISES = st.sampled_from([1, 1, 2, 2, 3, 4, None, 99])
DUPLICATE = st.sampled_from([None, None, None, None, 2])
BATCH = st.integers(1, 3)


def _days_back() -> st.SearchStrategy[int]:
    return st.one_of(st.sampled_from(_BOUNDARY_DAYS), st.integers(-30, 420))


def _money(*values: str | None) -> st.SearchStrategy[Decimal | None]:
    return st.sampled_from([None if v is None else Decimal(v) for v in values])


@dataclass
class Scenario:
    """A random lake: the evaluation date, rows per (kind, batch) and kinds with empty files."""

    as_of: date
    batches: dict[tuple[str, int], list[dict[str, Any]]] = field(default_factory=dict)
    empty: list[str] = field(default_factory=list)


@st.composite
def _row(draw: st.DrawFn, kind: str, d: date) -> dict[str, Any]:
    def ago(n: int) -> date:
        return d - timedelta(days=n)

    row: dict[str, Any] = {"enterprise_id": draw(ENTERPRISES), "duplicate_of": draw(DUPLICATE)}
    if kind == "fee_arrears":
        row |= {
            "category": draw(st.sampled_from(["tax", "water", "social_insurance"])),
            "month": months_ago(d, draw(st.integers(-1, 6))),
            "amount": draw(_money(None, "0", "120.50")),
            "months_owed": draw(_money(None, "0", "1", "2.5", "6")),
        }
    elif kind == "si_deferrals":
        row["approved_date"] = ago(draw(_days_back()))
    elif kind == "wage_payments":
        month = months_ago(d, draw(st.integers(-1, 13)))
        due_date = draw(st.none() | st.integers(5, 60).map(lambda n: month + timedelta(days=n)))
        due = due_date or month + timedelta(days=45)
        row |= {
            "project_name": draw(st.sampled_from([None, "A", "B"])),
            "month": month,
            "workers_due": draw(st.sampled_from([None, 5, 12])),
            "workers_paid": draw(st.sampled_from([None, 0, 5, 12])),
            "amount_due": draw(_money(None, "1000.00")),
            "amount_paid": draw(_money(None, "0", "500.00", "1000.00", "1200.00")),
            "due_date": due_date,
            "paid_date": draw(st.none() | st.integers(-5, 40).map(lambda n: due + timedelta(n))),
        }
    elif kind == "complaints":
        ticket = draw(st.sampled_from([None, "T1", "T2", "T3"]))
        row |= {
            "received_date": ago(draw(_days_back())),
            "channel": "hotline_12345",
            "text": "拖欠工资",
            "ticket_no": ticket,
            "months_owed": draw(_money(None, "0", "0.5", "1", "2", "2.99", "3")),
            "workers": draw(st.sampled_from([None, 1, 3, 10, 12])),
            "amount": draw(_money(None, "0", "3000")),
            "is_wage_arrears": draw(st.sampled_from([None, True, True, False])),
        }
    elif kind == "inspections":
        row |= {
            "visit_date": ago(draw(_days_back())),
            "found_arrears": draw(st.booleans()),
            "settled": draw(st.sampled_from([None, True, False])),
            "months_owed": draw(_money(None, "1", "2.5")),
            "workers": draw(st.sampled_from([None, 0, 4, 10])),
            "amount": draw(_money(None, "8000")),
        }
    elif kind == "business_events":
        start = ago(draw(_days_back()))
        row |= {
            "event_date": start,
            "event_type": draw(
                st.sampled_from(
                    ["closure_risk", "sudden_closure", "owner_absconded", "production_halt"]
                )
            ),
            "end_date": draw(st.none() | st.integers(0, 400).map(lambda n: start + timedelta(n))),
        }
    return row


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    """A random lake around a random evaluation date: few enterprises, boundary-heavy dates."""
    s = Scenario(as_of=draw(st.sampled_from(AS_OF_DATES)))
    for kind in BAOSHAN_KINDS:
        for _ in range(draw(st.integers(0, 6))):
            batch = draw(BATCH)
            s.batches.setdefault((kind, batch), []).append(draw(_row(kind, s.as_of)))
    s.empty = draw(st.lists(st.sampled_from(BAOSHAN_KINDS), unique=True, max_size=2))
    return s
