"""Independent baselines of the `baoshan` grading, for the benchmark and as a differential test.

`baoshan_sql` (one hand-written DuckDB query) and `baoshan_pandas` (a plain pandas script)
implement docs/facts.md and the baoshan rulebook of SPEC.md from scratch; neither touches the
product's facts engine or rules code. `product_baoshan` runs the product's path on the same
lake, and `compare` lists where two results differ.

Each returns one row per registry enterprise: `enterprise_id`, `level` (null or a level code)
and `reasons` (the sorted criterion ids that fired at that level). With `detail=True` the facts
baoshan reads are returned as well, with missing facts as 0 / false.

Readings where docs/facts.md is silent: two rows of one batch with the same key keep the later
row; a blank paid figure is not compared (`amount_paid < amount_due` needs both); a visit is a
clear item when settled is 是, a dismissal when it found no arrears and is not settled, and
neither when found_arrears is blank (the importer requires it).
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

__all__ = [
    "BAOSHAN_KINDS",
    "DETAIL_COLUMNS",
    "baoshan_pandas",
    "baoshan_sql",
    "compare",
    "main",
    "product_baoshan",
    "synthetic_lake",
]

Lake = Mapping[str, Sequence[str]]

# The lake columns each kind contributes to baoshan, with their DuckDB types.
_LINEAGE = (
    ("enterprise_id", "BIGINT"),
    ("batch_id", "BIGINT"),
    ("row_no", "BIGINT"),
    ("duplicate_of", "BIGINT"),
)
_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "fee_arrears": (
        ("category", "VARCHAR"),
        ("month", "DATE"),
        ("amount", "DECIMAL(18,2)"),
        ("months_owed", "DECIMAL(18,2)"),
    ),
    "si_deferrals": (("approved_date", "DATE"),),
    "wage_payments": (
        ("project_name", "VARCHAR"),
        ("month", "DATE"),
        ("workers_due", "BIGINT"),
        ("workers_paid", "BIGINT"),
        ("amount_due", "DECIMAL(18,2)"),
        ("amount_paid", "DECIMAL(18,2)"),
        ("due_date", "DATE"),
        ("paid_date", "DATE"),
    ),
    "complaints": (
        ("received_date", "DATE"),
        ("ticket_no", "VARCHAR"),
        ("months_owed", "DECIMAL(18,2)"),
        ("workers", "BIGINT"),
        ("amount", "DECIMAL(18,2)"),
        ("is_wage_arrears", "BOOLEAN"),
    ),
    "inspections": (
        ("visit_date", "DATE"),
        ("found_arrears", "BOOLEAN"),
        ("settled", "BOOLEAN"),
        ("months_owed", "DECIMAL(18,2)"),
        ("workers", "BIGINT"),
        ("amount", "DECIMAL(18,2)"),
    ),
    "business_events": (
        ("event_date", "DATE"),
        ("event_type", "VARCHAR"),
        ("end_date", "DATE"),
    ),
}
BAOSHAN_KINDS: tuple[str, ...] = tuple(_COLUMNS)

FEE_CATEGORIES = ("tax", "social_insurance", "loan", "water", "electricity", "gas", "telecom")
PAY_LAG_DAYS = 45
YEAR_DAYS = 365

# The facts baoshan reads, in output order, with their arrow types.
DETAIL_COLUMNS: dict[str, pa.DataType] = {
    "wage_arrears_months": pa.float64(),
    "wage_arrears_workers": pa.int64(),
    "wage_arrears_amount": pa.float64(),
    "fee_arrears_months": pa.float64(),
    "social_insurance_deferrals_12m": pa.int64(),
    "wage_delays_12m": pa.int64(),
    "closure_risk": pa.bool_(),
    "sudden_closure": pa.bool_(),
    "owner_absconded": pa.bool_(),
}

_RESULT_SCHEMA = pa.schema(
    [
        pa.field("enterprise_id", pa.int64()),
        pa.field("level", pa.string()),
        pa.field("reasons", pa.list_(pa.string())),
    ]
)


def _result_schema(detail: bool) -> pa.Schema:
    if not detail:
        return _RESULT_SCHEMA
    return pa.schema(list(_RESULT_SCHEMA) + [pa.field(n, t) for n, t in DETAIL_COLUMNS.items()])


# -- DuckDB SQL -------------------------------------------------------------------------------


def _sql_source(kind: str, paths: Sequence[str]) -> str:
    cols = _COLUMNS[kind] + _LINEAGE
    if not paths:
        return "SELECT " + ", ".join(f"CAST(NULL AS {t}) AS {c}" for c, t in cols) + " LIMIT 0"
    files = ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths)
    return (
        f"SELECT {', '.join(c for c, _ in cols)} FROM read_parquet([{files}])"
        " WHERE enterprise_id IS NOT NULL AND duplicate_of IS NULL"
    )


_SQL = """
WITH
registry AS (
    SELECT DISTINCT CAST(enterprise_id AS BIGINT) AS enterprise_id
    FROM {registry} WHERE enterprise_id IS NOT NULL
),
fee_rows AS ({fee_arrears}),
si_rows AS ({si_deferrals}),
pay_rows AS ({wage_payments}),
complaint_rows AS ({complaints}),
inspection_rows AS ({inspections}),
event_rows AS ({business_events}),

