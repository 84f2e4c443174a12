"""Simulate a district, import every file, grade it, and check it all against the truth."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wagewatch.alerts.models import Warning
from wagewatch.alerts.service import evaluate
from wagewatch.bench.run import resolution_accuracy
from wagewatch.db.migrate import upgrade
from wagewatch.db.session import get_engine
from wagewatch.enterprises.models import Enterprise
from wagewatch.rules.engine import grade_record
from wagewatch.rules.registry import get_rulebook
from wagewatch.settings import Settings
from wagewatch.signals.models import ImportBatch
from wagewatch.signals.service import import_file
from wagewatch.simulate import generate

END = date(2024, 12, 31)
BOOL_FACTS = ("sudden_closure", "owner_absconded", "group_incident", "blacklisted")


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    root = tmp_path_factory.mktemp("district")
    generate(400, 10, 11, root / "sim", END)
    settings = Settings(home=root / "home")
    upgrade(settings.db_url)
    files = sorted((root / "sim" / "sources").rglob("*.*"))
    files.sort(key=lambda p: 0 if p.parent.name == "enterprises" else 1)
    engine = get_engine(settings.db_url)
    results = []
    for f in files:
        with Session(engine) as s:
            results.append(import_file(s, f, settings=settings))
            s.commit()
    with Session(engine) as s:
        summary = evaluate(s, get_rulebook("baoshan"), END)
        s.commit()
    return root, settings, files, results, summary


def test_every_row_is_accounted_for(district):
    root, _settings, _files, results, _ = district
    assert all(r.status == "imported" for r in results), [
        r.message for r in results if r.status != "imported"
    ]
    assert all(r.rows_in == r.imported + r.rejected for r in results)
    truth = _csv(root / "sim" / "truth" / "rows.csv")
    malformed = {(Path(t["file"]).name, int(t["row"])) for t in truth if t["malformed"] == "1"}
    rejected = {(r.file, e.row) for r in results for e in r.errors}
    assert rejected == malformed


def test_auto_matches_are_precise_and_the_rest_goes_to_review(district):
    root, settings, _files, _results, _ = district
    measured = resolution_accuracy(settings.db_url, root / "sim" / "truth")
    assert measured["left_for_review"] == measured["review_items"]
    assert measured["rows"] > 1000
    assert measured["precision"] >= 0.995
    assert measured["review_share"] <= 0.15


def test_reimporting_every_file_changes_nothing(district):
    _root, settings, files, _results, _ = district
    engine = get_engine(settings.db_url)
    with Session(engine) as s:
        before = s.scalar(select(func.count(ImportBatch.id)))
        again = [import_file(s, f, settings=settings) for f in files]
        s.commit()
        assert {r.status for r in again} == {"duplicate"}
        assert s.scalar(select(func.count(ImportBatch.id))) == before


def test_warnings_match_the_truth(district):
    root, settings, _files, _results, summary = district
    rb = get_rulebook("baoshan")
    by_code = {
        t["code"]: t["enterprise_id"] for t in _csv(root / "sim" / "truth" / "enterprises.csv")
    }
    with Session(get_engine(settings.db_url)) as s:
        ours = {
            by_code.get(code): level
            for code, level in s.execute(
                select(Enterprise.credit_code, Warning.level).outerjoin(
                    Warning, Warning.enterprise_id == Enterprise.id
                )
            )
        }
    truth_level = {}
    for r in _csv(root / "sim" / "truth" / "timeline.csv"):
        if r["month_end"] != END.isoformat() or r["enterprise_id"] not in ours:
            continue
        facts: dict[str, object] = {}
        for k, v in r.items():
            if k in ("enterprise_id", "month_end", "wage_delay") or v == "":
                continue
            if k in BOOL_FACTS or k == "wages_unpaid":
                facts[k] = v == "1"
            elif k == "wage_arrears_workers":
                facts[k] = int(float(v))
            else:
                facts[k] = float(v)
        truth_level[r["enterprise_id"]] = grade_record(rb, facts).level
    warned = [e for e, lv in truth_level.items() if lv]
    red = [e for e, lv in truth_level.items() if lv == "red"]
    calm = [e for e, lv in truth_level.items() if not lv]
    assert red and warned
    assert sum(1 for e in warned if ours[e]) / len(warned) >= 0.9  # truly at risk: warned
    assert sum(1 for e in red if ours[e] == "red") / len(red) >= 0.8  # truly red: red
    assert sum(1 for e in calm if ours[e] == "red") / len(calm) <= 0.01  # no red out of nothing
    assert summary.per_level["red"] >= len(red) * 0.8
