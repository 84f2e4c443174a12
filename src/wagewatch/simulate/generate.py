"""Generate a synthetic district: messy source files from every office and the truth behind them."""

from __future__ import annotations

import csv
import io
import json
import random
import shutil
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from wagewatch.signals.catalogue import SourceKind, kinds
from wagewatch.simulate.district import Registry, build_registry, make_district
from wagewatch.simulate.files import (
    ERROR_TYPES,
    FileResult,
    MessRates,
    RowTruth,
    make_style,
    write_file,
)
from wagewatch.simulate.records import build_records
from wagewatch.simulate.timeline import (
    FEE_CATEGORIES,
    NEVER,
    Timeline,
    month_ends,
    simulate_timeline,
)

__all__ = ["SimulationSummary", "default_end", "generate"]

# Containers dealt out to offices in turn, so even a small district has every kind of file.
_CONTAINERS = ("xlsx", "csv:gbk", "csv:utf-8-sig", "xlsx", "csv:utf-8", "csv:gbk", "xlsx")
# Offices export big lists from their systems as CSV; Excel is for lists people keep by hand.
_XLSX_MAX_ROWS_PER_FILE = 10_000
_LIST_KINDS = ("fee_arrears", "wage_payments", "si_deferrals")
_MONTHLY_TITLES = {
    "wage_payments": "{y}年{m}月农民工工资发放情况",
    "complaints": "欠薪投诉举报工单（{y}年{m}月）",
    "inspections": "{y}年{m}月欠薪隐患排查反馈表",
    "petitions": "{y}年{m}月涉及劳动报酬信访登记表",
}
_QUARTERLY_TITLES = {
    "si_deferrals": "{y}年第{q}季度社会保险费缓缴企业名单",
    "business_events": "{y}年第{q}季度企业经营异常情况通报",
    "incidents": "{y}年第{q}季度涉欠薪事件及舆情情况",
    "arbitration": "{y}年第{q}季度劳动人事争议仲裁案件台账",
    "layoffs": "{y}年第{q}季度企业裁员报备情况",
}