fee_latest AS (
    SELECT enterprise_id, category, month,
           arg_max(struct_pack(amount, months_owed), (batch_id, row_no)) AS r
    FROM fee_rows
    WHERE category IN ({categories}) AND month <= {d}
    GROUP BY enterprise_id, category, month
),
fee_owed AS (
    SELECT enterprise_id, category, year(month) * 12 + month(month) AS m,
           CAST(r.months_owed AS DOUBLE) AS given
    FROM fee_latest
    WHERE coalesce(r.amount, 0) > 0 OR coalesce(r.months_owed, 0) > 0
),
fee_runs AS (
    SELECT enterprise_id, category, max(m) AS last_m, count(*) AS n, max(given) AS given
    FROM (
        SELECT *, m - row_number() OVER (PARTITION BY enterprise_id, category ORDER BY m) AS run
        FROM fee_owed
    )
    GROUP BY enterprise_id, category, run
),
fee AS (
    SELECT enterprise_id,
           max(greatest(CAST(n AS DOUBLE), coalesce(given, 0.0))) AS fee_arrears_months
    FROM fee_runs WHERE last_m >= {d_month} - 1
    GROUP BY enterprise_id
),

si AS (
    SELECT enterprise_id, count(DISTINCT approved_date) AS social_insurance_deferrals_12m
    FROM si_rows WHERE {d} - approved_date BETWEEN 0 AND {year_days} - 1
    GROUP BY enterprise_id
),

pay_latest AS (
    SELECT enterprise_id, month,
           arg_max(
               struct_pack(workers_due, workers_paid, amount_due, amount_paid, due_date, paid_date),
               (batch_id, row_no)) AS r
    FROM pay_rows
    GROUP BY enterprise_id, project_name, month
),
pay AS (
    SELECT enterprise_id, r.workers_due, r.workers_paid, r.amount_due, r.amount_paid,
           r.paid_date,
           coalesce(r.due_date, month + {pay_lag}) AS due,
           coalesce(r.amount_paid < r.amount_due, false) AS short_amount,
           coalesce(r.workers_paid < r.workers_due, false) AS short_workers,
           r.amount_due IS NULL AND r.workers_due IS NULL AS no_figures
    FROM pay_latest
),
pay_due AS (
    SELECT *, short_amount OR short_workers OR (no_figures AND paid_date IS NULL) AS unpaid
    FROM pay WHERE due <= {d}
),
delays AS (
    SELECT enterprise_id, count(*) AS wage_delays_12m
    FROM pay_due
    WHERE NOT short_amount AND NOT short_workers
      AND paid_date > due AND paid_date <= {d} AND {d} - due < {year_days}
    GROUP BY enterprise_id
),

complaint AS (
    SELECT enterprise_id, received_date, months_owed, workers, amount, is_wage_arrears
    FROM complaint_rows WHERE ticket_no IS NULL
    UNION ALL
    SELECT r.enterprise_id, r.received_date, r.months_owed, r.workers, r.amount,
           r.is_wage_arrears
    FROM (
        SELECT arg_max(
                   struct_pack(enterprise_id, received_date, months_owed, workers, amount,
                               is_wage_arrears),
                   (batch_id, row_no)) AS r
        FROM complaint_rows WHERE ticket_no IS NOT NULL
        GROUP BY ticket_no
    )
),
inspection AS (
    SELECT *,
           found_arrears IS TRUE AND settled IS NOT TRUE AS is_open,
           settled IS TRUE AS is_clear,
           found_arrears IS FALSE AND settled IS NOT TRUE AS is_dismissal
    FROM inspection_rows WHERE visit_date <= {d}
),
open_items AS (
    SELECT enterprise_id, due AS item_date, 0.0::DOUBLE AS base_months,
           CASE WHEN short_workers THEN workers_due - workers_paid ELSE 0 END AS workers,
           CASE WHEN short_amount THEN CAST(amount_due - amount_paid AS DOUBLE) ELSE 0.0 END
               AS amount,
           true AS payroll, false AS complaint
    FROM pay_due WHERE unpaid
    UNION ALL
    SELECT enterprise_id, received_date, coalesce(CAST(months_owed AS DOUBLE), 0.0),
           coalesce(workers, 1), coalesce(CAST(amount AS DOUBLE), 0.0), false, true
    FROM complaint
    WHERE is_wage_arrears IS NOT FALSE AND received_date <= {d}
    UNION ALL
    SELECT enterprise_id, visit_date, coalesce(CAST(months_owed AS DOUBLE), 0.0),
           coalesce(workers, 0), coalesce(CAST(amount AS DOUBLE), 0.0), false, false
    FROM inspection WHERE is_open
),
visits AS (
    SELECT enterprise_id,
           max(visit_date) FILTER (WHERE is_clear) AS last_clear,
           max(visit_date) FILTER (WHERE is_dismissal) AS last_dismissal
    FROM inspection GROUP BY enterprise_id
),
claim AS (
    SELECT o.enterprise_id,
           max(o.base_months + CAST({d} - o.item_date AS DOUBLE) / 30.0::DOUBLE)
               AS wage_arrears_months,
           max(o.workers) AS wage_arrears_workers,
           greatest(coalesce(sum(o.amount) FILTER (WHERE o.payroll), 0.0),
                    coalesce(max(o.amount) FILTER (WHERE NOT o.payroll), 0.0))
               AS wage_arrears_amount
    FROM open_items o LEFT JOIN visits v ON v.enterprise_id = o.enterprise_id
    WHERE (v.last_clear IS NULL OR o.item_date > v.last_clear)
      AND NOT (o.complaint AND o.item_date <= v.last_dismissal) IS TRUE
    GROUP BY o.enterprise_id
),

