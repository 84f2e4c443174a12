"""Row validation: header mapping, every accepted format, exact errors, whole-row rejection."""

from __future__ import annotations

import csv
from datetime import date, datetime
from decimal import Decimal

import pytest

from tests.signals.helpers import FEE_HEADERS, fee_rows, write_csv, write_xlsx
from wagewatch.signals import (
    HeaderError,
    RawBatch,
    RowError,
    Validator,
    get_kind,
    map_headers,
    validate_file,
    write_rejected,
)
from wagewatch.signals.catalogue import Column
from wagewatch.signals.validate import CellError, ColumnParser


def parse(column: Column, value, *, scale: int = 1):
    """Parse one cell through both tiers and insist they agree."""
    parser = ColumnParser(column, scale=scale)
    out, pending = parser.bulk([value])
    single = parser.cell(value)
    if not pending:
        assert out[0] == single
    return single


def reason(column: Column, value, *, scale: int = 1) -> str:
    with pytest.raises(CellError) as info:
        ColumnParser(column, scale=scale).cell(value)
    return info.value.reason


DATE = Column("d", "日期", "date")
MONTH = Column("m", "月份", "month")
MONEY = Column("a", "金额（元）", "decimal", unit="元")
MONTHS = Column("n", "欠薪月数", "decimal", unit="个月")
COUNT = Column("c", "人数", "int", unit="人")
FLAG = Column("b", "是否", "bool")
CATEGORY = get_kind("fee_arrears").column("category")
CODE = get_kind("complaints").column("credit_code")
ID_NUMBER = get_kind("complaints").column("complainant_id_number")
PHONE = get_kind("complaints").column("complainant_phone")
NAME = get_kind("complaints").column("enterprise_name")


# --- header mapping ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        "欠费金额（元）",
        "欠费金额(元)",
        "欠费金额",
        " 欠费 金额 ",
        "*欠费金额（元）",
        "欠费金额\n（元）",
        "欠缴金额",
    ],
)
def test_headers_map_through_width_spaces_brackets_units_and_aliases(header):
    mapping = map_headers(get_kind("fee_arrears"), ["企业名称", header])
    assert mapping.indices == {"enterprise_name": 0, "amount": 1}
    assert mapping.scales == {}


def test_full_width_and_bracketed_notes_in_headers_are_ignored():
    headers = [
        "统一社会信用代码（必填）",
        "企业名称(盖章)",
        "是否存在欠薪（是/否）",
        "排查日期【yyyy-mm-dd】",
    ]
    mapping = map_headers(get_kind("inspections"), headers)
    assert set(mapping.indices) == {"credit_code", "enterprise_name", "found_arrears", "visit_date"}


def test_a_wan_yuan_header_scales_amounts_unless_the_cell_names_its_unit(tmp_path):
    rows = [["企业名称", "欠费类别", "所属月份", "欠费金额（万元）"]]
    rows += [["甲", "税费", "2024-10", "1.5"], ["乙", "税费", "2024-10", "3000元"]]
    report = validate_file(write_csv(tmp_path / "f.csv", rows), kind="fee_arrears")
    assert [r["amount"] for r in report.records()] == [Decimal("15000"), Decimal("3000")]


def test_unknown_headers_are_listed_and_layout_headers_ignored():
    mapping = map_headers(get_kind("fee_arrears"), ["序号", *FEE_HEADERS, "主管税务所", "错误原因"])
    assert mapping.unmatched == ["主管税务所"]


def test_a_missing_required_column_is_a_header_error_naming_it():
    with pytest.raises(HeaderError) as info:
        Validator(get_kind("fee_arrears"), ["企业名称", "所属月份"], file="f.csv")
    assert info.value.errors == [RowError("f.csv", 1, "欠费类别", "", "缺少必填列")]


def test_neither_code_nor_name_column_is_a_header_error():
    with pytest.raises(HeaderError) as info:
        Validator(get_kind("si_deferrals"), ["批准日期"], file="f.csv", header_row=3)
    assert info.value.errors[0].row == 3
    assert "统一社会信用代码或企业名称" in str(info.value)


def test_two_columns_for_one_field_are_a_header_error():
    with pytest.raises(HeaderError, match="多列都对应“联系电话”"):
        Validator(
            get_kind("complaints"),
            ["企业名称", "受理日期", "来源渠道", "诉求内容", "联系电话", "手机号码"],
        )


