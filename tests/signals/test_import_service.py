"""Import: one committed batch or nothing; exact counts; re-import is a no-op; review never guesses."""

from __future__ import annotations

import csv
import random
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wagewatch.alerts.models import Warning
from wagewatch.alerts.service import evaluate
from wagewatch.db.migrate import upgrade
from wagewatch.db.session import get_engine
from wagewatch.enterprises.models import Enterprise, EnterpriseAlias
from wagewatch.enterprises.service import resolve_review
from wagewatch.enterprises.uscc import make_valid
from wagewatch.rules.registry import get_rulebook
from wagewatch.settings import Settings
from wagewatch.signals import service as import_service
from wagewatch.signals.models import ImportBatch, ReviewItem
from wagewatch.signals.service import import_file

RNG = random.Random(5)
CODES = [make_valid("91310113", RNG) for _ in range(3)]
REGISTRY = (
    "统一社会信用代码,企业名称,所属街镇,行业,职工人数\n"
    f"{CODES[0]},上海宏达建筑劳务有限公司,罗店镇,建筑业,80\n"
    f"{CODES[1]},上海鑫源机械制造有限公司,大场镇,制造业,120\n"
    f"{CODES[2]},上海明珠服装有限公司,罗店镇,纺织服装,25\n"
)
COMPLAINTS = (
    "受理日期,被投诉单位,统一社会信用代码,来源渠道,诉求内容,投诉人,联系电话\n"
    f"2024-10-05,上海宏达建筑劳务有限公司,{CODES[0]},12345,我们27名工人被拖欠3个月工资共计13万余元，老板联系不上,张三,13812345678\n"
    "2024-10-06,宏达建筑劳务（上海）有限公司,,12333,拖欠工资两个多月,李四,13912345678\n"
    "2024-13-45,上海鑫源机械制造有限公司,,12345,拖欠工资,王五,13712345678\n"
    "2024-10-07,浦江某某贸易商行,,12345,拖欠工资,赵六,13612345678\n"
    "\n"
)


@pytest.fixture
def env(tmp_path, db_url):
    settings = Settings(home=tmp_path / "home", database_url=db_url)
    upgrade(settings.db_url)
    (tmp_path / "名录.csv").write_text(REGISTRY, encoding="utf-8-sig")
    (tmp_path / "投诉.csv").write_text(COMPLAINTS, encoding="gbk")
    with Session(get_engine(settings.db_url)) as s:
        yield s, settings, tmp_path


def do_import(s: Session, settings: Settings, path, **kw):
    try:
        r = import_file(s, path, settings=settings, **kw)
        s.commit()
        return r
    except BaseException:
        s.rollback()
        raise


def counts(s: Session) -> tuple[int, int, int, int]:
    return (
        s.scalar(select(func.count(ImportBatch.id))),
        s.scalar(select(func.count(Enterprise.id))),
        s.scalar(select(func.count(ReviewItem.id))),
        s.scalar(select(func.count(Warning.id))),
    )


def test_rows_in_equals_imported_plus_rejected_and_rejects_name_row_column(env):
    s, settings, tmp = env
    reg = do_import(s, settings, tmp / "名录.csv")
    assert (reg.kind, reg.rows_in, reg.imported, reg.enterprises_created) == (
        "enterprises",
        3,
        3,
        3,
    )
    r = do_import(s, settings, tmp / "投诉.csv")
    assert r.kind == "complaints" and r.encoding == "gb18030"
    assert r.rows_in == 4 == r.imported + r.rejected  # the blank line is not a row
    assert (r.imported, r.rejected, r.review) == (3, 1, 1)
    [e] = r.errors
    assert (e.file, e.row, e.column_header, e.value) == ("投诉.csv", 4, "受理日期", "2024-13-45")
    assert "不是有效日期" in e.reason


def test_reimporting_the_same_file_changes_nothing(env):
    s, settings, tmp = env
    do_import(s, settings, tmp / "名录.csv")
    do_import(s, settings, tmp / "投诉.csv")
    before = counts(s)
    again = do_import(s, settings, tmp / "投诉.csv")
    assert again.status == "duplicate" and "未做任何更改" in again.message
    assert counts(s) == before