events AS (
    SELECT enterprise_id,
           bool_or(event_type = 'closure_risk') AS closure_risk,
           bool_or(event_type = 'sudden_closure') AS sudden_closure,
           bool_or(event_type = 'owner_absconded') AS owner_absconded
    FROM event_rows
    WHERE {d} - event_date BETWEEN 0 AND {year_days} - 1 AND (end_date IS NULL OR end_date > {d})
    GROUP BY enterprise_id
),

facts AS (
    SELECT r.enterprise_id,
           coalesce(claim.wage_arrears_months, 0.0) AS wage_arrears_months,
           coalesce(claim.wage_arrears_workers, 0) AS wage_arrears_workers,
           coalesce(claim.wage_arrears_amount, 0.0) AS wage_arrears_amount,
           coalesce(fee.fee_arrears_months, 0.0) AS fee_arrears_months,
           coalesce(si.social_insurance_deferrals_12m, 0) AS social_insurance_deferrals_12m,
           coalesce(delays.wage_delays_12m, 0) AS wage_delays_12m,
           coalesce(events.closure_risk, false) AS closure_risk,
           coalesce(events.sudden_closure, false) AS sudden_closure,
           coalesce(events.owner_absconded, false) AS owner_absconded
    FROM registry r
    LEFT JOIN claim ON claim.enterprise_id = r.enterprise_id
    LEFT JOIN fee ON fee.enterprise_id = r.enterprise_id
    LEFT JOIN si ON si.enterprise_id = r.enterprise_id
    LEFT JOIN delays ON delays.enterprise_id = r.enterprise_id
    LEFT JOIN events ON events.enterprise_id = r.enterprise_id
),
unpaid AS (
    SELECT *,
           wage_arrears_months > 0 OR wage_arrears_workers > 0 OR wage_arrears_amount > 0
               AS wages_unpaid
    FROM facts
),
hits AS (
    SELECT *,
        list_filter([
            CASE WHEN wage_arrears_months >= 3 THEN 'red.1' END,
            CASE WHEN wage_arrears_workers >= 10 THEN 'red.2' END,
            CASE WHEN (sudden_closure OR owner_absconded) AND wages_unpaid THEN 'red.3' END
        ], lambda x: x IS NOT NULL) AS red,
        list_filter([
            CASE WHEN wage_arrears_months >= 1 AND wage_arrears_months < 3 THEN 'orange.1' END,
            CASE WHEN closure_risk AND wages_unpaid THEN 'orange.2' END
        ], lambda x: x IS NOT NULL) AS orange,
        list_filter([
            CASE WHEN fee_arrears_months > 0 THEN 'yellow.1' END,
            CASE WHEN social_insurance_deferrals_12m >= 2 THEN 'yellow.2' END,
            CASE WHEN wage_arrears_months > 0 AND wage_arrears_months < 1 THEN 'yellow.3' END,
            CASE WHEN wage_delays_12m >= 2 THEN 'yellow.4' END
        ], lambda x: x IS NOT NULL) AS yellow
    FROM unpaid
)
SELECT enterprise_id,
       CASE WHEN len(red) > 0 THEN 'red' WHEN len(orange) > 0 THEN 'orange'
            WHEN len(yellow) > 0 THEN 'yellow' END AS level,
       list_sort(CASE WHEN len(red) > 0 THEN red WHEN len(orange) > 0 THEN orange
                      ELSE yellow END) AS reasons{detail}