def test_overrides_map_or_drop_headers_explicitly():
    headers = ["企业名称", "受理日期", "来源渠道", "诉求内容", "联系电话", "手机号码", "单位地址"]
    validator = Validator(
        get_kind("complaints"),
        headers,
        overrides={"手机号码": None, "单位地址": None},
    )
    assert validator.unmatched_headers == []
    with pytest.raises(ValueError, match="unknown column"):
        map_headers(get_kind("complaints"), headers, {"单位地址": "address"})


def test_a_default_fills_a_column_the_file_lacks(tmp_path):
    rows = [["户名", "所属期", "欠费金额"], ["甲公司", "202410", "88.5"]]
    path = write_csv(tmp_path / "water.csv", rows)
    report = validate_file(path, kind="fee_arrears", defaults={"category": "水费"})
    assert [(r["category"], r["month"]) for r in report.records()] == [("water", date(2024, 10, 1))]
    with pytest.raises(ValueError, match="default for category"):
        validate_file(path, kind="fee_arrears", defaults={"category": "牛奶"})


# --- dates and months -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "2024-10-05",
        "2024/10/5",
        "2024/10/05",
        "2024.10.05",
        "2024.10.5",
        "20241005",
        "2024年10月5日",
        "2024年10月05日",
        "2024 年 10 月 5 日",
        "2024年10月5号",
        "2024-10-05 14:30:00",
        "2024/10/5 9:03",
        "2024-10-05T14:30",
        "2024年10月5日14时30分",
        "２０２４－１０－０５",
        " 2024-10-05 ",
        "45570",
        45570,
        45570.6,
        datetime(2024, 10, 5, 14, 30),
        date(2024, 10, 5),
    ],
)
def test_every_date_format_reads_as_the_same_day(value):
    assert parse(DATE, value) == date(2024, 10, 5)


def test_a_yyyymmdd_number_cell_reads_as_that_day_not_a_serial():
    assert parse(DATE, 20241005) == date(2024, 10, 5)
    assert parse(DATE, 20241005.0) == date(2024, 10, 5)
    assert parse(MONTH, 20241005) == date(2024, 10, 1)


def test_typed_values_from_the_app_are_accepted():
    assert parse(MONEY, Decimal("12.30")) == Decimal("12.30")
    assert parse(COUNT, Decimal("12")) == 12
    assert reason(COUNT, Decimal("1.5")) == "「1.5」不是整数"


def test_a_number_that_is_no_month_is_refused():
    assert reason(MONTH, 7) == "「7」不是有效年月（可写 2024-10、2024年10月、202410）"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-02-30", "「2024-02-30」不是有效日期（不存在这一天）"),
        ("2024-13-01", "「2024-13-01」不是有效日期（不存在这一天）"),
        (
            "10/05/2024",
            "「10/05/2024」不是有效日期（可写 2024-10-05、2024/10/5、2024.10.05、20241005、2024年10月5日）",
        ),
        (
            "2024-10",
            "「2024-10」缺少日，请写完整日期（如 2024-10-05、2024/10/5、2024.10.05、20241005、2024年10月5日）",
        ),
        ("1900-01-01", "日期 1900-01-01 超出合理范围（1950年至2099年）"),
        (
            "2024-W40-1",
            "「2024-W40-1」不是有效日期（可写 2024-10-05、2024/10/5、2024.10.05、20241005、2024年10月5日）",
        ),
        (True, "「是」不是日期"),
    ],
)
def test_impossible_or_ambiguous_dates_are_refused_with_a_reason(value, expected):
    assert reason(DATE, value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "2024-10",
        "2024/10",
        "2024.10",
        "2024年10月",
        "2024年10月份",
        "202410",
        202410,
        "2024-10-31",
        "2024年10月15日",
        "2024-10-01至2024-10-31",
        date(2024, 10, 15),
        datetime(2024, 10, 1),
        2024.10 + 0.01,  # Excel's 2024.11 is November, not ambiguous
    ],
)
def test_every_month_format_reads_as_the_first_of_the_month(value):
    expected = date(2024, 11, 1) if isinstance(value, float) else date(2024, 10, 1)
    assert parse(MONTH, value) == expected


def test_a_month_excel_turned_into_the_number_2024_1_is_refused_as_ambiguous():
    assert "无法确定是1月还是10月" in reason(MONTH, 2024.1)
    assert parse(MONTH, "2024.1") == date(2024, 1, 1)  # written as text it can only be January


