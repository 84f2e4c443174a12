"""Fixture files written in the tests themselves (no committed binaries)."""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import xlsxwriter


def write_csv(
    path: Path,
    rows: Sequence[Sequence[Any]],
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> Path:
    """Write rows as CSV in the given encoding ("utf-8-sig" adds the BOM Excel writes)."""
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])
    return path


def write_xlsx(path: Path, sheets: Mapping[str, Sequence[Sequence[Any]]]) -> Path:
    """Write sheets of rows as XLSX; dates become real date cells, None stays blank."""
    workbook = xlsxwriter.Workbook(str(path))
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for name, rows in sheets.items():
        sheet = workbook.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, datetime | date):
                    moment = (
                        value if isinstance(value, datetime) else datetime(*value.timetuple()[:3])
                    )
                    sheet.write_datetime(r, c, moment, date_format)
                elif isinstance(value, str):
                    sheet.write_string(r, c, value)
                else:
                    sheet.write(r, c, value)
    workbook.close()
    return path


FEE_HEADERS = ["统一社会信用代码", "企业名称", "欠费类别", "所属月份", "欠费金额（元）"]


def fee_rows(count: int) -> list[list[str]]:
    """Valid fee-arrears rows with distinct enterprises."""
    return [
        [f"91330106MA{i:08d}", f"示例{i}有限公司", "电费", "2024-10", f"{100 + i}.50"]
        for i in range(count)
    ]
