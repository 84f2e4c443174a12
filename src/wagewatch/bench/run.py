"""`wagewatch bench`: import, full re-grade and single-enterprise re-grade, against baselines.

One run, one generated district, everything measured on the same data: CSV and XLSX import
rows/s (validation, resolution and text extraction included); the full evaluation of every
enterprise (facts, level, reasons) by the product's ibis expression, by hand-written DuckDB
SQL and by a straightforward pandas script, checked row for row; re-grading one enterprise
after a new complaint (stored facts plus one prepared statement for what changed, median
and p95 of 100); peak memory. The full re-grade's three paths run in turns, `repeats` times
each, and the large-CSV import is repeated on three files, so a busy moment of a shared
machine falls on every path alike. Timings are wall-clock medians; ratios are computed
within the run, never against numbers from another machine.
"""

from __future__ import annotations

import gc
import random
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

__all__ = ["resolution_accuracy", "run_bench"]

T = TypeVar("T")


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _timed(fn: Callable[[], T], repeats: int) -> tuple[T, list[float]]:
    times: list[float] = []
    result: Any = None
    for _ in range(repeats):
        gc.collect()
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return result, times


def _import_all(
    home: Path, files: list[Path], log: Callable[[str], None]
) -> tuple[dict[str, Any], list[str]]:
    from wagewatch.db.migrate import upgrade
    from wagewatch.db.session import session_scope
    from wagewatch.settings import Settings
    from wagewatch.signals.service import import_file

    settings = Settings(home=home)
    upgrade(settings.db_url)
    per_format: dict[str, dict[str, float]] = {
        "csv": {"rows": 0, "seconds": 0.0, "files": 0},
        "xlsx": {"rows": 0, "seconds": 0.0, "files": 0},
    }
    problems: list[str] = []
    # the registry (企业名录, in the simulator's enterprises/ folder) must come first
    registry_first = sorted(
        files, key=lambda p: (0 if p.parent.name == "enterprises" else 1, str(p))
    )
    for f in registry_first:
        fmt = "xlsx" if f.suffix.lower() in (".xlsx", ".xls") else "csv"
        started = time.perf_counter()
        try:
            with session_scope(settings.db_url) as session:
                res = import_file(session, f, settings=settings)
        except Exception as exc:  # a file the importer refuses is reported, not fatal
            problems.append(f"{f.name}: {exc}")
            continue
        elapsed = time.perf_counter() - started
        if res.status != "imported":
            problems.append(f"{f.name}: {res.status} {res.message}")
            continue
        per_format[fmt]["rows"] += res.rows_in
        per_format[fmt]["seconds"] += elapsed
        per_format[fmt]["files"] += 1
    log(f"imported {sum(int(v['files']) for v in per_format.values())} files")
    out = {
        fmt: {
            "files": int(v["files"]),
            "rows": int(v["rows"]),
            "seconds": round(v["seconds"], 3),
            "rows_per_s": round(v["rows"] / v["seconds"]) if v["seconds"] else None,
        }
        for fmt, v in per_format.items()
    }
    return out, problems