def test_a_month_range_spanning_months_is_refused():
    assert (
        reason(MONTH, "2024-07-01至2024-09-30")
        == "「2024-07-01至2024-09-30」跨越多个月，请按月分行填写"
    )
    assert reason(MONTH, "2024-13") == "「2024-13」不是有效年月（月份应为1-12）"


# --- numbers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1234.5", "1234.5"),
        ("1,234.50", "1234.50"),
        ("1.2万", "12000"),
        ("1.2万元", "12000"),
        ("￥3000", "3000"),
        ("¥3,000.00", "3000"),
        ("３０００", "3000"),
        ("3000元", "3000"),
        (" 3,000.00 元", "3000"),
        ("约18万元", "180000"),
        ("三万五千", "35000"),
        (1234.5, "1234.5"),
        (1234.5600000001, "1234.56"),
        (3000, "3000"),
        ("0", "0"),
    ],
)
def test_amounts_read_as_exact_decimals(value, expected):
    result = parse(MONEY, value)
    assert isinstance(result, Decimal)
    assert result == Decimal(expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("-5", "「-5」不能为负数"),
        ("1.234", "「1.234」最多保留2位小数"),
        ("abc", "「abc」不是有效数值"),
        ("nan", "「nan」不是有效数值"),
        ("1e5", "「1e5」不是有效数值"),
        ("3元5", "「3元5」不是有效数值"),
        ("1000000000000000", "「1000000000000000」数值过大，请检查是否填错了列"),
        (True, "「是」不是有效数值"),
    ],
)
def test_bad_amounts_are_refused_with_a_reason(value, expected):
    assert reason(MONEY, value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("3", "3"), ("3个月", "3"), ("90天", "3"), ("45天", "1.5"), ("10天", "0.33")],
)
def test_months_owed_accept_days_as_thirtieths(value, expected):
    assert parse(MONTHS, value) == Decimal(expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12),
        ("12人", 12),
        ("30余人", 30),
        ("约30人", 30),
        ("1,200", 1200),
        ("三十", 30),
        (12.0, 12),
        (7, 7),
    ],
)
def test_counts_read_as_integers(value, expected):
    assert parse(COUNT, value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12.5", "「12.5」不是整数"),
        ("-3", "「-3」不能为负数"),
        ("很多", "「很多」不是整数"),
        (2.5, "「2.5」不是整数"),
    ],
)
def test_bad_counts_are_refused_with_a_reason(value, expected):
    assert reason(COUNT, value) == expected


# --- yes/no, choices, identifiers, placeholders -----------------------------------------------


@pytest.mark.parametrize(
    "value", ["是", "有", "Y", "y", "yes", "1", 1, 1.0, "√", "TRUE", True, " 是 ", "存在"]
)
def test_yes_spellings_read_as_true(value):
    assert parse(FLAG, value) is True


@pytest.mark.parametrize("value", ["否", "无", "N", "no", "0", 0, "×", "FALSE", False, "没有"])
def test_no_spellings_read_as_false(value):
    assert parse(FLAG, value) is False


def test_an_unknown_yes_no_is_refused_listing_the_spellings():
    assert (
        reason(FLAG, "也许") == "「也许」无法识别为是/否（可填：是、否、有、无、Y、N、1、0、√、×）"
    )


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("电费", "electricity"),
        ("electricity", "electricity"),
        ("供电", "electricity"),
        (" 社保 ", "social_insurance"),
        ("ＴＡＸ", "tax"),
    ],
)
def test_choices_read_by_label_code_or_alias(value, code):
    assert parse(CATEGORY, value) == code


def test_an_unknown_choice_is_refused_listing_the_labels():
    assert (
        reason(CATEGORY, "牛奶")
        == "「牛奶」不是可选值（可选：税费、社保费、贷款、水费、电费、燃气费、通信费）"
    )


def test_channel_numbers_typed_as_numbers_in_excel_still_match():
    assert parse(get_kind("complaints").column("channel"), 12345) == "hotline_12345"


def test_identifiers_lose_spaces_and_become_upper_case():
    assert parse(CODE, " 91330106ma2b 3c4d5e ") == "91330106MA2B3C4D5E"
    assert parse(CODE, "９１３３０１０６ＭＡ２Ｂ３Ｃ４Ｄ５Ｅ") == "91330106MA2B3C4D5E"
    assert parse(ID_NUMBER, "33010619900101123x") == "33010619900101123X"
    assert parse(PHONE, 13900000000) == "13900000000"
    assert parse(PHONE, 13900000000.0) == "13900000000"