FROM hits
ORDER BY enterprise_id
"""


def baoshan_sql(
    con: duckdb.DuckDBPyConnection,
    lake: Lake,
    registry: pa.Table,
    as_of: date,
    *,
    detail: bool = False,
) -> pa.Table:
    """Grade every registry enterprise under baoshan with one hand-written DuckDB query."""
    view = "ww_bench_registry"
    sql = _SQL.format(
        registry=view,
        d=f"DATE '{as_of.isoformat()}'",
        d_month=as_of.year * 12 + as_of.month,
        year_days=YEAR_DAYS,
        pay_lag=PAY_LAG_DAYS,
        categories=", ".join(f"'{c}'" for c in FEE_CATEGORIES),
        detail="".join(f", {c}" for c in DETAIL_COLUMNS) if detail else "",
        **{kind: _sql_source(kind, lake.get(kind, ())) for kind in BAOSHAN_KINDS},
    )
    con.register(view, registry.select(["enterprise_id"]))
    try:
        result = con.sql(sql).to_arrow_table()
    finally:
        con.unregister(view)
    return result.cast(_result_schema(detail))


# -- pandas -----------------------------------------------------------------------------------

_DATE_COLUMNS = {"month", "approved_date", "due_date", "paid_date", "received_date"}
_DATE_COLUMNS |= {"visit_date", "event_date", "end_date"}
_NUMBER_COLUMNS = {"amount", "months_owed", "amount_due", "amount_paid"}
_NUMBER_COLUMNS |= {"workers_due", "workers_paid", "workers"}


def _read(kind: str, paths: Sequence[str]) -> pd.DataFrame:
    cols = [c for c, _ in _COLUMNS[kind] + _LINEAGE]
    if paths:
        df = pd.concat([pd.read_parquet(p, columns=cols) for p in paths], ignore_index=True)
    else:
        df = pd.DataFrame({c: pd.Series([], dtype=object) for c in cols})
    df = df[df["enterprise_id"].notna() & df["duplicate_of"].isna()].copy()
    df["enterprise_id"] = df["enterprise_id"].astype("int64")
    for c in df.columns:
        if c in _DATE_COLUMNS:
            df[c] = pd.to_datetime(df[c])
        elif c in _NUMBER_COLUMNS:
            df[c] = df[c].astype("float64")
    return df


def _newest(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Keep one row per key: the newest batch's (the last row of it)."""
    df = df.sort_values(["batch_id", "row_no"], ascending=False)
    return df.drop_duplicates(keys, keep="first")


def _days(d: pd.Timestamp, col: pd.Series) -> pd.Series:
    return (d - col).dt.days


