"""Properties: the fast paths agree with the forgiving parser, formats round-trip, counts add up."""

from __future__ import annotations

import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.signals.helpers import FEE_HEADERS, write_csv
from wagewatch.signals import RawBatch, Validator, get_kind, read_source
from wagewatch.signals.catalogue import Column
from wagewatch.signals.readers import ArrowCells
from wagewatch.signals.validate import MAX_DATE, MIN_DATE, CellError, ColumnParser

COLUMNS = {
    "date": Column("d", "日期", "date"),
    "month": Column("m", "月份", "month"),
    "decimal": Column("a", "金额", "decimal", unit="元"),
    "int": Column("c", "人数", "int", unit="人"),
    "bool": Column("b", "是否", "bool"),
    "enum": get_kind("fee_arrears").column("category"),
    "str": Column("s", "名称"),
    "identifier": get_kind("fee_arrears").column("credit_code"),
}

days = st.dates(min_value=date(1940, 1, 1), max_value=date(2110, 12, 31))
plain_numbers = st.one_of(
    st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False),
    st.integers(min_value=0, max_value=10**16).map(Decimal),
    st.decimals(min_value=0, max_value=10**3, places=3, allow_nan=False),
)


DATE_PATTERNS = [
    "{y:04d}-{m:02d}-{d:02d}",
    "{y:04d}/{m}/{d}",
    "{y:04d}/{m:02d}/{d:02d}",
    "{y:04d}.{m:02d}.{d:02d}",
    "{y:04d}{m:02d}{d:02d}",
    "{y:04d}年{m}月{d}日",
    "{y:04d}-{m:02d}-{d:02d} 08:30:00",
    "{y:04d}/{m:02d}/{d:02d} 08:30",
    "{y:04d}-{m:02d}",
    "{y:04d}-{m:02d}-{d:02d}x",
]
MONTH_PATTERNS = [
    "{y:04d}-{m:02d}",
    "{y:04d}/{m:02d}",
    "{y:04d}.{m:02d}",
    "{y:04d}年{m}月",
    "{y:04d}年{m:02d}月",
    "{y:04d}{m:02d}",
    "{y:04d}-{m}",
]
NUMBER_FORMATS = [str, lambda v: f"{v:,}", lambda v: f"{v}元", lambda v: f"¥{v}"]


def _formatted(patterns: list[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda d, p: p.format(y=d.year, m=d.month, d=d.day), days, st.sampled_from(patterns)
    )


def _uniform_format(patterns: list[str]) -> st.SearchStrategy[list[str]]:
    """Many different values written in one format, as one office's system exports them."""
    return st.sampled_from(patterns).flatmap(
        lambda p: st.lists(days.map(lambda d: p.format(y=d.year, m=d.month, d=d.day)), min_size=1)
    )


def date_texts() -> st.SearchStrategy[str]:
    return _formatted(DATE_PATTERNS)


def month_texts() -> st.SearchStrategy[str]:
    return _formatted(MONTH_PATTERNS)


def number_texts() -> st.SearchStrategy[str]:
    return st.builds(lambda v, f: f(v), plain_numbers, st.sampled_from(NUMBER_FORMATS))


junk = st.one_of(
    st.just(""),
    st.sampled_from(["/", "-", "无", "N/A", " ", "是", "否", "电费", "x", "1.2万", "3人", "'=1"]),
    st.text(alphabet="0123456789-./年月日 ,万元", max_size=12),
    st.integers(min_value=-5, max_value=10**7),
    st.floats(min_value=0, max_value=1e7, allow_nan=False),
)

CELLS = {
    "date": st.one_of(date_texts(), junk),
    "month": st.one_of(month_texts(), junk),
    "decimal": st.one_of(number_texts(), junk),
    "int": st.one_of(st.integers(min_value=0, max_value=10**10).map(str), junk),
    "bool": st.one_of(st.sampled_from(["是", "否", "Y", "N", "1", "0", "√", "", True, 1]), junk),
    "enum": st.one_of(st.sampled_from(["电费", "water", "供水", "", "税"]), junk),
    "str": st.one_of(st.text(max_size=8), junk),
    "identifier": st.one_of(
        st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY ab", max_size=20), junk
    ),
}


def _cell(parser: ColumnParser, value: object) -> object:
    try:
        return parser.cell(value)
    except CellError:
        return CellError


def _check_agreement(kind: str, values: list[object]) -> None:
    parser = ColumnParser(COLUMNS[kind])
    out, pending = parser.bulk(list(values))
    pending_set = set(pending)
    for i, value in enumerate(values):
        if i in pending_set:
            continue
        expected = _cell(parser, value)
        assert expected is not CellError, f"fast path accepted {value!r} the parser refuses"
        assert out[i] == expected and type(out[i]) is type(expected), (value, out[i], expected)


UNIFORM: dict[str, st.SearchStrategy[list[object]]] = {
    "date": _uniform_format(DATE_PATTERNS),
    "month": _uniform_format(MONTH_PATTERNS),
    "decimal": st.sampled_from(NUMBER_FORMATS).flatmap(
        lambda f: st.lists(plain_numbers.map(f), min_size=1)
    ),
    "int": st.lists(st.integers(min_value=0, max_value=10**10).map(str), min_size=1),
}


def _uniform_and_mixed(kind: str) -> st.SearchStrategy[list[object]]:
    cells = CELLS[kind]
    return st.one_of(
        st.lists(cells, max_size=30),
        # A column in one format throughout is where the whole-column path runs.
        UNIFORM.get(kind, st.lists(cells, min_size=1)),
        st.tuples(UNIFORM.get(kind, st.lists(cells)), st.lists(cells, max_size=3)).map(
            lambda t: t[0] + t[1]
        ),
    )


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_fast_paths_agree_with_the_forgiving_parser(data):
    for kind in COLUMNS:
        _check_agreement(kind, data.draw(_uniform_and_mixed(kind), label=kind))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([lambda d: d.isoformat(), lambda d: f"{d:%Y/%m/%d}"]), min_size=1))
