"""Command line: python -m wagewatch.simulate --enterprises 3000 --months 24 --seed 1 --out DIR."""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path

from wagewatch.simulate.files import MessRates
from wagewatch.simulate.generate import generate

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """Generate a simulated district and print its summary as JSON."""
    parser = argparse.ArgumentParser(
        prog="python -m wagewatch.simulate",
        description="生成模拟辖区：各部门报送的源文件（含常见数据问题）及真实情况（truth/）。",
    )
    parser.add_argument("--enterprises", type=int, default=3000, help="企业数")
    parser.add_argument("--months", type=int, default=24, help="模拟月数")
    parser.add_argument("--seed", type=int, default=1, help="随机种子；相同种子生成相同文件")
    parser.add_argument("--out", type=Path, required=True, help="输出目录")
    parser.add_argument(
        "--end", type=date.fromisoformat, default=None, help="最后一个月的日期（默认上月末）"
    )
    parser.add_argument("--clean", action="store_true", help="不注入任何数据问题")
    parser.add_argument("--files", action="store_true", help="在摘要中列出每个文件")
    parser.add_argument(
        "--overwrite", action="store_true", help="清除输出目录中上次生成的 sources/ 和 truth/"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    summary = generate(
        args.enterprises,
        args.months,
        args.seed,
        args.out,
        args.end,
        mess=MessRates.clean() if args.clean else None,
        overwrite=args.overwrite,
    )
    report = summary.to_dict()
    if not args.files:
        report.pop("files")
    report["seconds"] = round(time.perf_counter() - started, 2)
    json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
