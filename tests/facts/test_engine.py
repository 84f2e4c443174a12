"""The facts engine on small hand-made lakes: every reading of docs/facts.md at its boundary."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pytest

from wagewatch.facts.engine import FactsInputs, compute_cluster_facts, compute_facts
from wagewatch.signals.lake import to_table

D = date(2024, 10, 31)


def run(
    signals: dict[str, list[dict]], registry: list[dict] | None = None, as_of: date = D, **kw
) -> dict[int, dict]:
    registry = registry or [{"enterprise_id": 1, "employees": 50}]
    reg = ibis.memtable(pa.Table.from_pylist(registry))
    tables = {}
    for kind, rows in signals.items():
        full = [
            {"batch_id": 1, "row_no": i + 2, "enterprise_id": 1, **r} for i, r in enumerate(rows)
        ]
        tables[kind] = ibis.memtable(to_table(kind, full))
    out = compute_facts(FactsInputs(registry=reg, signals=tables, **kw), as_of)
    return {r["enterprise_id"]: r for r in out.to_pyarrow().to_pylist()}


def months(y: int, m: int) -> date:
    return date(y, m, 1)


# -- fee arrears: consecutive months up to the evaluation date ------------------------------


def test_consecutive_fee_months_reaching_last_month():
    rows = [
        {"category": "tax", "month": months(2024, m), "amount": Decimal("100")} for m in (7, 8, 9)
    ]
    assert run({"fee_arrears": rows})[1]["tax_arrears_months"] == 3


def test_a_gap_breaks_the_run():
    rows = [
        {"category": "water", "month": months(2024, m), "amount": Decimal("10")}
        for m in (5, 6, 8, 9, 10)
    ]
    assert run({"fee_arrears": rows})[1]["water_arrears_months"] == 3


def test_a_run_that_stopped_before_last_month_is_cleared():
    rows = [
        {"category": "gas", "month": months(2024, m), "amount": Decimal("10")} for m in (5, 6, 7, 8)
    ]
    assert run({"fee_arrears": rows})[1]["gas_arrears_months"] is None


def test_months_owed_given_by_the_office_counts_when_larger():
    rows = [
        {
            "category": "loan",
            "month": months(2024, 10),
            "amount": Decimal("1"),
            "months_owed": Decimal("5"),
        }
    ]
    assert run({"fee_arrears": rows})[1]["loan_arrears_months"] == 5


def test_a_corrected_file_replaces_the_month():
    reg = ibis.memtable(pa.Table.from_pylist([{"enterprise_id": 1}]))
    first = to_table(
        "fee_arrears",
        [
            {
                "category": "electricity",
                "month": months(2024, m),
                "amount": Decimal("50"),
                "enterprise_id": 1,
                "batch_id": 1,
                "row_no": m,
            }
            for m in (9, 10)
        ],
    )
    fix = to_table(
        "fee_arrears",
        [
            {
                "category": "electricity",
                "month": months(2024, 10),
                "amount": Decimal("0"),
                "enterprise_id": 1,
                "batch_id": 2,
                "row_no": 2,
            }
        ],
    )
    t = ibis.memtable(pa.concat_tables([first, fix]))
    out = (
        compute_facts(FactsInputs(registry=reg, signals={"fee_arrears": t}), D)
        .to_pyarrow()
        .to_pylist()
    )
    assert (
        out[0]["electricity_arrears_months"] == 1
    )  # October paid after all: only September remains


def test_future_months_do_not_count():
    rows = [{"category": "tax", "month": months(2024, 11), "amount": Decimal("10")}]
    assert run({"fee_arrears": rows})[1]["tax_arrears_months"] is None


# -- wage-arrears claims: open, grow with time, clear -----------------------------------------


def test_an_unresolved_two_month_claim_reported_a_month_ago_is_three_months_today():
    f = run(
        {
            "complaints": [
                {
                    "received_date": D - timedelta(days=30),
                    "months_owed": Decimal("2"),
                    "workers": 27,
                    "amount": Decimal("130000"),
                }
            ]
        }
    )[1]
    assert f["wage_arrears_months"] == pytest.approx(3.0)
    assert f["wage_arrears_workers"] == 27
    assert f["wage_arrears_amount"] == 130000
    assert f["wage_complaints_90d"] == 1
    assert f["wage_arrears_cases_12m"] == 1


def test_a_settled_inspection_clears_the_claim():
    f = run(
        {
            "complaints": [
                {"received_date": D - timedelta(days=40), "months_owed": Decimal("2"), "workers": 5}
            ],
            "inspections": [
                {"visit_date": D - timedelta(days=10), "found_arrears": True, "settled": True}
            ],
        }
    )[1]
    assert f["wage_arrears_months"] is None and f["wage_arrears_workers"] is None
    assert f["wage_complaints_90d"] == 1  # the complaint itself still counts in its window
    assert f["wage_arrears_cases_12m"] == 1


def test_an_inspection_finding_no_arrears_dismisses_earlier_complaints():
    f = run(
        {
            "complaints": [{"received_date": D - timedelta(days=40), "workers": 3}],
            "inspections": [{"visit_date": D - timedelta(days=5), "found_arrears": False}],
        }
    )[1]
    assert f["wage_arrears_workers"] is None


def test_a_visit_finding_nothing_does_not_clear_arrears_an_inspection_established():
    # inspectors miss some arrears: only a settled visit clears what an inspection found
    f = run(
        {
            "inspections": [
                {
                    "visit_date": D - timedelta(days=60),
                    "found_arrears": True,
                    "settled": False,
                    "months_owed": Decimal("2"),
                    "workers": 36,
                },
                {"visit_date": D - timedelta(days=5), "found_arrears": False},
            ],
            "complaints": [{"received_date": D - timedelta(days=2), "workers": 4}],
        }
    )[1]
    assert f["wage_arrears_workers"] == 36
    assert f["wage_arrears_months"] == pytest.approx(4.0)


def test_new_arrears_after_a_clearance_is_a_second_case():
    f = run(
        {
            "complaints": [
                {"received_date": D - timedelta(days=200), "workers": 3},
                {
                    "received_date": D - timedelta(days=20),
                    "workers": 4,
                    "months_owed": Decimal("1"),
                },
            ],
            "inspections": [
                {"visit_date": D - timedelta(days=100), "found_arrears": True, "settled": True}
            ],
        }
    )[1]
    assert f["wage_arrears_cases_12m"] == 2
    assert f["wage_arrears_workers"] == 4
    assert f["wage_arrears_months"] == pytest.approx(1 + 20 / 30)


def test_an_inspection_finding_arrears_opens_a_claim():
    f = run(
        {
            "inspections": [
                {
                    "visit_date": D,
                    "found_arrears": True,
                    "settled": False,
                    "months_owed": Decimal("1"),
                    "workers": 12,
                    "amount": Decimal("50000"),
                }
            ]
        }
    )[1]
    assert (f["wage_arrears_months"], f["wage_arrears_workers"], f["wage_arrears_amount"]) == (
        1.0,
        12,
        50000,
    )


def test_complaint_without_figures_still_means_wages_unpaid():
    f = run({"complaints": [{"received_date": D}]})[1]
    assert f["wage_arrears_workers"] == 1 and f["wage_arrears_months"] == 0


def test_complaints_outside_ninety_days_are_not_counted():
    f = run(
        {
            "complaints": [
                {"received_date": D - timedelta(days=90)},
                {"received_date": D - timedelta(days=89)},
            ]
        }
    )[1]
    assert f["wage_complaints_90d"] == 1


def test_non_wage_complaints_are_ignored():
    f = run({"complaints": [{"received_date": D, "is_wage_arrears": False}]})[1]
    assert f["wage_complaints_90d"] is None and f["wage_arrears_workers"] is None


# -- payroll -------------------------------------------------------------------------------


def test_short_paid_payroll_months_open_arrears_and_amounts_add_up():
    rows = [
        {
            "month": months(2024, 8),
            "workers_due": 20,
            "workers_paid": 20,
            "amount_due": Decimal("100000"),
            "amount_paid": Decimal("100000"),
            "due_date": date(2024, 9, 15),
            "paid_date": date(2024, 9, 20),
        },
        {
            "month": months(2024, 9),
            "workers_due": 20,
            "workers_paid": 5,
            "amount_due": Decimal("100000"),
            "amount_paid": Decimal("25000"),
            "due_date": date(2024, 10, 1),
        },
        {
            "month": months(2024, 10),
            "workers_due": 20,
            "workers_paid": 0,
            "amount_due": Decimal("100000"),
            "amount_paid": Decimal("0"),
            "due_date": date(2024, 10, 31),
        },
    ]
    f = run({"wage_payments": rows})[1]
    assert f["wage_arrears_workers"] == 20
    assert f["wage_arrears_amount"] == 175000
    assert f["wage_arrears_months"] == pytest.approx(30 / 30)
    assert f["wage_delays_12m"] == 1  # August paid five days late


def test_payroll_not_yet_due_is_not_arrears():
    rows = [
        {
            "month": months(2024, 10),
            "workers_due": 20,
            "workers_paid": 0,
            "due_date": date(2024, 11, 15),
        }
    ]
    assert run({"wage_payments": rows})[1]["wage_arrears_workers"] is None


# -- business events, blacklist, incidents, petitions --------------------------------------


@pytest.mark.parametrize(
    ("event_type", "fact"),
    [
        ("production_halt", "business_anomaly"),
        ("layoff", "business_anomaly"),
        ("closure_risk", "closure_risk"),
        ("sudden_closure", "sudden_closure"),
        ("asset_seized", "asset_seized"),
        ("legal_rep_detained", "legal_rep_detained"),
        ("economic_dispute", "economic_dispute"),
        ("owner_absconded", "owner_absconded"),
        ("outsourcing", "outsourcing"),
    ],
)
def test_business_events_set_their_fact(event_type, fact):
    assert (
        run({"business_events": [{"event_date": D - timedelta(days=3), "event_type": event_type}]})[
            1
        ][fact]
        is True
    )


def test_business_events_lapse_after_a_year_or_when_ended():
    old = run(
        {
            "business_events": [
                {"event_date": D - timedelta(days=365), "event_type": "production_halt"}
            ]
        }
    )[1]
    ended = run(
        {
            "business_events": [
                {
                    "event_date": D - timedelta(days=30),
                    "event_type": "production_halt",
                    "end_date": D - timedelta(days=1),
                }
            ]
        }
    )[1]
    assert not old["business_anomaly"] and not ended["business_anomaly"]


def test_layoff_filing_is_a_business_anomaly():
    assert run({"layoffs": [{"report_date": D - timedelta(days=10), "layoff_count": 30}]})[1][
        "business_anomaly"
    ]


def test_blacklist_listing_and_removal():
    listed = run({"credit_blacklist": [{"listed_date": date(2024, 1, 1), "departments": 3}]})[1]
    removed = run(
        {
            "credit_blacklist": [
                {"listed_date": date(2024, 1, 1), "removed_date": D, "departments": 3}
            ]
        }
    )[1]
    assert listed["blacklisted"] and listed["joint_punishment_departments"] == 3
    assert removed["blacklisted"] is None


@pytest.mark.parametrize(
    ("incident_type", "fact"),
    [
        ("group_incident", "group_incident"),
        ("collective_stoppage", "group_incident"),
        ("extreme_protest", "extreme_protest"),
        ("public_opinion_hotspot", "public_opinion_hotspot"),
        ("casualty_or_major_crime", "casualty_or_major_crime"),
        ("escalation_signs", "escalation_signs"),
    ],
)
def test_incidents_in_the_last_ninety_days(incident_type, fact):
    assert run(
        {"incidents": [{"incident_date": D - timedelta(days=89), "incident_type": incident_type}]}
    )[1][fact]
    assert not run(
        {"incidents": [{"incident_date": D - timedelta(days=90), "incident_type": incident_type}]}
    )[1][fact]


def test_repeated_petitions_on_the_same_matter():
    rows = [
        {"received_date": D - timedelta(days=200), "matter_key": "A"},
        {"received_date": D - timedelta(days=30), "matter_key": "A"},
        {"received_date": D - timedelta(days=10), "matter_key": "A"},
        {"received_date": D - timedelta(days=5), "matter_key": "B"},
    ]
    assert run({"petitions": rows})[1]["repeat_petitions_90d"] == 2


def test_registry_gives_employees_and_outsourcing():
    f = run({}, registry=[{"enterprise_id": 1, "employees": 520, "outsourcing": True}])[1]
    assert f["employees"] == 520 and f["outsourcing"] is True


def test_review_overrides_tie_unresolved_rows_to_their_enterprise():
    reg = ibis.memtable(pa.Table.from_pylist([{"enterprise_id": 1}, {"enterprise_id": 2}]))
    t = ibis.memtable(
        to_table(
            "complaints", [{"received_date": D, "batch_id": 7, "row_no": 3, "enterprise_id": None}]
        )
    )
    ov = ibis.memtable(pa.Table.from_pylist([{"batch_id": 7, "row_no": 3, "enterprise_id": 2}]))
    without = (
        compute_facts(FactsInputs(registry=reg, signals={"complaints": t}), D)
        .to_pyarrow()
        .to_pylist()
    )
    with_ov = compute_facts(FactsInputs(registry=reg, signals={"complaints": t}, overrides=ov), D)
    assert all(r["wage_complaints_90d"] is None for r in without)
    assert {
        r["enterprise_id"]: r["wage_complaints_90d"] for r in with_ov.to_pyarrow().to_pylist()
    } == {1: None, 2: 1}


def test_focus_limits_the_enterprises_computed():
    reg = ibis.memtable(pa.Table.from_pylist([{"enterprise_id": i} for i in range(1, 6)]))
    focus = ibis.memtable(pa.Table.from_pylist([{"enterprise_id": 3}]))
    out = compute_facts(FactsInputs(registry=reg, focus=focus), D).to_pyarrow().to_pylist()
    assert [r["enterprise_id"] for r in out] == [3]


def test_cluster_facts_per_industry():
    registry = [
        {"enterprise_id": 1, "industry": "建筑业", "township": "甲镇"},
        {"enterprise_id": 2, "industry": "建筑业", "township": "乙镇"},
        {"enterprise_id": 3, "industry": "餐饮业", "township": "甲镇"},
    ]
    reg = ibis.memtable(pa.Table.from_pylist(registry))
    inc = to_table(
        "incidents",
        [
            {
                "enterprise_id": 1,
                "batch_id": 1,
                "row_no": 2,
                "incident_date": D,
                "incident_type": "group_incident",
                "workers": 20,
            },
            {
                "enterprise_id": 2,
                "batch_id": 1,
                "row_no": 3,
                "incident_date": D,
                "incident_type": "collective_stoppage",
                "workers": 15,
            },
            {
                "enterprise_id": 3,
                "batch_id": 1,
                "row_no": 4,
                "incident_date": D,
                "incident_type": "extreme_protest",
                "workers": 2,
            },
        ],
    )
    facts = compute_facts(FactsInputs(registry=reg, signals={"incidents": ibis.memtable(inc)}), D)
    clusters = {
        r["industry"]: r for r in compute_cluster_facts(facts, reg).to_pyarrow().to_pylist()
    }
    assert set(clusters) == {"建筑业"}
    row = clusters["建筑业"]
    assert sorted(row.pop("townships")) == ["乙镇", "甲镇"]
    assert sorted(row.pop("enterprise_ids")) == [1, 2]
    assert row == {
        "industry": "建筑业",
        "group_incidents": 2,
        "workers_involved": 35,
        "townships_affected": 2,
    }


# -- the newest row of a key: corrections, blanks, the same batch ---------------------------


def _lake(kind: str, rows: list[dict]) -> ir.Table:
    return ibis.memtable(to_table(kind, [{"enterprise_id": 1, **r} for r in rows]))


def _facts(signals: dict[str, ir.Table]) -> dict:
    reg = ibis.memtable(pa.Table.from_pylist([{"enterprise_id": 1}]))
    return compute_facts(FactsInputs(registry=reg, signals=signals), D).to_pyarrow().to_pylist()[0]


def test_a_correction_blanking_the_paid_date_takes_the_blank_not_the_older_date():
    month = {"month": months(2024, 8), "due_date": date(2024, 9, 15)}
    rows = [
        {**month, "paid_date": date(2024, 9, 30), "batch_id": 1, "row_no": 2},
        # the correction says: not paid at all (no figures, no paid date) — an open month
        {**month, "paid_date": None, "batch_id": 2, "row_no": 2},
    ]
    f = _facts({"wage_payments": _lake("wage_payments", rows)})
    assert f["wage_delays_12m"] is None  # the older late payment no longer counts
    assert f["wage_arrears_months"] == pytest.approx((D - date(2024, 9, 15)).days / 30)


def test_within_one_batch_the_later_row_of_a_month_wins():
    fee = {"category": "water", "month": months(2024, 10), "batch_id": 5}
    rows = [
        {**fee, "amount": Decimal("0"), "row_no": 9},
        {**fee, "amount": Decimal("80"), "row_no": 3},
    ]
    assert _facts({"fee_arrears": _lake("fee_arrears", rows)})["water_arrears_months"] is None
    rows[1]["batch_id"] = 6  # now the owed row is the newer batch's
    assert _facts({"fee_arrears": _lake("fee_arrears", rows)})["water_arrears_months"] == 1


def test_a_newer_batch_with_a_lower_row_number_still_wins():
    fee = {"category": "gas", "month": months(2024, 10)}
    rows = [
        {**fee, "amount": Decimal("80"), "batch_id": 1, "row_no": 90_000},
        {**fee, "amount": Decimal("0"), "batch_id": 2, "row_no": 2},
    ]
    assert _facts({"fee_arrears": _lake("fee_arrears", rows)})["gas_arrears_months"] is None


def test_a_deferral_repeated_in_two_files_counts_once():
    rows = [
        {"approved_date": date(2024, 3, 1), "batch_id": 1, "row_no": 2},
        {"approved_date": date(2024, 3, 1), "batch_id": 2, "row_no": 2},
        {"approved_date": date(2024, 6, 1), "batch_id": 2, "row_no": 3},
        {"approved_date": D - timedelta(days=365), "batch_id": 2, "row_no": 4},  # a year ago
    ]
    f = _facts({"si_deferrals": _lake("si_deferrals", rows)})
    assert f["social_insurance_deferrals_12m"] == 2


def test_a_series_that_ended_long_ago_does_not_hide_a_live_one():
    old = [
        {"category": "tax", "month": months(2023, m), "amount": Decimal("9"), "row_no": m}
        for m in range(1, 13)
    ]
    live = [
        {"category": "tax", "month": months(2024, m), "amount": Decimal("9"), "row_no": 20 + m}
        for m in (8, 9)
    ]
    water = [{"category": "water", "month": months(2024, 5), "amount": Decimal("1"), "row_no": 1}]
    rows = [{**r, "batch_id": 1} for r in old + live + water]
    f = _facts({"fee_arrears": _lake("fee_arrears", rows)})
    assert f["tax_arrears_months"] == 2  # August and September, reaching last month
    assert f["water_arrears_months"] is None  # ended in May