def baoshan_pandas(
    lake: Lake, registry: pa.Table, as_of: date, *, detail: bool = False
) -> pa.Table:
    """Grade every registry enterprise under baoshan with a plain pandas script."""
    d = pd.Timestamp(as_of)
    ents = registry.select(["enterprise_id"]).to_pandas().dropna().drop_duplicates()
    ents["enterprise_id"] = ents["enterprise_id"].astype("int64")

    # fee arrears: runs of consecutive owed months reaching D's month or the one before
    fee = _newest(
        _read("fee_arrears", lake.get("fee_arrears", ())), ["enterprise_id", "category", "month"]
    )
    owed = (fee["amount"].fillna(0) > 0) | (fee["months_owed"].fillna(0) > 0)
    fee = fee[owed & fee["category"].isin(FEE_CATEGORIES) & (fee["month"] <= d)].copy()
    fee["m"] = fee["month"].dt.year * 12 + fee["month"].dt.month
    fee = fee.sort_values(["enterprise_id", "category", "m"])
    same_series = (fee["enterprise_id"] == fee["enterprise_id"].shift()) & (
        fee["category"] == fee["category"].shift()
    )
    fee["run"] = (~(same_series & (fee["m"].diff() == 1))).cumsum()
    runs = fee.groupby("run").agg(
        enterprise_id=("enterprise_id", "first"),
        last_m=("m", "max"),
        n=("m", "size"),
        given=("months_owed", "max"),
    )
    runs = runs[runs["last_m"] >= as_of.year * 12 + as_of.month - 1].copy()
    runs["months"] = np.maximum(runs["n"].astype("float64"), runs["given"].fillna(0.0))
    fee_months = runs.groupby("enterprise_id")["months"].max().rename("fee_arrears_months")

    # social-insurance deferrals within 365 days
    si = _newest(
        _read("si_deferrals", lake.get("si_deferrals", ())), ["enterprise_id", "approved_date"]
    )
    age = _days(d, si["approved_date"])
    si = si[(age >= 0) & (age < YEAR_DAYS)]
    si_count = si.groupby("enterprise_id").size().rename("social_insurance_deferrals_12m")

    # payroll months: short-paid ones are open items; late full payments are delays
    pay = _newest(
        _read("wage_payments", lake.get("wage_payments", ())),
        ["enterprise_id", "project_name", "month"],
    )
    pay["due"] = pay["due_date"].fillna(pay["month"] + pd.Timedelta(days=PAY_LAG_DAYS))
    pay = pay[pay["due"] <= d]
    short_amount = pay["amount_paid"] < pay["amount_due"]
    short_workers = pay["workers_paid"] < pay["workers_due"]
    no_figures = pay["amount_due"].isna() & pay["workers_due"].isna()
    unpaid = short_amount | short_workers | (no_figures & pay["paid_date"].isna())
    pay_items = pd.DataFrame(
        {
            "enterprise_id": pay["enterprise_id"],
            "date": pay["due"],
            "base": 0.0,
            "workers": np.where(short_workers, pay["workers_due"] - pay["workers_paid"], 0),
            "amount": np.where(short_amount, pay["amount_due"] - pay["amount_paid"], 0.0),
            "payroll": True,
            "complaint": False,
        }
    )[unpaid]
    late = pay[
        ~short_amount
        & ~short_workers
        & pay["paid_date"].notna()
        & (pay["paid_date"] > pay["due"])
        & (pay["paid_date"] <= d)
        & (_days(d, pay["due"]) < YEAR_DAYS)
    ]
    delays = late.groupby("enterprise_id").size().rename("wage_delays_12m")

    # complaints: one row per ticket number (newest batch), wage complaints up to D
    comp = _read("complaints", lake.get("complaints", ()))
    comp = comp.sort_values(["batch_id", "row_no"], ascending=False)
    comp = comp[comp["ticket_no"].isna() | ~comp.duplicated("ticket_no")]
    comp = comp[comp["is_wage_arrears"].ne(False) & (comp["received_date"] <= d)]
    comp_items = pd.DataFrame(
        {
            "enterprise_id": comp["enterprise_id"],
            "date": comp["received_date"],
            "base": comp["months_owed"].fillna(0.0),
            "workers": comp["workers"].fillna(1),
            "amount": comp["amount"].fillna(0.0),
            "payroll": False,
            "complaint": True,
        }
    )

    # inspections: open items; settled visits clear, visits finding none dismiss complaints
    insp = _read("inspections", lake.get("inspections", ()))
    insp = insp[insp["visit_date"] <= d]
    found, settled = insp["found_arrears"], insp["settled"]
    is_open = found.eq(True) & ~settled.eq(True)
    is_clear = settled.eq(True)
    is_dismissal = found.eq(False) & ~settled.eq(True)
    insp_items = pd.DataFrame(
        {
            "enterprise_id": insp["enterprise_id"],
            "date": insp["visit_date"],
            "base": insp["months_owed"].fillna(0.0),
            "workers": insp["workers"].fillna(0),
            "amount": insp["amount"].fillna(0.0),
            "payroll": False,
            "complaint": False,
        }
    )[is_open]
    last_clear = insp[is_clear].groupby("enterprise_id")["visit_date"].max().rename("last_clear")
    last_dismissal = (
        insp[is_dismissal].groupby("enterprise_id")["visit_date"].max().rename("last_dismissal")
    )

    # the claim: open items after the last clear item, less dismissed complaints
    parts = [x for x in (pay_items, comp_items, insp_items) if len(x)]
    items = pd.concat(parts) if parts else pay_items
    items = items.merge(last_clear, left_on="enterprise_id", right_index=True, how="left")
    items = items.merge(last_dismissal, left_on="enterprise_id", right_index=True, how="left")
    after_clear = items["last_clear"].isna() | (items["date"] > items["last_clear"])
    dismissed = items["complaint"].astype(bool) & (items["date"] <= items["last_dismissal"])
    items = items[after_clear & ~dismissed].copy()
    items["months"] = items["base"] + _days(d, items["date"]).astype("float64") / 30.0
    items["payroll_amount"] = items["amount"].where(items["payroll"].astype(bool))
    items["report_amount"] = items["amount"].where(~items["payroll"].astype(bool))
    claim = items.groupby("enterprise_id").agg(
        wage_arrears_months=("months", "max"),
        wage_arrears_workers=("workers", "max"),
        payroll_amount=("payroll_amount", "sum"),
        report_amount=("report_amount", "max"),
    )
    claim["wage_arrears_amount"] = np.maximum(
        claim["payroll_amount"].fillna(0.0), claim["report_amount"].fillna(0.0)
    )

    # business events active at D
    ev = _read("business_events", lake.get("business_events", ()))
    age = _days(d, ev["event_date"])
    ev = ev[(age >= 0) & (age < YEAR_DAYS) & (ev["end_date"].isna() | (ev["end_date"] > d))]
    flags = ["closure_risk", "sudden_closure", "owner_absconded"]
    ev = ev.assign(**{f: ev["event_type"] == f for f in flags})
    events = ev.groupby("enterprise_id")[flags].any()

    facts = ents.set_index("enterprise_id")
    facts = facts.join(
        claim[["wage_arrears_months", "wage_arrears_workers", "wage_arrears_amount"]]
    )
    facts = facts.join([fee_months, si_count, delays, events])
    for name, typ in DETAIL_COLUMNS.items():
        if typ == pa.bool_():
            facts[name] = facts[name].fillna(False).astype(bool)
        elif typ == pa.int64():
            facts[name] = facts[name].fillna(0).astype("int64")
        else:
            facts[name] = facts[name].fillna(0.0).astype("float64")
    facts = facts.reset_index().sort_values("enterprise_id")

    f = facts
    unpaid_wages = (
        (f["wage_arrears_months"] > 0)
        | (f["wage_arrears_workers"] > 0)
        | (f["wage_arrears_amount"] > 0)
    )
    crit = pd.DataFrame(
        {
            "red.1": f["wage_arrears_months"] >= 3,
            "red.2": f["wage_arrears_workers"] >= 10,
            "red.3": (f["sudden_closure"] | f["owner_absconded"]) & unpaid_wages,
            "orange.1": (f["wage_arrears_months"] >= 1) & (f["wage_arrears_months"] < 3),
            "orange.2": f["closure_risk"] & unpaid_wages,
            "yellow.1": f["fee_arrears_months"] > 0,
            "yellow.2": f["social_insurance_deferrals_12m"] >= 2,
            "yellow.3": (f["wage_arrears_months"] > 0) & (f["wage_arrears_months"] < 1),
            "yellow.4": f["wage_delays_12m"] >= 2,
        }
    )
    levels = ("red", "orange", "yellow")
    hit = {lv: crit[[c for c in crit.columns if c.startswith(lv + ".")]] for lv in levels}
    level = np.select([hit[lv].any(axis=1).to_numpy() for lv in levels], list(levels), default="")
    crit = crit[sorted(crit.columns)]
    matrix = crit.to_numpy()
    names = list(crit.columns)
    reasons = [
        [n for n, v in zip(names, row, strict=True) if v and n.startswith(lv + ".")] if lv else []
        for lv, row in zip(level, matrix, strict=True)
    ]
    out: dict[str, Any] = {
        "enterprise_id": f["enterprise_id"].to_numpy(),
        "level": [lv or None for lv in level],
        "reasons": reasons,
    }
    if detail:
        out.update({c: f[c].to_numpy() for c in DETAIL_COLUMNS})
    return pa.Table.from_pydict(out, schema=_result_schema(detail))