def test_a_column_mixing_iso_and_slash_dates_agrees(formatters):
    values = [f(date(2024, 1 + i % 12, 1 + i % 28)) for i, f in enumerate(formatters)]
    _check_agreement("date", values)


@given(
    st.dates(min_value=MIN_DATE, max_value=MAX_DATE),
    st.sampled_from(
        ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日", "%Y-%m-%d %H:%M:%S"]
    ),
)
def test_any_day_in_range_round_trips_through_every_format(day, fmt):
    assert ColumnParser(COLUMNS["date"]).cell(day.strftime(fmt)) == day


@given(
    st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False),
    st.booleans(),
    st.booleans(),
)
def test_any_amount_round_trips_through_separators_and_currency(amount, commas, currency):
    text = f"{amount:,}" if commas else str(amount)
    if currency:
        text = "￥" + text
    assert ColumnParser(COLUMNS["decimal"]).cell(text) == amount


@st.composite
def fee_files(draw: st.DrawFn) -> tuple[list[list[str]], set[int]]:
    """Rows (with blank rows mixed in) and the row numbers that carry a bad cell."""
    rows: list[list[str]] = [FEE_HEADERS]
    bad: set[int] = set()
    for i in range(draw(st.integers(min_value=0, max_value=40))):
        if draw(st.booleans()) and draw(st.booleans()):
            rows.append([])
            continue
        row = [f"91330106MA{i:08d}", f"企业{i}", "电费", "2024-10", "12.50"]
        fault = draw(st.sampled_from([None, None, "month", "amount", "category", "name"]))
        if fault == "month":
            row[3] = "2024-13"
        elif fault == "amount":
            row[4] = "-1"
        elif fault == "category":
            row[2] = "牛奶"
        elif fault == "name":
            row[0] = row[1] = ""
        rows.append(row)
        if fault:
            bad.add(len(rows))
    return rows, bad


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fee_files(), st.integers(min_value=1, max_value=7))
def test_rows_in_equals_accepted_plus_rejected_and_the_right_rows_are_rejected(case, size):
    rows, bad = case
    with tempfile.TemporaryDirectory() as tmp:
        path = write_csv(Path(tmp) / "f.csv", rows)
        source, _ = read_source(path)
        validator = Validator(get_kind("fee_arrears"), source.headers)
        rows_in = accepted = 0
        rejected: set[int] = set()
        kept: list[int] = []
        for batch in source.batches(size):
            result = validator.validate(batch)
            rows_in += result.rows_in
            accepted += result.accepted
            rejected |= set(result.rejected_rows)
            kept += result.row_numbers
    data_rows = {n for n, row in enumerate(rows, start=1) if n > 1 and row}
    assert rows_in == accepted + len(rejected) == len(data_rows)
    assert rejected == bad
    assert set(kept) == data_rows - bad


