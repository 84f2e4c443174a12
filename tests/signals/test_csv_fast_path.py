"""The Arrow CSV path reads exactly what the csv-module path reads, or steps aside."""

from __future__ import annotations

from pathlib import Path

import pytest

from wagewatch.signals.readers import ReadStats, open_source

HEADER = "统一社会信用代码,企业名称,欠费类别,所属月份,欠费金额（元）\n"
ROW = "91330106MA2B3C4D5E,杭州示例建筑劳务有限公司,电费,2024-10,12.50\n"


def _both(path: Path) -> tuple[bool, list[tuple[int, list[str]]], tuple[int, list[int]]]:
    src = open_source(path)
    fast = src._arrow_table() is not None
    got = [(n, list(r)) for b in src.batches(3) for n, r in zip(b.row_numbers, b.rows, strict=True)]
    got_stats = (src.stats.blank_rows, list(src.stats.summary_rows))
    src.stats = ReadStats()
    want = [
        (n, list(r))
        for b in src._csv_record_batches(3)
        for n, r in zip(b.row_numbers, b.rows, strict=True)
    ]
    want_stats = (src.stats.blank_rows, list(src.stats.summary_rows))
    assert got == want
    assert got_stats == want_stats
    return fast, got, got_stats


@pytest.mark.parametrize(
    ("body", "fast"),
    [
        (ROW * 7, True),
        (ROW * 2 + ",,,,\n" + " , ,,,\n" + ROW * 2, True),  # blank rows in the middle
        (ROW * 2 + "合计,,,,99.00\n" + ROW, True),  # a summary row
        (ROW + '"9133","多行\n名称",电费,2024-10,"1,234.50"\n' + ROW, True),  # quoted newline
        (ROW * 2 + "\n" + ROW, True),  # an empty line counts as a blank row
        (ROW + "9133,“多行\n名称”,电费,2024-10,1\n" + ROW, False),  # unquoted newline
        (ROW + "9133,短行\n" + ROW, False),  # a ragged row
    ],
)
def test_fast_path_matches_the_csv_module(tmp_path: Path, body: str, fast: bool) -> None:
    path = tmp_path / "fees.csv"
    path.write_text("2024年10月欠费名单\n" + HEADER + body, encoding="utf-8")
    used, rows, _ = _both(path)
    assert used is fast
    assert rows and rows[0][0] == 3  # the title and header rows are counted


def test_gbk_files_take_the_csv_module(tmp_path: Path) -> None:
    path = tmp_path / "fees.csv"
    path.write_bytes((HEADER + ROW * 3).encode("gb18030"))
    used, rows, _ = _both(path)
    assert not used and len(rows) == 3