# -- the product's path -----------------------------------------------------------------------


def product_baoshan(
    lake: Lake, registry: pa.Table, as_of: date, *, detail: bool = False
) -> pa.Table:
    """Grade every registry enterprise under baoshan through the product's ibis engine."""
    import ibis

    from wagewatch.facts.engine import FactsInputs, compute_facts
    from wagewatch.rules.engine import criterion_column, grade_table
    from wagewatch.rules.registry import get_rulebook

    con = ibis.duckdb.connect()
    try:
        signals = {
            kind: con.read_parquet([str(p) for p in lake[kind]])
            for kind in BAOSHAN_KINDS
            if lake.get(kind)
        }
        inputs = FactsInputs(registry=ibis.memtable(registry), signals=signals)
        rb = get_rulebook("baoshan")
        graded = grade_table(rb, compute_facts(inputs, as_of))
        ids = [
            ibis.ifelse(
                graded[criterion_column(i)] & (graded.level == c.level),
                ibis.literal(c.id),
                ibis.null("string"),
            )
            for i, c in enumerate(rb.criteria)
        ]
        reasons = ibis.array(ids).filter(lambda x: x.notnull()).sort()
        cols: dict[str, Any] = {
            "enterprise_id": graded.enterprise_id,
            "level": graded.level,
            "reasons": reasons,
        }
        if detail:
            cols.update({c: graded[c] for c in DETAIL_COLUMNS})
        result = con.to_pyarrow(graded.select(**cols).order_by("enterprise_id"))
    finally:
        con.disconnect()
    return result.cast(_result_schema(detail))


# -- comparison -------------------------------------------------------------------------------


def _same(x: object, y: object) -> bool:
    if isinstance(x, float) and isinstance(y, float):
        return math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9)
    return x == y


def compare(a: pa.Table, b: pa.Table, *, names: tuple[str, str] = ("a", "b")) -> list[str]:
    """The differences between two results, one line each; empty when they agree."""
    na, nb = names
    diffs: list[str] = []
    for required in _RESULT_SCHEMA.names:
        for side, t in ((na, a), (nb, b)):
            if required not in t.column_names:
                diffs.append(f"{side}: no column {required}")
    if diffs:
        return diffs
    cols = [c for c in a.column_names if c in b.column_names and c != "enterprise_id"]
    rows: list[dict[Any, dict[str, Any]]] = []
    for side, t in ((na, a), (nb, b)):
        by_id: dict[Any, dict[str, Any]] = {}
        for r in t.to_pylist():
            if r["enterprise_id"] in by_id:
                diffs.append(f"enterprise {r['enterprise_id']}: {side} has it more than once")
            by_id[r["enterprise_id"]] = r
        rows.append(by_id)
    ra, rb = rows
    for eid in sorted(ra.keys() | rb.keys(), key=lambda e: (e is None, e)):
        if eid not in rb:
            diffs.append(f"enterprise {eid}: only in {na}")
            continue
        if eid not in ra:
            diffs.append(f"enterprise {eid}: only in {nb}")
            continue
        for c in cols:
            x, y = ra[eid][c], rb[eid][c]
            if not _same(x, y):
                diffs.append(f"enterprise {eid}: {c} {x!r} ({na}) != {y!r} ({nb})")
    return diffs