@dataclass
class SimulationSummary:
    """What a simulation wrote: files, rows per kind, injected mess and the district's story."""

    seed: int
    enterprises: int
    months: int
    start: date
    end: date
    district: str
    townships: list[str]
    files: list[str] = field(default_factory=list)
    rows_per_kind: dict[str, int] = field(default_factory=dict)
    files_per_kind: dict[str, int] = field(default_factory=dict)
    injected_errors: dict[str, int] = field(default_factory=dict)
    name_variants: dict[str, int] = field(default_factory=dict)
    deteriorating: int = 0
    recovered: int = 0
    absconded: int = 0
    closed: int = 0
    arrears_episodes: int = 0
    unregistered: int = 0
    catalogue_gaps: list[str] = field(default_factory=list)
    mess: dict[str, float] = field(default_factory=dict)

    @property
    def files_written(self) -> int:
        """Number of source files written."""
        return len(self.files)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as ISO strings)."""
        return {
            "seed": self.seed,
            "enterprises": self.enterprises,
            "months": self.months,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "district": self.district,
            "townships": list(self.townships),
            "files_written": self.files_written,
            "files": list(self.files),
            "rows_per_kind": dict(self.rows_per_kind),
            "files_per_kind": dict(self.files_per_kind),
            "injected_errors": dict(self.injected_errors),
            "name_variants": dict(self.name_variants),
            "deteriorating": self.deteriorating,
            "recovered": self.recovered,
            "absconded": self.absconded,
            "closed": self.closed,
            "arrears_episodes": self.arrears_episodes,
            "unregistered": self.unregistered,
            "catalogue_gaps": list(self.catalogue_gaps),
            "mess": dict(self.mess),
        }


def default_end(today: date | None = None) -> date:
    """The last day of the month before `today` (the wall clock when not given)."""
    today = today or date.today()
    return today.replace(day=1) - timedelta(days=1)


def _period_end(period: str, end: date) -> date:
    if period == "all":
        return end
    if "Q" in period:
        y, q = period.split("Q")
        last = min(date(int(y), int(q) * 3, 1), end.replace(day=1))
        nxt = date(last.year + (last.month == 12), last.month % 12 + 1, 1)
        return min(nxt - timedelta(days=1), end)
    y, m = period.split("-")
    first = date(int(y), int(m), 1)
    nxt = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def _title(kind: SourceKind, office: str, period: str, end: date, district: str, label: str) -> str:
    if kind.key == "enterprises":
        return f"{district}企业名录"
    if kind.key == "credit_blacklist":
        return f"拖欠农民工工资失信联合惩戒对象名单（截至{end.year}年{end.month}月）"
    if "Q" in period:
        y, q = period.split("Q")
        return _QUARTERLY_TITLES.get(kind.key, "{y}年第{q}季度" + kind.title).format(y=y, q=q)
    if period == "all":
        return kind.title
    y, m = period.split("-")
    if kind.key == "fee_arrears":
        return f"{y}年{int(m)}月欠缴{label}企业名单"
    template = _MONTHLY_TITLES.get(kind.key, "{y}年{m}月" + kind.title)
    return template.format(y=y, m=int(m))


def _file_name(kind: SourceKind, office: str, period: str, end: date, ext: str) -> str:
    label = f"截至{end:%Y-%m}" if period == "all" else period
    return f"sources/{kind.key}/{label}_{office}_{kind.title}.{ext}"


def generate(
    enterprises: int,
    months: int,
    seed: int,
    out: Path,
    end: date | None = None,
    *,
    mess: MessRates | None = None,
    deteriorate: float = 0.08,
    recover: float = 0.55,
    overwrite: bool = False,
) -> SimulationSummary:
    """Simulate a district and write its source files and truth under `out`."""
    if enterprises < 1 or months < 1:
        raise ValueError("enterprises and months must be at least 1")
    if not (0 <= deteriorate <= 1 and 0 <= recover <= 1):
        raise ValueError("deteriorate and recover are shares between 0 and 1")
    out = Path(out)
    for part in ("sources", "truth"):
        # Files of an earlier run would be read as part of this one: refuse or clear them.
        if (out / part).exists() and any((out / part).iterdir()):
            if not overwrite:
                raise FileExistsError(f"{out / part} 已有文件；请换一个目录或指定 overwrite")
            shutil.rmtree(out / part)
    end = end or default_end()
    mess = mess or MessRates()
    ends = month_ends(end, months)
    end = ends[-1]
    rng = random.Random(f"{seed}:district")
    district = make_district(rng)
    nrng = np.random.default_rng(np.random.SeedSequence([seed, 1]))
    reg = build_registry(enterprises, district, rng, nrng, mess.unregistered)
    tl = simulate_timeline(
        reg, ends, np.random.default_rng(np.random.SeedSequence([seed, 2])),
        deteriorate=deteriorate, recover=recover,
    )  # fmt: skip
    plan = tl.plan
    summary = SimulationSummary(
        seed=seed,
        enterprises=enterprises,
        months=months,
        start=ends[0].replace(day=1),
        end=end,
        district=f"{district.province}省{district.city}市{district.name}",
        townships=list(district.townships),
        deteriorating=int(plan.deteriorating.sum()),
        recovered=int((plan.deteriorating & (plan.recovered < months)).sum()),
        absconded=int((plan.absconded < months).sum()),
        closed=int((plan.closed < months).sum()),
        arrears_episodes=len(tl.episodes),
        unregistered=int((~reg.in_registry).sum()),
        mess=mess.to_dict(),
    )

    catalogue = {k.key: k for k in kinds()}
    produced: list[str] = []
    missing_columns: list[str] = []
    style_rng = random.Random(f"{seed}:styles")
    containers = list(_CONTAINERS)
    style_rng.shuffle(containers)
    dealt = 0
    results: list[FileResult] = []
    manifest: list[list[str]] = []
    # Each kind is written as soon as it is built, so only one kind's records are held at once.
    for key, batches in build_records(reg, tl, seed):
        produced.append(key)
        if key not in catalogue:
            continue
        kind = catalogue[key]
        if not batches:
            batches = {(kind.offices[0], "all"): []}  # a nil report: header only
        by_office: dict[str, list[tuple[str, list[Any]]]] = {}
        for (office, period), rows in sorted(batches.items()):
            by_office.setdefault(office, []).append((period, rows))
        known = {c.key for c in kind.columns}
        for office in sorted(by_office):
            keys = {
                k
                for _, rows in by_office[office]
                for r in rows
                for k, v in r.values.items()
                if v is not None
            } or known
            missing = sorted(
                c.key for c in kind.columns if c.required and c.key not in keys and c.key in known
            )
            if missing and any(rows for _, rows in by_office[office]):
                missing_columns.append(f"{kind.key}: 必填列 {', '.join(missing)} 无数据")
            container = containers[dealt % len(containers)]
            dealt += 1
            total = sum(len(rows) for _, rows in by_office[office])
            if container == "xlsx" and total > _XLSX_MAX_ROWS_PER_FILE * len(by_office[office]):
                container = "csv:utf-8-sig"
            style = make_style(kind, office, keys, style_rng, mess, container)
            for period, rows in by_office[office]:
                period_end = _period_end(period, end)
                label = ""
                if kind.key == "fee_arrears" and rows:
                    category = rows[0].values["category"]
                    choices = kind.column("category").choices
                    label = next((c.label for c in choices if c.value == category), category)
                title = _title(kind, office, period, period_end, district.name, label)
                sent = period_end + timedelta(days=5)
                relative = _file_name(kind, office, period, period_end, style.fmt)
                file_rng = random.Random(f"{seed}:{relative}")
                result = write_file(
                    out,
                    relative,
                    kind,
                    rows,
                    style,
                    reg,
                    file_rng,
                    mess,
                    title=title,
                    subtitle=f"填报单位：{office}\u3000\u3000填报日期：{sent.year}年{sent.month}月{sent.day}日",
                    created=datetime.combine(sent, time(9, 30)),
                    summary=kind.key in _LIST_KINDS and file_rng.random() < mess.summary_row,
                )
                results.append(result)
                _manifest_row(manifest, summary, result, kind, office, period, style, title)

    summary.catalogue_gaps = [
        f"模拟器未生成类型“{key}”的文件" for key in catalogue if key not in produced
    ] + [f"目录中没有类型“{key}”，未写出" for key in produced if key not in catalogue]
    summary.catalogue_gaps += missing_columns
    errors: Counter[str] = Counter(dict.fromkeys(ERROR_TYPES, 0))
    variants: Counter[str] = Counter()
    for result in results:
        errors.update(result.errors)
        variants.update(result.variants)
    summary.injected_errors = dict(errors)
    summary.name_variants = dict(sorted(variants.items()))
    _write_truth(out, reg, tl, results, manifest, summary)
    return summary


def _manifest_row(
    manifest: list[list[str]],
    summary: SimulationSummary,
    result: FileResult,
    kind: SourceKind,
    office: str,
    period: str,
    style: Any,
    title: str,
) -> None:
    summary.files.append(result.path)
    summary.rows_per_kind[kind.key] = summary.rows_per_kind.get(kind.key, 0) + len(result.rows)
    summary.files_per_kind[kind.key] = summary.files_per_kind.get(kind.key, 0) + 1
    manifest.append(
        [
            result.path,
            kind.key,
            office,
            period,
            style.fmt,
            result.encoding,
            str(style.header_row),
            str(len(result.rows)),
            title if style.title else "",
        ]
    )


def _csv_bytes(header: list[str], rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _write_truth(
    out: Path,
    reg: Registry,
    tl: Timeline,
    results: list[FileResult],
    manifest: list[list[str]],
    summary: SimulationSummary,
) -> None:
    truth = out / "truth"
    truth.mkdir(parents=True, exist_ok=True)
    n, months = len(reg), tl.months
    plan = tl.plan

    (truth / "files.csv").write_bytes(
        _csv_bytes(
            [
                "file",
                "kind",
                "office",
                "period",
                "format",
                "encoding",
                "header_row",
                "rows",
                "title",
            ],
            manifest,
        )
    )
    # The day a deteriorating firm settled everything it owed (arrears and fees), if it did.
    recovered = {
        i: _window_day(tl.ends, int(plan.recovered[i]), int(plan.recovered_day[i])).isoformat()
        for i in np.nonzero(plan.deteriorating & (plan.recovered < months))[0].tolist()
    }
    (truth / "enterprises.csv").write_bytes(
        _csv_bytes(
            [
                "enterprise_id",
                "code",
                "name",
                "township",
                "industry",
                "employees",
                "parent_id",
                "in_registry",
                "outsourcing",
                "payroll",
                "deteriorating",
                "recovered",
            ],
            [
                [
                    i + 1,
                    reg.codes[i],
                    reg.names[i].canonical,
                    reg.township_name(i),
                    reg.industry_name(i),
                    int(reg.employees[i]),
                    int(reg.parent[i]) + 1 if reg.parent[i] >= 0 else "",
                    int(reg.in_registry[i]),
                    int(reg.outsourcing[i]),
                    ("", "platform", "bank")[int(reg.payroll[i])],
                    int(plan.deteriorating[i]),
                    recovered.get(i, ""),
                ]
                for i in range(n)
            ],
        )  # fmt: skip
    )

    rows: list[list[Any]] = []
    said: list[list[Any]] = []
    for result in results:
        for r in result.rows:
            rows.append(_row_truth(r))
            if r.truth is not None:
                t = r.truth
                said.append(
                    [
                        r.file, r.row, _blank(t["months_owed"]), _blank(t["workers"]),
                        _blank(t["amount_yuan"]), t["employer_name"], t["flags"],
                        int(t["is_wage_arrears"]),
                    ]
                )  # fmt: skip
    (truth / "rows.csv").write_bytes(
        _csv_bytes(["file", "row", "kind", "enterprise_id", "malformed", "errors"], rows)
    )
    (truth / "complaints.csv").write_bytes(
        _csv_bytes(
            [
                "file",
                "row",
                "months_owed",
                "workers",
                "amount_yuan",
                "employer_name",
                "flags",
                "is_wage_arrears",
            ],
            said,
        )  # fmt: skip
    )
    _write_timeline(truth / "timeline.csv", tl, n, months)
    _write_arrears(truth / "arrears.csv", reg, tl)
    text = json.dumps(summary.to_dict(), ensure_ascii=False, indent=2, sort_keys=True)
    (truth / "summary.json").write_text(text + "\n", encoding="utf-8")


def _blank(value: Any) -> Any:
    return "" if value is None else value


def _row_truth(r: RowTruth) -> list[Any]:
    return [
        r.file,
        r.row,
        r.kind,
        r.ent + 1 if r.ent >= 0 else "",
        int(r.malformed),
        ";".join(r.errors),
    ]


def _write_timeline(path: Path, tl: Timeline, n: int, months: int) -> None:
    """One row per enterprise and month end; arrays are (months, n), written enterprise-major."""

    def flat(a: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(a.T).reshape(-1)

    fee = tl.fee_months
    columns: dict[str, Any] = {
        "enterprise_id": np.repeat(np.arange(1, n + 1, dtype=np.int64), months),
        "month_end": pa.array(np.tile(np.array(tl.ends, dtype="datetime64[D]"), n)),
        "wage_arrears_months": flat(tl.wage_months),
        "wage_arrears_workers": flat(tl.wage_workers),
        "wage_arrears_amount": flat(tl.wage_amount),
        "wages_unpaid": flat((tl.wage_workers > 0).astype(np.int8)),
        "wage_delay": flat(tl.wage_delay.astype(np.int8)),
    }
    for c, category in enumerate(FEE_CATEGORIES):
        columns[f"{category}_arrears_months"] = flat(fee[:, :, c])
    columns["fee_arrears_months"] = flat(fee.max(axis=2))
    columns["sudden_closure"] = flat(tl.closed.astype(np.int8))
    columns["owner_absconded"] = flat(tl.absconded.astype(np.int8))
    columns["group_incident"] = flat(tl.group_incident.astype(np.int8))
    columns["blacklisted"] = flat(tl.blacklisted.astype(np.int8))
    table = pa.table(columns)
    with path.open("wb") as handle:
        handle.write((",".join(columns) + "\n").encode())
        pacsv.write_csv(table, handle, pacsv.WriteOptions(include_header=False))


def _window_day(ends: list[date], m: int, day: int) -> date:
    """Day `day` (clamped to the month) of window month m; m may lie before the window."""
    y, mo = divmod(ends[0].year * 12 + ends[0].month - 1 + m, 12)
    first = date(y, mo + 1, 1)
    last = date(y + (mo == 11), (mo + 1) % 12 + 1, 1) - timedelta(days=1)
    return min(first + timedelta(days=day - 1), last)


def _write_arrears(path: Path, reg: Registry, tl: Timeline) -> None:
    eps = tl.episodes
    ends = tl.ends
    base = ends[0].year * 12 + ends[0].month - 1
    kinds_ = ("deterioration", "relapse", "minor")

    def day(m: int, d: int) -> date:
        return _window_day(ends, m, d)

    rows: list[list[Any]] = []
    for k in range(len(eps)):
        i = int(eps.ent[k])
        start, stop_m = int(eps.start[k]), int(eps.end[k])
        payday = int(reg.payday[i])
        settled = stop_m < len(ends)
        until = day(stop_m, int(eps.end_day[k])) if settled else ends[-1]
        m = until.year * 12 + until.month - 1 - base
        owed = max(m - start + (1 if until.day >= payday else 0), 1)
        stop = int(eps.stop[k])
        accrued = min(owed, max(stop - start, 1)) if stop < NEVER else owed
        rows.append(
            [
                k + 1, i + 1, kinds_[int(eps.kind[k])], day(start, payday).isoformat(),
                until.isoformat() if settled else "", int(eps.workers[k]), owed,
                int(eps.monthly[k]) * accrued,
            ]
        )  # fmt: skip
    path.write_bytes(
        _csv_bytes(
            [
                "episode_id",
                "enterprise_id",
                "kind",
                "start_date",
                "end_date",
                "workers",
                "months",
                "amount",
            ],
            rows,
        )  # fmt: skip
    )