def test_a_hand_made_batch_of_only_bad_rows_accepts_nothing():
    validator = Validator(get_kind("fee_arrears"), FEE_HEADERS)
    result = validator.validate(
        RawBatch([5, 6], [["", "", "", "", ""], ["x", "", "电", "2024-10", "x"]])
    )
    assert (result.rows_in, result.accepted, result.rejected) == (2, 0, 2)
    assert all(values == [] for values in result.columns.values())
    assert Decimal("0") not in result.columns["amount"]


# -- the Arrow tier: whole columns typed by Arrow, for the importer -----------------------------


def _text_cells(kind: str) -> st.SearchStrategy[list[str]]:
    text = CELLS[kind].filter(lambda v: isinstance(v, str))
    uniform = UNIFORM[kind].map(lambda vs: [v for v in vs if isinstance(v, str)])
    return st.one_of(
        st.lists(text, min_size=1, max_size=30),
        uniform.filter(bool),
        st.tuples(uniform, st.lists(st.sampled_from(["", "2024-02-30", "7"]), max_size=2)).map(
            lambda t: t[0] + t[1]
        ),
    ).filter(bool)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_the_arrow_tier_agrees_with_the_forgiving_parser(data):
    for kind in ("date", "month", "decimal", "int"):
        values = data.draw(_text_cells(kind), label=kind)
        for required in (False, True):
            column = COLUMNS[kind]
            parser = ColumnParser(Column(column.key, column.header, kind, required=required))
            typed = parser.arrow(ArrowCells(pa.array(values, pa.string())))
            if typed is None:
                continue
            assert not (required and "" in values)  # an empty required cell gets its error
            for value, got in zip(values, typed.to_pylist(), strict=True):
                expected = _cell(parser, value)
                assert expected is not CellError, f"Arrow tier accepted {value!r}"
                assert got == expected, (value, got, expected)


def _validated(path: Path, size: int, arrow: bool) -> tuple[list, list, dict, dict]:
    source, _ = read_source(path)
    validator = Validator(get_kind("fee_arrears"), source.headers, arrow=arrow)
    numbers: list[int] = []
    errors: list = []
    rejected: dict = {}
    values: dict[str, list] = {}
    for batch in source.batches(size):
        result = validator.validate(batch)
        numbers += result.row_numbers
        errors += [str(e) for e in result.errors]
        rejected.update(result.rejected_rows)
        for key, column in result.columns.items():
            values.setdefault(key, []).extend(
                column if isinstance(column, list) else column.to_pylist()
            )
    return numbers, errors, rejected, values


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fee_files(), st.integers(min_value=1, max_value=7))
def test_the_arrow_tier_changes_nothing_the_importer_sees(case, size):
    rows, _ = case
    with tempfile.TemporaryDirectory() as tmp:
        path = write_csv(Path(tmp) / "f.csv", rows)
        with_arrow = _validated(path, size, arrow=True)
        without = _validated(path, size, arrow=False)
    assert with_arrow[:3] == without[:3]  # row numbers, errors, rejected rows
    assert with_arrow[3].keys() == without[3].keys()
    for key, got in with_arrow[3].items():
        assert got == without[3][key], key


def test_clean_columns_come_typed_from_arrow_and_a_bad_cell_falls_back(tmp_path):
    row = ["91330106MA2B3C4D5E", "企业", "电费", "2024-10", "12.50"]
    clean = write_csv(tmp_path / "clean.csv", [FEE_HEADERS, row, row])
    source, _ = read_source(clean)
    (batch,) = list(source.batches())
    result = Validator(get_kind("fee_arrears"), source.headers, arrow=True).validate(batch)
    assert isinstance(result.columns["month"], pa.Array)
    assert result.columns["amount"].type == pa.decimal128(18, 2)
    assert isinstance(result.columns["category"], list)  # enum columns stay Python values
    bad = write_csv(tmp_path / "bad.csv", [FEE_HEADERS, row, [*row[:3], "2024-13", "1"]])
    source, _ = read_source(bad)
    (batch,) = list(source.batches())
    result = Validator(get_kind("fee_arrears"), source.headers, arrow=True).validate(batch)
    assert result.columns["month"] == [date(2024, 10, 1)]  # the forgiving tier ran
    assert isinstance(result.columns["amount"], pa.Array) and len(result.columns["amount"]) == 1
    assert [e.column_header for e in result.errors] == ["所属月份"]