# -- a synthetic lake for timing ----------------------------------------------------------


def _months_before(as_of: date, k: np.ndarray) -> np.ndarray:
    return (np.datetime64(as_of, "M") - k).astype("datetime64[D]")


def _write_kind(
    out_dir: Path, kind: str, cols: dict[str, Any], rng: np.random.Generator, batches: int
) -> list[str]:
    from wagewatch.signals.lake import arrow_schema

    n = len(cols["enterprise_id"])
    schema = arrow_schema(kind)
    arrays = []
    for f in schema:
        v = cols.get(f.name)
        if v is None:
            arrays.append(pa.nulls(n, f.type))
        elif isinstance(v, pa.Array):
            arrays.append(v.cast(f.type))
        else:
            arrays.append(pa.array(v, from_pandas=True).cast(f.type))
    table = pa.Table.from_arrays(arrays, schema=schema)
    batch = rng.integers(1, batches + 1, n)
    paths = []
    (out_dir / kind).mkdir(parents=True, exist_ok=True)
    for b in range(1, batches + 1):
        part = table.filter(pa.array(batch == b))
        rows = pa.array(np.arange(2, len(part) + 2), pa.int64())
        part = part.set_column(
            schema.get_field_index("batch_id"),
            "batch_id",
            pa.nulls(len(part), pa.int64()).fill_null(b),
        )
        part = part.set_column(schema.get_field_index("row_no"), "row_no", rows)
        path = out_dir / kind / f"batch-{b:08d}.parquet"
        pq.write_table(part, path)
        paths.append(str(path))
    return paths


def _nullable(values: np.ndarray, null_share: float, rng: np.random.Generator) -> pa.Array:
    return pa.array(values, mask=rng.random(len(values)) < null_share, from_pandas=True)


