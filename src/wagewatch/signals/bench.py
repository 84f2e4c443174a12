"""Measure reading and validation throughput on a synthetic wage-payment CSV.

Run: ``python -m wagewatch.signals.bench [ROWS] [MESSY_SHARE]``.
"""

from __future__ import annotations

import csv
import random
import sys
import tempfile
import time
from pathlib import Path

from wagewatch.signals.catalogue import get_kind
from wagewatch.signals.readers import open_source
from wagewatch.signals.validate import Validator

__all__ = ["main", "write_sample"]

HEADERS = [
    "统一社会信用代码",
    "企业名称",
    "工资所属月份",
    "应发人数",
    "实发人数",
    "应发工资（元）",
    "实发工资（元）",
    "实际支付日期",
]


def write_sample(path: Path, rows: int, messy: float = 0.0, seed: int = 7) -> None:
    """Write a typical 8-column wage-payment CSV; a share of rows uses the messier formats."""
    rnd = random.Random(seed)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["2024年工资支付情况"])
        writer.writerow(HEADERS)
        for i in range(rows):
            due = rnd.randint(5, 400)
            paid = due - (rnd.random() < 0.1) * rnd.randint(1, due)
            amount = rnd.randint(300_000, 90_000_000) / 100
            month = f"2024-{rnd.randint(1, 12):02d}"
            day = f"2024-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
            paid_amount = f"{amount * paid / due:.2f}"
            if rnd.random() < messy:
                month = month.replace("-", "年") + "月"
                day = day.replace("-", "/")
                paid_amount = f"{float(paid_amount):,.2f}"
            writer.writerow(
                [
                    f"91330106MA{i:08d}",
                    f"杭州示例{i}建筑劳务有限公司",
                    month,
                    due,
                    paid,
                    f"{amount:.2f}",
                    paid_amount,
                    day if rnd.random() > 0.02 else "",
                ]
            )


def main(argv: list[str] | None = None) -> int:
    """Print rows per second for reading alone and for reading plus validation."""
    args = sys.argv[1:] if argv is None else argv
    rows = int(args[0]) if args else 1_000_000
    messy = float(args[1]) if len(args) > 1 else 0.0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "wages.csv"
        write_sample(path, rows, messy)
        source = open_source(path, kind="wage_payments")
        validator = Validator(get_kind("wage_payments"), source.headers, file=path.name)

        wall, cpu = time.perf_counter(), time.process_time()
        batches = list(source.batches())
        read_s = (time.perf_counter() - wall, time.process_time() - cpu)

        wall, cpu = time.perf_counter(), time.process_time()
        accepted = rejected = 0
        for batch in batches:
            result = validator.validate(batch)
            accepted += result.accepted
            rejected += result.rejected
        validate_s = (time.perf_counter() - wall, time.process_time() - cpu)

    assert accepted + rejected == rows
    print(f"rows={rows} messy={messy:.0%} accepted={accepted} rejected={rejected}")
    # CPU time is what one core spends; wall time also counts waiting for a busy machine.
    for label, (wall_s, cpu_s) in (("read", read_s), ("validate", validate_s)):
        print(
            f"{label:9} cpu {cpu_s:6.2f} s {rows / cpu_s:>10,.0f} rows/s"
            f"   wall {wall_s:6.2f} s {rows / wall_s:>10,.0f} rows/s"
        )
    total = read_s[1] + validate_s[1]
    print(f"together  cpu {total:6.2f} s {rows / total:>10,.0f} rows/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
