"""Evaluate stores one current warning per enterprise and a history row per level change."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from wagewatch.alerts.models import Warning, WarningChange
from wagewatch.alerts.service import evaluate
from wagewatch.db.migrate import upgrade
from wagewatch.db.session import get_engine
from wagewatch.enterprises.models import Enterprise
from wagewatch.rules.registry import get_rulebook
from wagewatch.signals.lake import batch_path, to_table, write_batch
from wagewatch.signals.models import ImportBatch

D = date(2024, 10, 31)


@pytest.fixture
def db(tmp_path, db_url):
    url = db_url
    upgrade(url)
    with Session(get_engine(url)) as s:
        for i, (name, industry, town) in enumerate(
            [
                ("甲公司", "建筑业", "东镇"),
                ("乙公司", "制造业", "西镇"),
                ("丙公司", "建筑业", "西镇"),
            ],
            start=1,
        ):
            s.add(
                Enterprise(
                    id=i, name=name, name_norm=name, industry=industry, township=town, employees=40
                )
            )
        s.commit()
        yield s, tmp_path


def add_batch(s: Session, tmp, kind: str, rows: list[dict]) -> int:
    batch = ImportBatch(
        kind=kind,
        file_name=f"{kind}.csv",
        content_hash=str(len(rows)) + kind + str(id(rows)),
        rows_in=len(rows),
        rows_imported=len(rows),
        rows_rejected=0,
    )
    s.add(batch)
    s.flush()
    path = batch_path(tmp / "lake", kind, batch.id)
    write_batch(
        path,
        to_table(kind, [{"batch_id": batch.id, "row_no": i + 2, **r} for i, r in enumerate(rows)]),
    )
    batch.lake_path = str(path)
    s.commit()
    return batch.id


def test_warning_is_raised_then_upgrades_with_elapsed_time_then_clears(db):
    s, tmp = db
    rb = get_rulebook("baoshan")
    add_batch(
        s,
        tmp,
        "complaints",
        [{"enterprise_id": 1, "received_date": D, "months_owed": Decimal("2"), "workers": 3}],
    )
    first = evaluate(s, rb, D)
    s.commit()
    w = s.scalar(select(Warning).where(Warning.enterprise_id == 1))
    assert (w.level, first.changes["raised"]) == ("orange", 1)
    assert w.reasons[0]["criterion"] == "orange.1"
    assert w.facts["wage_arrears_months"] == 2.0 and w.rulebook_version == rb.version

    again = evaluate(s, rb, D)  # nothing changed: no history row
    s.commit()
    assert sum(again.changes.values()) == 0

    later = evaluate(s, rb, D + timedelta(days=30))  # unpaid a month later: 3 months, red
    s.commit()
    assert later.changes["upgraded"] == 1
    assert s.scalar(select(Warning.level).where(Warning.enterprise_id == 1)) == "red"

    add_batch(
        s,
        tmp,
        "inspections",
        [
            {
                "enterprise_id": 1,
                "visit_date": D + timedelta(days=31),
                "found_arrears": True,
                "settled": True,
            }
        ],
    )
    cleared = evaluate(s, rb, D + timedelta(days=32))
    s.commit()
    assert cleared.changes["cleared"] == 1
    history = s.scalars(select(WarningChange).order_by(WarningChange.id)).all()
    assert [(h.change, h.old_level, h.new_level) for h in history] == [
        ("raised", None, "orange"),
        ("upgraded", "orange", "red"),
        ("cleared", "red", None),
    ]
    assert history[1].facts["wage_arrears_months"] == pytest.approx(3.0)


def test_only_the_given_enterprises_are_regraded(db):
    s, tmp = db
    rb = get_rulebook("baoshan")
    add_batch(
        s,
        tmp,
        "complaints",
        [
            {"enterprise_id": 1, "received_date": D, "workers": 12},
            {"enterprise_id": 2, "received_date": D, "workers": 12},
        ],
    )
    summary = evaluate(s, rb, D, enterprise_ids=[2])
    s.commit()
    assert summary.graded == 1
    assert s.scalars(select(Warning.enterprise_id)).all() == [2]


def test_cluster_rulebook_grades_industries(db):
    s, tmp = db
    rb = get_rulebook("xuanen")
    add_batch(
        s,
        tmp,
        "incidents",
        [
            {
                "enterprise_id": 1,
                "incident_date": D,
                "incident_type": "group_incident",
                "workers": 20,
            },
            {
                "enterprise_id": 3,
                "incident_date": D,
                "incident_type": "collective_stoppage",
                "workers": 12,
            },
        ],
    )
    summary = evaluate(s, rb, D, enterprise_ids=[1])  # ignored: a cluster is the whole county
    s.commit()
    w = s.scalar(select(Warning).where(Warning.rulebook == "xuanen"))
    assert (w.cluster, w.level, summary.per_level["level2"]) == ("建筑业", "level2", 1)