def test_rejected_rows_file_can_be_fixed_and_reimported(env):
    s, settings, tmp = env
    do_import(s, settings, tmp / "名录.csv")
    r = do_import(s, settings, tmp / "投诉.csv")
    with open(r.rejected_path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][-1] == "错误原因" and rows[1][0] == "2024-13-45" and "原第4行" in rows[1][-1]
    fixed = tmp / "投诉-修正.csv"
    with open(fixed, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(rows[0][:-1])
        w.writerow(["2024-10-15", *rows[1][1:-1]])
    again = do_import(s, settings, fixed)
    assert (again.status, again.imported, again.rejected) == ("imported", 1, 0)
    assert again.touched == {
        s.scalar(select(Enterprise.id).where(Enterprise.name == "上海鑫源机械制造有限公司"))
    }


def test_a_failure_while_writing_leaves_nothing_behind(env, monkeypatch):
    s, settings, tmp = env
    do_import(s, settings, tmp / "名录.csv")
    before = counts(s)

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(import_service, "write_batch", boom)
    with pytest.raises(OSError):
        do_import(s, settings, tmp / "投诉.csv")
    assert counts(s) == before
    assert (
        not list((settings.lake_dir / "complaints").glob("*"))
        if (settings.lake_dir / "complaints").exists()
        else True
    )


def test_a_file_missing_a_required_column_is_not_imported(env):
    s, settings, tmp = env
    bad = tmp / "bad.csv"
    bad.write_text("被投诉单位,诉求内容,来源渠道\n某公司,拖欠工资,12345\n", encoding="utf-8")
    before = counts(s)
    r = do_import(s, settings, bad, kind="complaints")
    assert r.status == "failed" and any("缺少必填列" in e.reason for e in r.errors)
    assert counts(s) == before


def test_unknown_employer_goes_to_review_and_the_decision_is_remembered(env):
    s, settings, tmp = env
    do_import(s, settings, tmp / "名录.csv")
    do_import(s, settings, tmp / "投诉.csv")
    item = s.scalar(select(ReviewItem))
    assert (
        item.name == "浦江某某贸易商行" and item.status == "pending" and item.enterprise_id is None
    )
    target = s.scalar(select(Enterprise).where(Enterprise.name == "上海明珠服装有限公司"))
    resolve_review(s, item.id, target.id, "tester")
    s.commit()
    assert s.scalar(select(EnterpriseAlias.enterprise_id)) == target.id
    ev = evaluate(s, get_rulebook("yingkou"), date(2024, 10, 31), [target.id])
    s.commit()
    assert ev.per_level == {"watch": 1}  # the reviewed complaint now counts for 明珠
    later = tmp / "投诉2.csv"
    later.write_text(
        "受理日期,被投诉单位,来源渠道,诉求内容\n2024-10-20,浦江某某贸易商行,12345,工资没发\n",
        encoding="utf-8",
    )
    r = do_import(s, settings, later)
    assert r.review == 0 and r.touched == {target.id}


def test_exact_duplicate_rows_are_imported_but_counted_once(env):
    s, settings, tmp = env
    do_import(s, settings, tmp / "名录.csv")
    dup = tmp / "dup.csv"
    line = f"2024-10-05,上海明珠服装有限公司,{CODES[2]},12345,拖欠工资,张三\n"
    dup.write_text(
        "受理日期,被投诉单位,统一社会信用代码,来源渠道,诉求内容,投诉人\n" + line + line,
        encoding="utf-8",
    )
    r = do_import(s, settings, dup)
    assert (r.rows_in, r.imported, r.duplicates) == (2, 2, 1)
    import ibis

    from wagewatch.alerts.service import build_inputs
    from wagewatch.facts.engine import compute_facts

    con = ibis.duckdb.connect()
    facts = compute_facts(build_inputs(s, con), date(2024, 10, 31)).to_pyarrow().to_pylist()
    by_id = {f["enterprise_id"]: f for f in facts}
    assert by_id[r.touched.pop()]["wage_complaints_90d"] == 1