def resolution_accuracy(db_url: str, truth_dir: Path) -> dict[str, Any]:
    """How the import tied the simulated district's rows to enterprises, against its truth.

    Every imported row of a non-registry batch is looked up in `truth/rows.csv` (file and
    row number) and the registry enterprise compared by credit code with the enterprise the
    simulator meant. `precision` is correct / auto-matched; `review_share` the rows left for
    an officer; `review_items` the open review queue (it must equal the rows left).
    """
    import csv

    import pyarrow.parquet as pq
    from sqlalchemy import func, select

    from wagewatch.db.session import session_scope
    from wagewatch.enterprises.models import Enterprise
    from wagewatch.signals.models import ImportBatch, ReviewItem

    def rows(name: str) -> list[dict[str, str]]:
        with (truth_dir / name).open(encoding="utf-8") as fh:
            return list(csv.DictReader(fh))

    truth = {(Path(t["file"]).name, int(t["row"])): t["enterprise_id"] for t in rows("rows.csv")}
    by_code = {t["code"]: t["enterprise_id"] for t in rows("enterprises.csv")}
    with session_scope(db_url) as session:
        meant = {
            i: by_code.get(c or "")
            for i, c in session.execute(select(Enterprise.id, Enterprise.credit_code))
        }
        batches = session.execute(
            select(ImportBatch.file_name, ImportBatch.lake_path).where(
                ImportBatch.kind != "enterprises"
            )
        ).all()
        review_items = session.scalar(select(func.count(ReviewItem.id))) or 0
    simulated = {name for name, _ in truth}
    correct = wrong = review = 0
    for name, lake in batches:
        if name not in simulated:  # a file the simulator did not write (the bench's own)
            continue
        table = pq.read_table(lake, columns=["enterprise_id", "row_no"])
        ids, numbers = table.column("enterprise_id"), table.column("row_no")
        for eid, row_no in zip(ids.to_pylist(), numbers.to_pylist(), strict=True):
            if eid is None:
                review += 1
            elif meant.get(eid) == truth[(name, row_no)]:
                correct += 1
            else:
                wrong += 1
    auto = correct + wrong
    return {
        "rows": auto + review,
        "auto_matched": auto,
        "correct": correct,
        "wrong": wrong,
        "precision": round(correct / auto, 5) if auto else None,
        "left_for_review": review,
        "review_share": round(review / (auto + review), 4) if auto + review else None,
        "review_items": review_items,
    }


def _large_csv_import(home: Path, rows: int, seed: int, files: int = 3) -> dict[str, Any]:
    """Import large fee-arrears CSVs about the registry's enterprises: throughput, not overhead.

    `files` files of `rows` rows each (different rows, so none is a re-import) are imported
    one after the other; the median is reported, as for the other timings. Only the first
    stays in the lake: the others are removed again, so the re-grades that follow evaluate
    the same lake whatever `files` is.
    """
    import csv

    from sqlalchemy import delete, select

    from wagewatch.db.session import session_scope
    from wagewatch.enterprises.models import Enterprise
    from wagewatch.settings import Settings
    from wagewatch.signals.models import ImportBatch, ReviewItem
    from wagewatch.signals.service import import_file

    settings = Settings(home=home)
    with session_scope(settings.db_url) as session:
        ents = session.execute(
            select(Enterprise.credit_code, Enterprise.name).where(
                Enterprise.credit_code.is_not(None)
            )
        ).all()
    categories = ["税费", "社保费", "水费", "电费", "燃气费", "通信费", "贷款"]
    seconds: list[float] = []
    res: Any = None
    for k in range(files):
        rng = random.Random(seed * 1000 + k)
        path = home / f"bench-large-fee-arrears-{k + 1}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["统一社会信用代码", "企业名称", "欠费类别", "所属月份", "欠费金额（元）"])
            for i in range(rows):
                code, name = ents[rng.randrange(len(ents))]
                w.writerow(
                    [
                        code,
                        name,
                        categories[i % 7],
                        f"2023-{1 + i % 12:02d}",
                        f"{rng.randint(1, 99999)}.50",
                    ]
                )
        gc.collect()
        started = time.perf_counter()
        with session_scope(settings.db_url) as session:
            res = import_file(session, path, settings=settings)
        seconds.append(time.perf_counter() - started)
        if res.status != "imported" or res.rows_in != rows:
            raise AssertionError(f"large CSV import: {res.status} {res.message}")
        if k > 0:  # timed only: take the batch out of the lake again
            with session_scope(settings.db_url) as session:
                batch = session.get(ImportBatch, res.batch_id)
                lake_path = batch.lake_path if batch is not None else None
                session.execute(delete(ReviewItem).where(ReviewItem.batch_id == res.batch_id))
                session.execute(delete(ImportBatch).where(ImportBatch.id == res.batch_id))
            if lake_path:
                Path(lake_path).unlink(missing_ok=True)
            path.unlink(missing_ok=True)
    median = statistics.median(seconds)
    return {
        "rows": rows,
        "files": files,
        "seconds": [round(x, 3) for x in seconds],
        "median_s": round(median, 3),
        "rows_per_s": round(rows / median),
        "review": res.review,
    }


