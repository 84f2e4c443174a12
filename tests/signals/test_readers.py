"""Reading office files: encodings, header rows, blank rows, Excel sheets, streaming, kinds."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tests.signals.helpers import FEE_HEADERS, fee_rows, write_csv, write_xlsx
from wagewatch.signals import (
    AmbiguousKindError,
    ReadError,
    UnknownSourceError,
    detect_kind,
    get_kind,
    open_source,
    read_source,
)
from wagewatch.signals.catalogue import BUILTIN_KINDS
from wagewatch.signals.readers import cell_text

TITLE = "2024年10月欠费企业名单"


@pytest.mark.parametrize(
    ("encoding", "reported"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"), ("gb18030", "gb18030")],
)
def test_csv_encoding_is_detected_and_reported(tmp_path, encoding, reported):
    path = write_csv(tmp_path / "f.csv", [FEE_HEADERS, *fee_rows(2)], encoding=encoding)
    source, batch = read_source(path)
    assert source.encoding == reported
    assert source.headers == FEE_HEADERS
    assert batch.rows[0][1] == "示例0有限公司"


def test_bom_is_not_part_of_the_first_header(tmp_path):
    path = write_csv(tmp_path / "f.csv", [FEE_HEADERS, *fee_rows(1)], encoding="utf-8-sig")
    assert open_source(path).headers[0] == "统一社会信用代码"


def test_gbk_file_with_chinese_only_after_a_megabyte_of_ascii_is_still_gbk(tmp_path):
    rows = [FEE_HEADERS] + [["91330106MA00000001", "A", "tax", "2024-10", "1"]] * 40_000
    rows.append(["91330106MA00000002", "乙公司", "电费", "2024-10", "1"])
    path = write_csv(tmp_path / "late.csv", rows, encoding="gbk")
    source, batch = read_source(path)
    assert source.encoding == "gb18030"
    assert batch.rows[-1][1] == "乙公司"


def test_undecodable_bytes_are_a_read_error_not_garbage(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes("企业名称,欠费类别\n".encode("gbk") + b"\xff\xff\xff,\x80\n")
    with pytest.raises(ReadError, match="编码"):
        list(open_source(path).batches())


def test_title_rows_above_the_header_are_skipped_and_row_numbers_kept(tmp_path):
    path = write_csv(
        tmp_path / "f.csv", [[TITLE], ["填报单位：城南街道"], FEE_HEADERS, *fee_rows(2)]
    )
    source, batch = read_source(path)
    assert source.header_row == 3
    assert batch.row_numbers == [4, 5]


def test_blank_rows_are_skipped_but_row_numbers_stay_as_excel_shows_them(tmp_path):
    rows = [
        FEE_HEADERS,
        fee_rows(3)[0],
        [],
        ["", "  ", ""],
        fee_rows(3)[1],
        [""] * 5,
        fee_rows(3)[2],
    ]
    source, batch = read_source(write_csv(tmp_path / "f.csv", rows))
    assert batch.row_numbers == [2, 5, 7]
    assert source.stats.blank_rows == 3


def test_quoted_newlines_do_not_shift_row_numbers(tmp_path):
    rows = [FEE_HEADERS, ["1", "甲\n公司", "电费", "2024-10", "1"], fee_rows(1)[0]]
    _, batch = read_source(write_csv(tmp_path / "f.csv", rows))
    assert batch.row_numbers == [2, 3]


def test_summary_rows_are_skipped_and_listed(tmp_path):
    rows = [FEE_HEADERS, *fee_rows(2), ["合 计", "", "", "", "201.00"], ["", "", "", "", ""]]
    rows.insert(2, ["", "某会计师事务所", "电费", "2024-10", "3"])
    source, batch = read_source(write_csv(tmp_path / "f.csv", rows))
    assert batch.row_numbers == [2, 3, 4]
    assert source.stats.summary_rows == [5]


def test_short_and_long_rows_are_fitted_to_the_header(tmp_path):
    rows = [FEE_HEADERS, ["91330106MA00000001", "甲公司"], [*fee_rows(1)[0], "多余", "列"]]
    _, batch = read_source(write_csv(tmp_path / "f.csv", rows))
    assert batch.rows[0] == ["91330106MA00000001", "甲公司", "", "", ""]
    assert len(batch.rows[1]) == 5


def test_tab_separated_text_is_read(tmp_path):
    path = write_csv(tmp_path / "f.txt", [FEE_HEADERS, *fee_rows(1)], delimiter="\t")
    source, batch = read_source(path)
    assert source.delimiter == "\t"
    assert batch.rows[0][2] == "电费"


def test_no_recognisable_header_in_the_first_ten_rows_is_a_read_error(tmp_path):
    rows = [[f"说明{i}"] for i in range(10)] + [FEE_HEADERS]
    with pytest.raises(ReadError, match="前10行中没有可识别的表头"):
        open_source(write_csv(tmp_path / "f.csv", rows))


def test_a_given_kind_limits_header_search_to_its_columns(tmp_path):
    rows = [["企业名称", "受理日期"], FEE_HEADERS, *fee_rows(1)]
    path = write_csv(tmp_path / "f.csv", rows)
    assert open_source(path, kind="fee_arrears").header_row == 2


def test_batches_stream_a_large_csv_with_continuous_row_numbers(tmp_path):
    path = write_csv(tmp_path / "big.csv", [[TITLE], FEE_HEADERS, *fee_rows(25_000)])
    source = open_source(path)
    sizes, numbers = [], []
    for batch in source.batches(size=10_000):
        sizes.append(len(batch))
        numbers.extend(batch.row_numbers)
    assert sizes == [10_000, 10_000, 5_000]
    assert numbers == list(range(3, 25_003))


def test_batches_before_a_bad_byte_arrive_before_the_error(tmp_path):
    # The bad bytes sit past the first megabyte, where the encoding was sniffed.
    path = write_csv(tmp_path / "f.csv", [FEE_HEADERS, *fee_rows(30_000)], encoding="gbk")
    assert path.stat().st_size > 1 << 20
    with path.open("ab") as handle:
        handle.write(b"\xff\xff,\x80\n")
    batches = open_source(path).batches(size=10_000)
    assert [len(next(batches)) for _ in range(2)] == [10_000, 10_000]
    with pytest.raises(ReadError) as info:
        next(batches)
    assert info.value.row == 30_002
    assert "编码" in str(info.value)


def test_xlsx_uses_the_first_non_empty_sheet_and_typed_cells(tmp_path):
    path = write_xlsx(
        tmp_path / "f.xlsx",
        {
            "说明": [],
            "数据": [
                [TITLE],
                [],
                ["统一社会信用代码", "企业名称", "欠费类别", "所属月份", "欠费金额（元）"],
                ["91330106MA00000001", "甲公司", "电费", date(2024, 10, 1), 1234.5],
                [None, None, None, None, None],
                ["91330106MA00000002", "乙公司", "水费", "2024年9月", 88],
            ],
        },
    )
    source, batch = read_source(path)
    assert (source.format, source.sheet, source.header_row) == ("excel", "数据", 3)
    assert batch.row_numbers == [4, 6]
    assert batch.rows[0][3] == date(2024, 10, 1)
    assert batch.rows[0][4] == 1234.5


def test_xlsx_named_sheet_is_read_and_a_missing_one_is_an_error(tmp_path):
    path = write_xlsx(
        tmp_path / "f.xlsx",
        {"一月": [FEE_HEADERS, *fee_rows(1)], "二月": [FEE_HEADERS, *fee_rows(2)]},
    )
    _, batch = read_source(path, sheet="二月")
    assert len(batch) == 2
    with pytest.raises(ReadError, match="找不到工作表“三月”"):
        open_source(path, sheet="三月")


def test_a_workbook_of_empty_sheets_is_a_read_error(tmp_path):
    with pytest.raises(ReadError, match="没有非空"):
        open_source(write_xlsx(tmp_path / "f.xlsx", {"空": []}))


def test_an_excel_file_with_a_wrong_suffix_is_recognised_by_content(tmp_path):
    path = write_xlsx(tmp_path / "f.xlsx", {"s": [FEE_HEADERS, *fee_rows(1)]})
    renamed = path.rename(tmp_path / "download.bin")
    assert open_source(renamed).format == "excel"


def test_cells_are_shown_as_the_office_sees_them():
    assert cell_text(3000.0) == "3000"
    assert cell_text(0.5) == "0.5"
    assert cell_text(datetime(2024, 10, 5)) == "2024-10-05"
    assert cell_text(datetime(2024, 10, 5, 14, 30)) == "2024-10-05 14:30:00"
    assert cell_text(True) == "是"
    assert cell_text(None) == ""


@pytest.mark.parametrize("kind", [k.key for k in BUILTIN_KINDS])
def test_each_kind_is_detected_from_its_own_headers(kind):
    headers = [c.header for c in get_kind(kind).columns]
    detected, score, unmatched = detect_kind(headers)
    assert detected.key == kind
    assert score == 1.0
    assert unmatched == []


@pytest.mark.parametrize("kind", [k.key for k in BUILTIN_KINDS])
def test_each_kind_is_detected_from_its_required_headers_and_the_name(kind):
    source = get_kind(kind)
    headers = ["企业名称"] + [
        c.header for c in source.columns if c.required and c.header != "企业名称"
    ]
    assert detect_kind(headers)[0].key == kind


def test_detection_works_through_aliases_and_reports_unknown_headers():
    headers = ["序号", "纳税人识别号", "纳税人名称", "费种", "所属期", "欠缴金额(元)", "主管税务所"]
    kind, score, unmatched = detect_kind(headers)
    assert kind.key == "fee_arrears"
    assert unmatched == ["主管税务所"]
    assert score == 1.0


def test_a_12345_export_with_many_extra_columns_is_still_a_complaint():
    headers = ["工单编号", "来电时间", "来源", "被反映单位", "诉求内容", "来电人", "来电号码"]
    headers += ["办理状态", "承办单位", "回访结果", "满意度", "办结时间"]
    assert detect_kind(headers)[0].key == "complaints"


def test_unknown_headers_are_an_error_listing_the_best_candidates():
    with pytest.raises(UnknownSourceError) as info:
        detect_kind(["姓名", "年龄", "籍贯"])
    assert "无法根据表头确定" in str(info.value)
    with pytest.raises(UnknownSourceError) as info:
        detect_kind(["企业名称", "受理日期"])
    message = str(info.value)
    assert "最接近的类型" in message and "缺少" in message
    assert len(info.value.candidates) == 3


def test_headers_fitting_two_kinds_equally_are_ambiguous():
    with pytest.raises(AmbiguousKindError) as info:
        detect_kind(["企业名称", "发生日期", "类型"])
    keys = {c.kind.key for c in info.value.candidates}
    assert keys == {"business_events", "incidents"}
    assert "请在导入时指定类型" in str(info.value)


def test_an_empty_file_is_a_read_error(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(ReadError, match="文件为空"):
        open_source(path)


def test_a_missing_file_is_a_read_error(tmp_path):
    with pytest.raises(ReadError, match="文件不存在"):
        open_source(tmp_path / "nope.csv")