def synthetic_lake(
    out_dir: Path, enterprises: int, as_of: date, *, seed: int = 0, batches: int = 2
) -> tuple[dict[str, list[str]], pa.Table]:
    """Write a random lake of the six baoshan kinds with numpy; return it and its registry.

    Rows of one key spread over the batches (corrections), about 1% are ignored (no enterprise
    or a duplicate), and the corner cases of docs/facts.md occur: blank figures, short months
    paid late, complaint tickets re-sent (some moved to another enterprise).
    """
    rng = np.random.default_rng(seed)
    n = enterprises
    d = np.datetime64(as_of, "D")

    def ents(k: int) -> pa.Array:
        return _nullable(rng.integers(1, n + 1, k), 0.01, rng)

    def lineage(k: int) -> dict[str, Any]:
        return {"enterprise_id": ents(k), "duplicate_of": _nullable(np.full(k, 2), 0.99, rng)}

    def days(k: int, low: int, high: int) -> np.ndarray:
        return rng.integers(low, high, k).astype("timedelta64[D]")

    lake: dict[str, list[str]] = {}
    k = 2 * n
    lake["fee_arrears"] = _write_kind(
        out_dir,
        "fee_arrears",
        {
            **lineage(k),
            "category": rng.choice(np.array(FEE_CATEGORIES), k),
            "month": _months_before(as_of, rng.integers(0, 9, k)),
            "amount": rng.choice(np.array([0.0, 100.0, 2500.5]), k),
            "months_owed": _nullable(rng.integers(0, 8, k).astype(float), 0.9, rng),
        },
        rng,
        batches,
    )
    k = n // 3
    lake["si_deferrals"] = _write_kind(
        out_dir, "si_deferrals", {**lineage(k), "approved_date": d - days(k, 0, 500)}, rng, batches
    )
    k = 3 * n
    workers_due = rng.integers(1, 40, k)
    short = rng.random(k) < 0.1
    amount_due = workers_due * 6000.0
    month = _months_before(as_of, rng.integers(0, 14, k))
    due = month + days(k, 10, 45)
    no_figures = rng.random(k) < 0.05
    figures = ~no_figures
    paid = due + days(k, -10, 12)
    paid = np.where(short & (rng.random(k) < 0.7), np.datetime64("NaT"), paid)
    lake["wage_payments"] = _write_kind(
        out_dir,
        "wage_payments",
        {
            **lineage(k),
            "project_name": _nullable(rng.choice(np.array(["P1", "P2", "P3"]), k), 0.4, rng),
            "month": month,
            "workers_due": pa.array(workers_due, mask=no_figures),
            "workers_paid": pa.array(
                np.where(short, rng.integers(0, workers_due), workers_due),
                mask=no_figures | (rng.random(k) < 0.02),
            ),
            "amount_due": pa.array(amount_due, mask=no_figures),
            "amount_paid": pa.array(
                np.where(short, np.floor(amount_due * rng.random(k)), amount_due), mask=no_figures
            ),
            "due_date": pa.array(due, mask=rng.random(k) < 0.3),
            "paid_date": pa.array(paid, mask=np.isnat(paid) | (figures & (rng.random(k) < 0.02))),
        },
        rng,
        batches,
    )
    k = n // 5
    resent = rng.random(k) < 0.05
    ticket_ids = np.where(resent, np.maximum(np.arange(k) - 1, 0), np.arange(k))
    complaint_ents = rng.integers(1, n + 1, k)
    moved = rng.random(k) < 0.3
    complaint_ents = np.where(resent & ~moved, complaint_ents[ticket_ids], complaint_ents)
    lake["complaints"] = _write_kind(
        out_dir,
        "complaints",
        {
            "enterprise_id": _nullable(complaint_ents, 0.01, rng),
            "duplicate_of": _nullable(np.full(k, 2), 0.99, rng),
            "received_date": d - days(k, 0, 400),
            "ticket_no": _nullable(np.char.add("T", ticket_ids.astype(str)), 0.3, rng),
            "months_owed": _nullable(rng.choice(np.array([0.5, 1, 2, 2.5, 3, 4]), k), 0.5, rng),
            "workers": _nullable(rng.integers(1, 25, k), 0.4, rng),
            "amount": _nullable(rng.integers(0, 200_000, k).astype(float), 0.5, rng),
            "is_wage_arrears": _nullable(rng.random(k) < 0.9, 0.1, rng),
        },
        rng,
        batches,
    )
    k = n // 5
    found = rng.random(k) < 0.5
    lake["inspections"] = _write_kind(
        out_dir,
        "inspections",
        {
            **lineage(k),
            "visit_date": d - days(k, 0, 400),
            "found_arrears": found,
            "settled": pa.array(rng.random(k) < 0.5, mask=~found | (rng.random(k) < 0.3)),
            "months_owed": _nullable(rng.integers(1, 4, k).astype(float), 0.5, rng),
            "workers": _nullable(rng.integers(1, 20, k), 0.5, rng),
            "amount": _nullable(rng.integers(0, 100_000, k).astype(float), 0.5, rng),
        },
        rng,
        batches,
    )
    k = n // 10
    event_date = d - days(k, 0, 500)
    types = ["production_halt", "relocation", "closure_risk", "sudden_closure", "owner_absconded"]
    lake["business_events"] = _write_kind(
        out_dir,
        "business_events",
        {
            **lineage(k),
            "event_date": event_date,
            "event_type": rng.choice(np.array(types), k),
            "end_date": pa.array(event_date + days(k, 0, 400), mask=rng.random(k) < 0.7),
        },
        rng,
        batches,
    )
    registry = pa.table(
        {
            "enterprise_id": pa.array(np.arange(1, n + 1), pa.int64()),
            "employees": pa.array(rng.integers(1, 2000, n), pa.int64()),
        }
    )
    return lake, registry


def _timed(fn: Callable[[], pa.Table]) -> tuple[float, pa.Table]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def main(argv: Sequence[str] | None = None) -> int:
    """Time the three paths on a synthetic lake: `python -m wagewatch.bench.baselines [N]`."""
    import tempfile

    args = list(sys.argv[1:] if argv is None else argv)
    n = int(args[0]) if args else 100_000
    as_of = date(2024, 10, 31)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        lake, registry = synthetic_lake(Path(tmp), n, as_of)
        rows = sum(pq.ParquetFile(p).metadata.num_rows for ps in lake.values() for p in ps)
        print(f"lake: {n} enterprises, {rows} rows, written in {time.perf_counter() - t0:.2f}s")
        con = duckdb.connect()
        results = {}
        for name, fn in (
            ("sql", lambda: baoshan_sql(con, lake, registry, as_of)),
            ("pandas", lambda: baoshan_pandas(lake, registry, as_of)),
            ("product", lambda: product_baoshan(lake, registry, as_of)),
        ):
            runs = [_timed(fn) for _ in range(3)]
            results[name] = runs[0][1]
            best = min(t for t, _ in runs)
            print(
                f"{name:8s} best of 3: {best:.3f}s  (all: {', '.join(f'{t:.3f}' for t, _ in runs)})"
            )
        levels = results["sql"].group_by("level").aggregate([("enterprise_id", "count")])
        print(
            "levels:",
            dict(
                zip(
                    levels["level"].to_pylist(),
                    levels["enterprise_id_count"].to_pylist(),
                    strict=True,
                )
            ),
        )
        for other in ("pandas", "product"):
            diffs = compare(results["sql"], results[other], names=("sql", other))
            print(f"sql vs {other}: {len(diffs)} differences", *diffs[:5], sep="\n  ")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