def test_an_id_number_excel_stored_as_a_number_is_refused():
    assert "末几位已丢失" in reason(ID_NUMBER, 3.30106199001011e17)
    assert "科学计数法" in reason(ID_NUMBER, "3.30106E+17")


@pytest.mark.parametrize("value", ["", "  ", "/", "-", "—", "无", "暂无", "N/A", "NULL", None])
def test_placeholders_read_as_empty(value):
    assert parse(NAME, value) is None
    assert parse(MONEY, value) is None
    assert parse(DATE, value) is None


# --- files: exact errors, whole-row rejection, counts -----------------------------------------


def test_bad_rows_are_reported_with_exact_file_row_column_and_reason(tmp_path):
    rows = [
        ["2024年10月欠费企业名单"],
        ["统一社会信用代码", "单位名称", "欠费类型", "所属期", "欠费金额（元）"],
        ["91330106MA00000001", "甲公司", "电费", "2024-10", "1,200.00"],
        ["91330106MA00000002", "乙公司", "牛奶", "2024-13", "100"],
        [],
        ["", "", "水费", "2024-10", "-5"],
        ["91330106MA00000004", "丁公司", "燃气", "2024年9月", ""],
    ]
    report = validate_file(write_csv(tmp_path / "欠费.csv", rows, encoding="gbk"))
    assert report.kind.key == "fee_arrears"
    assert report.errors == [
        RowError(
            "欠费.csv",
            4,
            "欠费类型",
            "牛奶",
            "「牛奶」不是可选值（可选：税费、社保费、贷款、水费、电费、燃气费、通信费）",
        ),
        RowError("欠费.csv", 4, "所属期", "2024-13", "「2024-13」不是有效年月（月份应为1-12）"),
        RowError("欠费.csv", 6, "欠费金额（元）", "-5", "「-5」不能为负数"),
        RowError(
            "欠费.csv", 6, "统一社会信用代码/单位名称", "", "统一社会信用代码或企业名称至少填写一项"
        ),
    ]
    assert (report.rows_in, report.accepted, report.rejected) == (4, 2, 2)
    assert [r["row"] for r in report.records()] == [3, 7]
    assert sorted(report.rejected_rows) == [4, 6]


def test_a_required_cell_left_empty_rejects_the_row(tmp_path):
    rows = [
        ["企业名称", "受理日期", "来源渠道", "诉求内容"],
        ["甲公司", "2024-10-08", "12345", "  "],
    ]
    report = validate_file(write_csv(tmp_path / "c.csv", rows), kind="complaints")
    assert report.errors == [RowError("c.csv", 2, "诉求内容", "  ", "必填项为空")]
    assert report.accepted == 0


def test_a_row_with_one_bad_cell_is_rejected_whole_never_half_imported(tmp_path):
    rows = [FEE_HEADERS, ["91330106MA00000001", "甲公司", "电费", "2024-10", "abc"]]
    report = validate_file(write_csv(tmp_path / "f.csv", rows))
    assert report.accepted == 0
    assert list(report.records()) == []
    assert all(len(values) == 0 for values in report.batches[0].columns.values())


def test_counts_add_up_across_batches(tmp_path):
    rows = [FEE_HEADERS]
    for i, row in enumerate(fee_rows(2_500)):
        if i % 7 == 0:
            row[3] = "二〇二四年十月"
        rows.append(row)
    report = validate_file(write_csv(tmp_path / "f.csv", rows), batch_size=1_000)
    assert len(report.batches) == 3
    assert report.rows_in == 2_500
    assert report.rejected == len(range(0, 2_500, 7))
    assert report.rows_in == report.accepted + report.rejected
    assert report.accepted == sum(1 for _ in report.records())


def test_accepted_batches_hold_typed_columns_for_every_catalogue_column(tmp_path):
    report = validate_file(write_csv(tmp_path / "f.csv", [FEE_HEADERS, *fee_rows(2)]))
    batch = report.batches[0]
    assert list(batch.columns) == [c.key for c in get_kind("fee_arrears").columns]
    assert batch.columns["amount"] == [Decimal("100.50"), Decimal("101.50")]
    assert batch.columns["township"] == [None, None]