def run_bench(
    enterprises: int,
    months: int = 12,
    seed: int = 1,
    workdir: Path | None = None,
    repeats: int = 3,
    singles: int = 100,
    pandas_baseline: bool = True,
    log: Callable[[str], None] = lambda _m: None,
) -> dict[str, Any]:
    """Run the whole benchmark and return one JSON-friendly result."""
    import duckdb
    import ibis
    import pyarrow.parquet as pq

    from wagewatch.alerts.prepared import PreparedGrader
    from wagewatch.alerts.service import build_inputs, committed_paths
    from wagewatch.bench.baselines import (
        baoshan_pandas,
        baoshan_sql,
        compare,
        product_baoshan,
    )
    from wagewatch.db.session import session_scope
    from wagewatch.facts.engine import FactsInputs, compute_facts
    from wagewatch.rules.engine import criterion_column, grade_table
    from wagewatch.rules.registry import get_rulebook
    from wagewatch.settings import Settings
    from wagewatch.simulate import generate

    tmp = tempfile.TemporaryDirectory(prefix="wagewatch-bench-") if workdir is None else None
    root = Path(tmp.name) if tmp is not None else Path(workdir or ".")
    root.mkdir(parents=True, exist_ok=True)
    phases: dict[str, float] = {}
    result: dict[str, Any] = {"enterprises": enterprises, "months": months, "seed": seed}
    try:
        started = time.perf_counter()
        summary = generate(enterprises, months, seed, root / "district", overwrite=True)
        phases["simulate"] = time.perf_counter() - started
        as_of: date = summary.end
        files = sorted((root / "district" / "sources").rglob("*.*"))
        log(f"simulated {len(files)} files in {phases['simulate']:.1f}s")

        home = root / "home"
        started = time.perf_counter()
        result["import"], problems = _import_all(home, files, log)
        phases["import"] = time.perf_counter() - started
        result["import_problems"] = problems[:20]
        result["resolution"] = resolution_accuracy(
            Settings(home=home).db_url, root / "district" / "truth"
        )
        large = max(100_000, 3 * enterprises)
        result["import"]["csv_large_file"] = _large_csv_import(home, large, seed)
        log(f"large CSV import {result['import']['csv_large_file']['rows_per_s']} rows/s")
        result["memory_after_import_mb"] = round(_peak_rss_mb())

        settings = Settings(home=home)
        rb = get_rulebook("baoshan")
        with session_scope(settings.db_url) as session:
            lake = {k: [str(p) for p in v] for k, v in committed_paths(session).items()}
            con = ibis.duckdb.connect()
            inputs = build_inputs(session, con)
            registry = con.to_pyarrow(inputs.registry)
        result["signal_rows"] = sum(
            pq.ParquetFile(p).metadata.num_rows for paths in lake.values() for p in paths
        )
        result["as_of"] = as_of.isoformat()

        product = product_baoshan(lake, registry, as_of)
        # The product's own statement, built and compiled once as a deployment does, then run.
        started = time.perf_counter()
        pcon = ibis.duckdb.connect()
        pcon.con.register("registry_src", registry)
        pcon.con.execute("CREATE TABLE registry AS SELECT * FROM registry_src").fetchall()
        signals = {k: pcon.read_parquet(v) for k, v in lake.items() if k != "enterprises"}
        inputs = FactsInputs(registry=pcon.table("registry"), signals=signals)
        graded = grade_table(rb, compute_facts(inputs, as_of, rb.fact_names()))
        names = [criterion_column(i) for i in range(len(rb.criteria))]
        statement = str(pcon.compile(graded.select("enterprise_id", "level", *names)))
        phases["compile_full"] = time.perf_counter() - started
        # The three paths run in turns, `repeats` times each, and each is reported by its
        # median: a busy moment of the machine then falls on all of them alike.
        sql_con = duckdb.connect()
        runs: dict[str, Callable[[], Any]] = {
            "product": lambda: pcon.con.sql(statement).to_arrow_table(),
            "sql": lambda: baoshan_sql(sql_con, lake, registry, as_of),
        }
        if pandas_baseline:
            runs["pandas"] = lambda: baoshan_pandas(lake, registry, as_of)
        outputs: dict[str, Any] = {}
        times: dict[str, list[float]] = {k: [] for k in runs}
        for _ in range(repeats):
            for key, fn in runs.items():
                outputs[key], spent = _timed(fn, 1)
                times[key] += spent
        compiled, t_product, sql, t_sql = (
            outputs["product"],
            times["product"],
            outputs["sql"],
            times["sql"],
        )
        if compiled.num_rows != product.num_rows:
            raise AssertionError("compiled statement and product path disagree on row count")
        log(f"product full grade median {statistics.median(t_product):.2f}s")
        log(f"hand-written SQL median {statistics.median(t_sql):.2f}s")
        agreement: dict[str, Any] = {"product_vs_sql": compare(product, sql)[:10]}
        full: dict[str, Any] = {
            "rows": product.num_rows,
            "repeats": repeats,
            "product_median_s": round(statistics.median(t_product), 3),
            "sql_median_s": round(statistics.median(t_sql), 3),
            "product_vs_sql_ratio": round(
                statistics.median(t_product) / statistics.median(t_sql), 2
            ),
        }
        if pandas_baseline:
            t_pd = times["pandas"]
            agreement["product_vs_pandas"] = compare(product, outputs["pandas"])[:10]
            full["pandas_median_s"] = round(statistics.median(t_pd), 3)
            full["pandas_vs_product_speedup"] = round(
                statistics.median(t_pd) / statistics.median(t_product), 1
            )
        levels: dict[str, int] = {}
        for lv in product.column("level").to_pylist():
            levels[lv or "none"] = levels.get(lv or "none", 0) + 1
        full["levels"] = levels
        result["full_evaluation"] = full
        result["memory_after_full_mb"] = round(_peak_rss_mb())

        # Re-grade one enterprise after a new complaint, through the prepared statement.
        started = time.perf_counter()
        signals = {k: con.read_parquet(v) for k, v in lake.items() if k != "enterprises"}
        grader = PreparedGrader(rb, ibis.memtable(registry), signals, as_of)
        phases["prepare_single"] = time.perf_counter() - started
        rng = random.Random(seed)
        ids = registry.column("enterprise_id").to_pylist()
        # before any new signal, the grader must agree with the full re-grade
        full_levels = dict(
            zip(
                product.column("enterprise_id").to_pylist(),
                product.column("level").to_pylist(),
                strict=True,
            )
        )
        checked = rng.sample(ids, min(len(ids), 500))
        disagree = [
            e for e in checked if (g := grader.grade(e)) is None or g.level != full_levels.get(e)
        ]
        agreement["prepared_vs_product"] = (
            f"{len(disagree)} of {len(checked)} differ, e.g. {disagree[:5]}"
            if disagree
            else "identical"
        )
        single: list[float] = []
        for n in range(singles):
            eid = rng.choice(ids)
            started = time.perf_counter()
            grader.add_signal(
                "complaints",
                {
                    "enterprise_id": eid,
                    "batch_id": 10**9 + n,
                    "row_no": 2,
                    "received_date": as_of,
                    "months_owed": Decimal("1.00"),
                    "workers": 3,
                },
            )
            grade = grader.grade(eid)
            single.append(time.perf_counter() - started)
            assert grade is not None and grade.level is not None  # a fresh complaint must warn
        result["agreement"] = {k: ("identical" if not v else v) for k, v in agreement.items()}
        single.sort()
        result["single_enterprise_regrade"] = {
            "n": singles,
            "median_ms": round(statistics.median(single) * 1000, 2),
            "p95_ms": round(single[int(0.95 * (len(single) - 1))] * 1000, 2),
            "prepare_s": round(phases["prepare_single"], 2),
        }
        result["phases_s"] = {k: round(v, 2) for k, v in phases.items()}
        result["peak_memory_mb"] = round(_peak_rss_mb())
        result["targets"] = {
            "full_within_1.2x_of_sql": full["product_vs_sql_ratio"] <= 1.2,
            "pandas_at_least_10x_slower": full.get("pandas_vs_product_speedup", 0) >= 10
            if pandas_baseline
            else None,
            "single_median_le_25ms": result["single_enterprise_regrade"]["median_ms"] <= 25,
            "csv_import_ge_200k_rows_s": result["import"]["csv_large_file"]["rows_per_s"]
            >= 200_000,
        }
        return result
    finally:
        if tmp is not None:
            tmp.cleanup()