def test_an_xlsx_with_typed_cells_validates(tmp_path):
    path = write_xlsx(
        tmp_path / "排查.xlsx",
        {
            "反馈": [
                ["定向排查反馈表"],
                [
                    "企业名称",
                    "排查日期",
                    "是否存在欠薪",
                    "欠薪人数",
                    "欠薪金额（元）",
                    "是否已解决",
                ],
                ["甲公司", date(2024, 10, 25), True, 15, 96000.0, False],
                ["乙公司", "2024/10/26", "否", None, None, None],
                ["丙公司", 45591, "是", 3.5, 100, "否"],
            ]
        },
    )
    report = validate_file(path, kind="inspections")
    records = list(report.records())
    assert [(r["row"], r["visit_date"], r["found_arrears"]) for r in records] == [
        (3, date(2024, 10, 25), True),
        (4, date(2024, 10, 26), False),
    ]
    assert records[0]["amount"] == Decimal("96000")
    assert report.errors == [RowError("排查.xlsx", 5, "欠薪人数", "3.5", "「3.5」不是整数")]


def test_validating_a_hand_made_batch_with_ragged_rows_fits_them():
    validator = Validator(get_kind("fee_arrears"), FEE_HEADERS, file="app")
    result = validator.validate(
        RawBatch([1, 2], [["", "甲", "电费", "2024-10"], fee_rows(1)[0] + ["x"]])
    )
    assert result.accepted == 2
    assert result.columns["amount"] == [None, Decimal("100.50")]


# --- the rejected-rows file -------------------------------------------------------------------


def test_rejected_rows_file_keeps_headers_adds_reasons_and_opens_in_excel(tmp_path):
    rows = [["欠费名单"], ["序号", *FEE_HEADERS]]
    rows += [
        ["1", *fee_rows(1)[0]],
        ["2", "91330106MA00000009", "乙公司", "电费", "2024-13", "=1+1"],
    ]
    report = validate_file(write_csv(tmp_path / "f.csv", rows, encoding="gbk"))
    out = tmp_path / "rejected.csv"
    assert report.write_rejected(out) == 1
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert lines[0] == ["序号", *FEE_HEADERS, "错误原因"]
    assert lines[1][:6] == ["2", "91330106MA00000009", "乙公司", "电费", "2024-13", "'=1+1"]
    assert lines[1][6] == (
        "原第4行：所属月份：「2024-13」不是有效年月（月份应为1-12）；欠费金额（元）：「=1+1」不是有效数值"
    )


def test_fixing_the_bad_cell_in_the_rejected_file_lets_it_import(tmp_path):
    rows = [FEE_HEADERS, *fee_rows(3)]
    rows[2][3] = "2024-13"
    rows[3][4] = "一百块"
    first = validate_file(write_csv(tmp_path / "f.csv", rows))
    assert (first.accepted, first.rejected) == (1, 2)
    rejected = tmp_path / "rejected.csv"
    first.write_rejected(rejected)

    with rejected.open(encoding="utf-8-sig", newline="") as handle:
        fixed = list(csv.reader(handle))
    fixed[1][3] = "2024-10"
    fixed[2][4] = "100"
    write_csv(rejected, fixed, encoding="utf-8-sig")

    second = validate_file(rejected)
    assert second.errors == []
    assert second.unmatched_headers == []
    assert [r["enterprise_name"] for r in second.records()] == ["示例1有限公司", "示例2有限公司"]


def test_a_rejected_file_that_fails_again_does_not_grow_a_second_reason_column(tmp_path):
    rows = [[*FEE_HEADERS, "错误原因"], [*fee_rows(1)[0][:3], "2024-13", "1", "原第9行：旧原因"]]
    report = validate_file(write_csv(tmp_path / "again.csv", rows))
    out = tmp_path / "again-rejected.csv"
    report.write_rejected(out)
    header = out.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.count("错误原因") == 1


def test_write_rejected_works_from_errors_and_rows_alone(tmp_path):
    errors = [RowError("f.csv", 7, "所属月份", "x", "「x」不是有效年月")]
    out = tmp_path / "r.csv"
    count = write_rejected(out, errors, {7: ["甲", "x"]}, headers=["企业名称", "所属月份"])
    assert count == 1
    assert (
        out.read_text(encoding="utf-8-sig").splitlines()[1]
        == "甲,x,原第7行：所属月份：「x」不是有效年月"
    )
