"""Map file headers to catalogue columns and validate rows into typed values, whole rows or none."""

from __future__ import annotations

import csv
import math
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from itertools import repeat
from operator import add, itemgetter
from pathlib import Path
from typing import Any

from wagewatch.signals._text import IGNORED_HEADERS, header_keys, header_scale, normalize_token
from wagewatch.signals.catalogue import Catalogue, Column, SourceKind, default_catalogue
from wagewatch.signals.readers import (
    DEFAULT_BATCH_SIZE,
    ArrowCells,
    Cell,
    RawBatch,
    SourceFile,
    cell_text,
    detect_kind,
    open_source,
    paused_gc,
)

__all__ = [
    "ERROR_COLUMN",
    "MAX_DATE",
    "MIN_DATE",
    "CellError",
    "ColumnParser",
    "HeaderError",
    "HeaderMapping",
    "RowError",
    "ValidatedBatch",
    "ValidationReport",
    "Validator",
    "iter_validated",
    "map_headers",
    "validate_file",
    "write_rejected",
]

ERROR_COLUMN = "错误原因"
MIN_DATE = date(1950, 1, 1)
MAX_DATE = date(2099, 12, 31)
_MAX_INT = 10**9
_MAX_DECIMAL = Decimal(10) ** 15
_EXCEL_EPOCH = date(1899, 12, 30)
_DAYS_PER_MONTH = Decimal(30)
_FLOAT_NOISE = Decimal("1e-6")

# Placeholders offices write for "nothing here" (compared after stripping, and NFKC for non-text).
_EMPTY = frozenset(
    {"", "/", "\\", "-", "--", "---", "—", "——", "－", "无", "暂无", "空", "#N/A"}
    | {v for t in ("n/a", "na", "null", "none") for v in (t, t.upper(), t.title())}
)
_TRUE = ("是", "有", "存在", "已", "对", "y", "yes", "true", "t", "1", "√", "✓", "✔", "是的")
_FALSE = (
    "否",
    "无",
    "没有",
    "不存在",
    "未",
    "错",
    "n",
    "no",
    "false",
    "f",
    "0",
    "×",
    "✗",
    "✘",
    "不是",
)
_BOOL_TOKENS: dict[str, bool] = {**dict.fromkeys(_TRUE, True), **dict.fromkeys(_FALSE, False)}
# Escapes that write_rejected adds so Excel does not run a cell as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

_DATE_RE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?"
    r"(?:(?:\s+|T|(?<=[日号]))\d{1,2}\s*[:时]\s*\d{1,2}.*)?"
)
_DATE8_RE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_SERIAL_RE = re.compile(r"\d{5}(?:\.\d+)?")
_MONTH_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:月份?)?")
_MONTH6_RE = re.compile(r"(\d{4})(\d{2})")
_RANGE_SPLIT = re.compile(r"\s*(?:至|到|~|—|–)\s*")
_NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_SCI_RE = re.compile(r"\d(?:\.\d+)?E\+\d+", re.IGNORECASE)
_CN_DIGITS = frozenset("零〇一二两三四五六七八九十百千万亿点壹贰叁肆伍陆柒捌玖拾佰仟")
_INT_UNITS = ("人次", "人", "名", "个", "次", "家", "户", "位", "件", "起")
_APPROX_PREFIX = ("大约", "约", "近", "共")
_APPROX_SUFFIX = ("左右", "以上", "余", "多", "来")

_DATE_FORMATS = "2024-10-05、2024/10/5、2024.10.05、20241005、2024年10月5日"
_MONTH_FORMATS = "2024-10、2024年10月、202410"


class CellError(ValueError):
    """A cell value that cannot be read as its column's type; args[0] is the Chinese reason."""

    @property
    def reason(self) -> str:
        """The Chinese reason shown to the office."""
        return str(self.args[0])


@dataclass(frozen=True)
class RowError:
    """One problem in one row (or the header, when row is the header row) of a source file."""

    file: str
    row: int
    column_header: str
    value: str
    reason: str

    def __str__(self) -> str:
        where = f"「{self.column_header}」" if self.column_header else ""
        return f"{self.file} 第{self.row}行{where}：{self.reason}"


class HeaderError(ValueError):
    """The file's columns cannot be used for its kind (missing, duplicated); nothing is imported."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        self.errors = list(errors)
        super().__init__("；".join(str(e) for e in self.errors))


def _fold(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip()


def _unquote(text: str) -> str:
    # A leading apostrophe is Excel's "keep as text" mark, or our own formula escape.
    return text[1:] if text.startswith("'") else text


def _is_empty(text: str) -> bool:
    return text in _EMPTY


def _check_date(value: date) -> date:
    if not MIN_DATE <= value <= MAX_DATE:
        raise CellError(f"日期 {value.isoformat()} 超出合理范围（1950年至2099年）")
    return value


def _serial_date(number: float) -> date:
    if not 1 <= number < 2_958_466:
        raise CellError(f"「{cell_text(number)}」不是有效日期（可写 {_DATE_FORMATS}）")
    return _check_date(_EXCEL_EPOCH + timedelta(days=int(number)))


def _make_date(text: str, y: str, m: str, d: str) -> date:
    try:
        day = date(int(y), int(m), int(d))
    except ValueError:
        raise CellError(f"「{text}」不是有效日期（不存在这一天）") from None
    return _check_date(day)


def parse_date(value: Cell) -> date | None:
    """Read a date from a cell in any of the formats offices use; None when empty."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return _check_date(value.date())
    if isinstance(value, date):
        return _check_date(value)
    if isinstance(value, bool) or isinstance(value, time | timedelta):
        raise CellError(f"「{cell_text(value)}」不是日期")
    if isinstance(value, int | float):
        if value == int(value) and 19_500_101 <= value <= 20_991_231:
            text = str(int(value))  # 20241005 typed into a number cell
            return _make_date(text, text[:4], text[4:6], text[6:])
        return _serial_date(value)
    text = _unquote(_fold(cell_text(value)))
    if _is_empty(text):
        return None
    m = _DATE_RE.fullmatch(text)
    if m:
        return _make_date(text, *m.groups())
    m = _DATE8_RE.fullmatch(text)
    if m:
        return _make_date(text, *m.groups())
    if _SERIAL_RE.fullmatch(text):
        return _serial_date(float(text))
    if _MONTH_RE.fullmatch(text) or _MONTH6_RE.fullmatch(text):
        raise CellError(f"「{text}」缺少日，请写完整日期（如 {_DATE_FORMATS}）")
    raise CellError(f"「{text}」不是有效日期（可写 {_DATE_FORMATS}）")


def _month(text: str, y: str, m: str) -> date:
    month = int(m)
    if not 1 <= month <= 12:
        raise CellError(f"「{text}」不是有效年月（月份应为1-12）")
    return _check_date(date(int(y), month, 1))


def parse_month(value: Cell) -> date | None:
    """Read a year-month as the first day of that month; None when empty."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return _check_date(value.date().replace(day=1))
    if isinstance(value, date):
        return _check_date(value.replace(day=1))
    if isinstance(value, bool) or isinstance(value, time | timedelta):
        raise CellError(f"「{cell_text(value)}」不是年月")
    if isinstance(value, float) and not value.is_integer():
        text = repr(value)
        year, _, frac = text.partition(".")
        if len(year) == 4 and frac == "1":
            raise CellError(
                f"「{text}」无法确定是1月还是10月（Excel 把 {year}.10 存成了数字 {text}），"
                f"请写成 {year}-01 或 {year}-10"
            )
        if len(year) == 4 and len(frac) == 2:
            return _month(text, year, frac)
        if len(year) == 4 and len(frac) == 1:
            return _month(text, year, frac)
        raise CellError(f"「{text}」不是有效年月（可写 {_MONTH_FORMATS}）")
    if isinstance(value, int | float):
        number = int(value)
        if 195_001 <= number <= 209_912:
            return _month(str(number), str(number)[:4], str(number)[4:])
        if 20_000 <= number < 80_000 or 19_500_101 <= number <= 20_991_231:
            return parse_date(number).replace(day=1)  # type: ignore[union-attr]
        raise CellError(f"「{cell_text(value)}」不是有效年月（可写 {_MONTH_FORMATS}）")
    text = _unquote(_fold(cell_text(value)))
    if _is_empty(text):
        return None
    parts = _RANGE_SPLIT.split(text)
    if len(parts) == 2:
        first, last = parse_month(parts[0]), parse_month(parts[1])
        if first != last or first is None:
            raise CellError(f"「{text}」跨越多个月，请按月分行填写")
        return first
    m = _MONTH_RE.fullmatch(text) or _MONTH6_RE.fullmatch(text)
    if m:
        return _month(text, *m.groups())
    try:
        day = parse_date(text)
    except CellError:
        raise CellError(f"「{text}」不是有效年月（可写 {_MONTH_FORMATS}）") from None
    return day.replace(day=1) if day else None


def _cn_number(text: str) -> Decimal | None:
    if not text or not set(text) <= _CN_DIGITS | set("0123456789."):
        return None
    import cn2an

    try:
        return Decimal(str(cn2an.cn2an(text, "smart")))
    except (ValueError, KeyError, IndexError, InvalidOperation):
        return None


def _strip_affixes(text: str, prefixes: Sequence[str], suffixes: Sequence[str]) -> str:
    changed = True
    while changed and text:
        changed = False
        for p in prefixes:
            if text.startswith(p) and len(text) > len(p):
                text, changed = text[len(p) :], True
        for s in suffixes:
            if text.endswith(s) and len(text) > len(s):
                text, changed = text[: -len(s)], True
    return text


def parse_int(value: Cell) -> int | None:
    """Read a non-negative count ("12", "12人", "30余人", "1,200", "三十"); None when empty."""
    if value is None:
        return None
    if isinstance(value, Decimal):  # signals born in the app arrive typed
        if not value.is_finite() or value != value.to_integral_value():
            raise CellError(f"「{value}」不是整数")
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise CellError(f"「{cell_text(value)}」不是整数")
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(f"「{cell_text(value)}」不是整数")
        value = int(value)
    if isinstance(value, int):
        number = value
    else:
        text = _unquote(_fold(value))
        if _is_empty(text):
            return None
        core = text.replace(",", "").replace(" ", "")
        core = _strip_affixes(core, _APPROX_PREFIX, _INT_UNITS + _APPROX_SUFFIX)
        if _NUMBER_RE.fullmatch(core):
            amount = Decimal(core)
        else:
            found = _cn_number(core)
            if found is None:
                raise CellError(f"「{text}」不是整数")
            amount = found
        if amount != amount.to_integral_value():
            raise CellError(f"「{text}」不是整数")
        number = int(amount)
    if number < 0:
        raise CellError(f"「{cell_text(value)}」不能为负数")
    if number >= _MAX_INT:
        raise CellError(f"「{cell_text(value)}」数值过大，请检查是否填错了列")
    return number


def _decimal_text(text: str, unit: str) -> tuple[Decimal, bool, bool]:
    """Parse a written number; return (value, computed from days, carried its own unit)."""
    core = text.replace(",", "").replace(" ", "")
    for mark in ("¥", "RMB", "CNY", "人民币"):
        core = core.replace(mark, "")
    core = _strip_affixes(core, ("大约", "约", "共计", "共"), ("左右", "余", "多"))
    scale, divide, explicit = Decimal(1), False, False
    for suffix, factor in (
        ("亿元", 10**8),
        ("万元", 10**4),
        ("亿", 10**8),
        ("万", 10**4),
        ("元", 1),
    ):
        if core.endswith(suffix) and len(core) > len(suffix):
            core, scale, explicit = core[: -len(suffix)], Decimal(factor), True
            break
    if unit == "个月":
        for suffix in ("个月", "月"):
            if core.endswith(suffix) and len(core) > len(suffix):
                core = core[: -len(suffix)]
                break
        else:
            for suffix in ("天", "日"):
                if core.endswith(suffix) and len(core) > len(suffix):
                    core, divide = core[: -len(suffix)], True
                    break
    core = _strip_affixes(core, ("约",), ("余", "多"))
    if _NUMBER_RE.fullmatch(core):
        amount = Decimal(core)
    else:
        found = _cn_number(core)
        if found is None:
            raise CellError(f"「{text}」不是有效数值")
        amount = found
    amount *= scale
    if divide:
        return amount / _DAYS_PER_MONTH, True, explicit
    return amount, False, explicit


class _Pending:
    __slots__ = ()

    def __repr__(self) -> str:
        return "<pending>"


# Marks a value the fast paths could not settle; the per-cell parser decides it.
_PENDING: Any = _Pending()
_BOOL_RAW: dict[Any, Any] = {"": None, "Y": True, "N": False, "YES": True, "NO": False}
_BOOL_RAW.update(_BOOL_TOKENS)
_BOOL_RAW.update({"TRUE": True, "FALSE": False, True: True, False: False})
_INT_CHARS = re.compile(r"[0-9\n]*")
_DECIMAL_CHARS = re.compile(r"[0-9.\n]*")
_fromiso = date.fromisoformat
_DATE_SEPARATORS = str.maketrans("/.", "--")


# The plain form of each type the Arrow tier reads (RE2 syntax; \\d is ASCII there).
_ARROW_FORMS: dict[str, Callable[[Column], str]] = {
    "decimal": lambda c: rf"^(\d{{1,15}}(\.\d{{1,{c.places}}})?)?$",
    "int": lambda c: r"^(\d{1,9})?$",
    "date": lambda c: r"^(\d{4}-\d{2}-\d{2})?$",
    "month": lambda c: r"^(\d{4}-\d{2})?$",
}


class ColumnParser:
    """A column's parser, compiled once: fast paths for clean columns, a forgiving cell parser."""

    # Three tiers, fastest first; each must agree with `cell` on every value it accepts
    # (tests/signals/test_properties.py checks this):
    # 1. _bulk_<type>: the whole column at C speed, when every cell is in one plain form;
    # 2. _quick_<type>: per cell, plain forms and empty cells only, the rest left pending;
    # 3. cell: every format offices write, raising CellError with the Chinese reason.

    def __init__(self, column: Column, *, scale: int = 1) -> None:
        self.column = column
        self.scale = scale
        self.cell: Callable[[Cell], Any] = getattr(self, f"_cell_{column.type}")
        self._bulk: Callable[[list[Any]], list[Any] | None] = getattr(self, f"_bulk_{column.type}")
        self._quick: Callable[[Any], Any] = getattr(self, f"_quick_{column.type}")
        # Only the dictionary-lookup tiers (bool, enum) can leave cells pending in tier 1.
        self._bulk_pends = column.type in ("bool", "enum")
        # Optional typed columns are often mostly empty: run tier 1 on the filled cells.
        self._bulk_sparse = column.type in ("int", "decimal", "date", "month")
        self._quantum = Decimal(1).scaleb(-column.places)
        self._plain = re.compile(rf"\d{{1,15}}(?:\.\d{{1,{column.places}}})?", re.ASCII)
        self._too_precise = re.compile(rf"\.[0-9]{{{column.places + 1}}}")
        if column.type == "enum":
            self._choices = column.choice_index()
            raw: dict[Any, Any] = {"": None}
            for choice in column.choices:
                for spelling in (choice.value, choice.label, *choice.aliases):
                    raw[spelling] = choice.value
            self._raw_choices = raw
            self._labels = "、".join(c.label for c in column.choices)

    def bulk(self, raw: Sequence[Cell]) -> tuple[list[Any], list[int]]:
        """Parse a whole column; return the values and the indices still needing cell()."""
        if isinstance(raw, ArrowCells):
            values = raw.cells()
        else:
            values = raw if isinstance(raw, list) else list(raw)
        out = self._bulk(values)
        if out is None and self._bulk_sparse and "" in values:
            out = self._bulk_present(values)
        if out is None:
            out = list(map(self._quick, values))
        elif not self._bulk_pends:
            return out, []
        if _PENDING in out:
            return out, [i for i, v in enumerate(out) if v is _PENDING]
        return out, []

    def arrow(self, cells: ArrowCells) -> Any:
        """The column typed at Arrow speed (the lake's Arrow type), or None.

        Only when every cell is empty or in the one plain form of its type (the forms
        `_quick_<type>` reads the same way: 1234.50, 2024-10, 2024-10-05, 42); anything else
        returns None and the column goes through the tiers above, with their messages. A
        required column with an empty cell returns None too, so that cell gets its error.
        """
        if self.scale != 1 or self.column.type not in _ARROW_FORMS:
            return None
        import pyarrow as pa
        import pyarrow.compute as pc

        from wagewatch.signals.lake import lake_type

        array = cells.array
        if (
            not len(array)
            or not pc.all(
                pc.match_substring_regex(array, _ARROW_FORMS[self.column.type](self.column))
            ).as_py()
        ):
            return None
        empty = pc.equal(array, "")
        if pc.any(empty).as_py():
            if self.column.required:
                return None
            array = pc.if_else(empty, pa.scalar(None, pa.string()), array)
        if self.column.type == "month":
            array = pc.binary_join_element_wise(array, "-01", "")
        try:
            typed = pc.cast(array, lake_type(self.column))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            return None  # 2023-02-29 and the like: the cell tier names the cell
        if self.column.type in ("date", "month") and typed.null_count < len(typed):
            low, high = pc.min_max(typed).values()
            if low.as_py() < MIN_DATE or high.as_py() > MAX_DATE:
                return None
        return typed

    def _bulk_present(self, values: list[Any]) -> list[Any] | None:
        present = list(filter(None, values))
        # Only "" may be dropped: a falsy 0 or False from Excel is a value, not an empty cell.
        if not present or len(present) + values.count("") != len(values):
            return None
        parsed = self._bulk(present)
        if parsed is None:
            return None
        filled = iter(parsed)
        return [next(filled) if v else None for v in values]

    # --- str -----------------------------------------------------------------------------------

    def _cell_str(self, value: Cell) -> str | None:
        if value is None:
            return None
        if isinstance(value, float | int) and not isinstance(value, bool):
            if self.column.identifier and abs(value) >= 1e15:
                raise CellError(
                    f"「{cell_text(value)}」被 Excel 存成了数字，末几位已丢失；"
                    "请把该列设为文本格式后重新填写"
                )
        text = cell_text(value).strip()
        if self.column.identifier:
            text = "".join(unicodedata.normalize("NFKC", _unquote(text)).split()).upper()
            if _SCI_RE.fullmatch(text):
                raise CellError(
                    f"「{text}」是被 Excel 改成科学计数法的数字，末几位已丢失；"
                    "请把该列设为文本格式后重新填写"
                )
        elif text.startswith("'") and text[1:2] in _FORMULA_START:
            text = text[1:]
        if _is_empty(text):
            return None
        return text

    def _plain_identifier(self, text: str) -> bool:
        return (
            text.isascii()
            and text.upper() == text
            and " " not in text
            and "\t" not in text
            and "E+" not in text
        )

    def _bulk_str(self, values: list[Any]) -> list[Any] | None:
        try:
            out: list[Any] = list(map(str.strip, values))
        except TypeError:
            return None
        joined = "".join(out)
        if "'" in joined or (self.column.identifier and not self._plain_identifier(joined)):
            return None
        if not _EMPTY.isdisjoint(out):
            out = [None if v in _EMPTY else v for v in out]
        return out

    def _quick_str(self, value: Any) -> Any:
        if value.__class__ is not str:
            return _PENDING
        text = value.strip()
        if "'" in text or (self.column.identifier and not self._plain_identifier(text)):
            return _PENDING
        return None if text in _EMPTY else text

    # --- int -----------------------------------------------------------------------------------

    def _cell_int(self, value: Cell) -> int | None:
        return parse_int(value)

    def _bulk_int(self, values: list[Any]) -> list[Any] | None:
        if "" in values:
            return None
        joined = _joined(values)
        if (
            joined is None
            or not joined.isascii()
            or not _INT_CHARS.fullmatch(joined)
            or max(map(len, values)) > 9
        ):
            return None
        return list(map(int, values))

    def _quick_int(self, value: Any) -> Any:
        if value.__class__ is str:
            if value.isdigit() and value.isascii() and len(value) < 10:
                return int(value)
            if not value:
                return None
        elif value.__class__ is int and 0 <= value < _MAX_INT:
            return value
        return _PENDING

    # --- decimal -------------------------------------------------------------------------------

    def _finish_decimal(self, amount: Decimal, shown: str) -> Decimal:
        if not amount.is_finite():
            raise CellError(f"「{shown}」不是有效数值")
        if amount < 0:
            raise CellError(f"「{shown}」不能为负数")
        if amount >= _MAX_DECIMAL:
            raise CellError(f"「{shown}」数值过大，请检查是否填错了列")
        if amount.quantize(self._quantum, rounding=ROUND_HALF_UP) != amount:
            raise CellError(f"「{shown}」最多保留{self.column.places}位小数")
        return amount

    def _cell_decimal(self, value: Cell) -> Decimal | None:
        if value is None:
            return None
        if isinstance(value, Decimal):  # signals born in the app arrive typed
            return self._finish_decimal(value * self.scale, str(value))
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise CellError(f"「{cell_text(value)}」不是有效数值")
        if isinstance(value, int):
            return self._finish_decimal(Decimal(value) * self.scale, cell_text(value))
        if isinstance(value, float):
            if not math.isfinite(value):
                raise CellError(f"「{cell_text(value)}」不是有效数值")
            amount = Decimal(repr(value)) * self.scale
            rounded = amount.quantize(self._quantum, rounding=ROUND_HALF_UP)
            # Excel arithmetic leaves float noise (1234.5600000001); anything larger is real.
            if rounded != amount and abs(rounded - amount) < _FLOAT_NOISE:
                amount = rounded
            return self._finish_decimal(amount, cell_text(value))
        text = _unquote(_fold(value))
        if _is_empty(text):
            return None
        try:
            amount, computed, explicit = _decimal_text(text, self.column.unit)
        except InvalidOperation:
            raise CellError(f"「{text}」不是有效数值") from None
        if not explicit:  # "3000元" in a （万元） column means 3000 yuan
            amount *= self.scale
        if computed:  # days converted to months: round, the office did not write these places
            amount = amount.quantize(self._quantum, rounding=ROUND_HALF_UP)
        return self._finish_decimal(amount, text)

    def _bulk_decimal(self, values: list[Any]) -> list[Any] | None:
        if self.scale != 1 or "" in values:
            return None
        joined = _joined(values)
        if joined is None:
            return None
        if "," in joined:  # thousands separators, as Excel exports money
            joined = joined.replace(",", "")
            values = joined.split("\n")
        if (
            not joined.isascii()
            or not _DECIMAL_CHARS.fullmatch(joined)
            or self._too_precise.search(joined)
        ):
            return None
        try:
            out = list(map(Decimal, values))
        except InvalidOperation:  # "1.2.3", "" after removing commas, and the like
            return None
        # Fifteen characters cannot exceed fifteen integer digits; longer ones are compared.
        if max(map(len, values)) > 15 and max(out) >= _MAX_DECIMAL:
            return None
        return out

    def _quick_decimal(self, value: Any) -> Any:
        if value.__class__ is str:
            if self.scale == 1 and self._plain.fullmatch(value):
                return Decimal(value)
            if not value:
                return None
        return _PENDING

    # --- date / month --------------------------------------------------------------------------

    def _cell_date(self, value: Cell) -> date | None:
        return parse_date(value)

    def _bulk_date(self, values: list[Any]) -> list[Any] | None:
        joined = _joined(values)
        # fromisoformat also reads ISO week dates (2024-W40-1); offices never mean those.
        if joined is None or not joined.isascii() or "W" in joined or "w" in joined:
            return None
        if "" in values:
            return None
        lengths = set(map(len, values))
        try:
            if lengths == {10} and ("/" in joined or "." in joined):
                out = list(map(_fromiso, joined.translate(_DATE_SEPARATORS).split("\n")))
            elif (lengths == {19} or lengths == {16}) and joined.count(":") >= len(values):
                # "2024-10-05 14:30:00" as systems export timestamps; the time is dropped.
                stamps = map(datetime.fromisoformat, joined.translate(_DATE_SEPARATORS).split("\n"))
                out = list(map(datetime.date, stamps))
            else:
                out = list(map(_fromiso, values))
        except ValueError:
            return None
        if out and (min(out) < MIN_DATE or max(out) > MAX_DATE):
            return None
        return out

    def _quick_date(self, value: Any) -> Any:
        if value.__class__ is str:
            if len(value) == 10 and value[4] in "-/." and value[7] == value[4]:
                try:
                    day = _fromiso(value if value[4] == "-" else value.translate(_DATE_SEPARATORS))
                except ValueError:
                    return _PENDING
                return day if MIN_DATE <= day <= MAX_DATE else _PENDING
            if not value:
                return None
        return _PENDING

    def _cell_month(self, value: Cell) -> date | None:
        return parse_month(value)

    def _bulk_month(self, values: list[Any]) -> list[Any] | None:
        joined = _joined(values)
        if joined is None or "W" in joined or "w" in joined or "" in values:
            return None
        if not joined.isascii():
            if "年" not in joined:
                return None
            # "2024年10月" is how Chinese tables write months.
            joined = joined.replace("年", "-").replace("月", "")
            values = joined.split("\n")
            if not joined.isascii():
                return None
        if set(map(len, values)) != {7}:
            return None
        if "/" in joined or "." in joined:
            joined = joined.translate(_DATE_SEPARATORS)
            values = joined.split("\n")
        try:
            out = list(map(_fromiso, map(add, values, repeat("-01"))))
        except ValueError:
            return None
        if out and (min(out) < MIN_DATE or max(out) > MAX_DATE):
            return None
        return out

    def _quick_month(self, value: Any) -> Any:
        if value.__class__ is str:
            if len(value) == 7 and value[4] == "-" and value[5] != "W":
                try:
                    day = _fromiso(value + "-01")
                except ValueError:
                    return _PENDING
                return day if MIN_DATE <= day <= MAX_DATE else _PENDING
            if not value:
                return None
        return _PENDING

    # --- bool / enum ---------------------------------------------------------------------------

    def _cell_bool(self, value: Cell) -> bool | None:
        if value is None:
            return None
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float) and value in (0, 1):
            return bool(value)
        text = _unquote(_fold(cell_text(value)))
        token = normalize_token(text)
        if token in _BOOL_TOKENS:
            return _BOOL_TOKENS[token]
        if _is_empty(text):
            return None
        raise CellError(f"「{text}」无法识别为是/否（可填：是、否、有、无、Y、N、1、0、√、×）")

    def _bulk_bool(self, values: list[Any]) -> list[Any] | None:
        return list(map(_BOOL_RAW.get, values, repeat(_PENDING)))

    def _quick_bool(self, value: Any) -> Any:
        return _BOOL_RAW.get(value, _PENDING)

    def _cell_enum(self, value: Cell) -> str | None:
        if value is None:
            return None
        text = _unquote(_fold(cell_text(value)))
        token = normalize_token(text)
        if token in self._choices:
            return self._choices[token]
        if _is_empty(text):
            return None
        raise CellError(f"「{text}」不是可选值（可选：{self._labels}）")

    def _bulk_enum(self, values: list[Any]) -> list[Any] | None:
        return list(map(self._raw_choices.get, values, repeat(_PENDING)))

    def _quick_enum(self, value: Any) -> Any:
        return self._raw_choices.get(value, _PENDING)


def _joined(values: list[Any]) -> str | None:
    """The column joined by newlines, when every cell is a string without a newline of its own."""
    try:
        joined = "\n".join(values)
    except TypeError:
        return None
    if joined.count("\n") != len(values) - 1:
        return None
    return joined


@dataclass(frozen=True)
class HeaderMapping:
    """How a file's headers map onto a kind's columns."""

    kind: SourceKind
    headers: list[str]
    indices: dict[str, int]
    unmatched: list[str]
    duplicates: dict[str, list[str]]
    scales: dict[str, int]

    def header_of(self, key: str) -> str:
        """The file's header for a column key (the catalogue header when the file lacks it)."""
        if key in self.indices:
            return self.headers[self.indices[key]]
        return self.kind.column(key).header


def map_headers(
    kind: SourceKind, headers: Sequence[str], overrides: Mapping[str, str | None] | None = None
) -> HeaderMapping:
    """Map file headers to column keys via headers, aliases and explicit overrides."""
    overrides = dict(overrides or {})
    known = {c.key for c in kind.columns}
    for header, key in overrides.items():
        if key is not None and key not in known:
            raise ValueError(f"override {header!r} names unknown column {key!r} of {kind.key}")
    found: dict[str, list[int]] = {}
    unmatched: list[str] = []
    for index, header in enumerate(headers):
        if not header:
            continue
        if header in overrides:
            key = overrides[header]
            if key is not None:
                found.setdefault(key, []).append(index)
            continue
        full, base = header_keys(header)
        if full in IGNORED_HEADERS or base in IGNORED_HEADERS:
            continue
        key = kind.header_index.get(full) or kind.header_index.get(base)
        if key is None:
            unmatched.append(header)
        else:
            found.setdefault(key, []).append(index)
    indices = {key: spots[0] for key, spots in found.items()}
    duplicates = {
        key: [headers[i] for i in spots] for key, spots in found.items() if len(spots) > 1
    }
    scales = {
        key: header_scale(headers[i])
        for key, i in indices.items()
        if kind.column(key).type == "decimal" and header_scale(headers[i]) != 1
    }
    return HeaderMapping(kind, list(headers), indices, unmatched, duplicates, scales)


@dataclass
class ValidatedBatch:
    """The typed values of a batch's accepted rows, and the errors of its rejected rows."""

    kind: SourceKind
    rows_in: int
    row_numbers: list[int]
    # a list of values per column, or a typed Arrow array (a Validator made with arrow=True)
    columns: dict[str, Any]
    errors: list[RowError]
    rejected_rows: dict[int, list[Cell]]

    @property
    def accepted(self) -> int:
        """Number of rows accepted."""
        return len(self.row_numbers)

    @property
    def rejected(self) -> int:
        """Number of rows rejected (each with at least one error)."""
        return len(self.rejected_rows)

    def records(self) -> Iterator[dict[str, Any]]:
        """Accepted rows as dicts keyed by column key (plus "row", the row number)."""
        columns = {k: v if isinstance(v, list) else v.to_pylist() for k, v in self.columns.items()}
        for i, number in enumerate(self.row_numbers):
            record: dict[str, Any] = {"row": number}
            for key, values in columns.items():
                record[key] = values[i]
            yield record


class Validator:
    """Validates batches of one file against one kind, with parsers compiled once per column."""

    def __init__(
        self,
        kind: SourceKind,
        headers: Sequence[str],
        *,
        file: str = "",
        header_row: int = 1,
        defaults: Mapping[str, Any] | None = None,
        overrides: Mapping[str, str | None] | None = None,
        arrow: bool = False,
    ) -> None:
        """With `arrow`, a column read as Arrow strings and clean throughout is returned as
        a typed Arrow array (the lake's type) instead of a list: for the importer, which
        writes it to the lake as it is. Columns of a one-of group always come as lists."""
        self.kind = kind
        self.file = file
        self.mapping = map_headers(kind, headers, overrides)
        self.defaults: dict[str, Any] = {}
        problems: list[RowError] = []
        for key, value in (defaults or {}).items():
            column = kind.column(key)
            if key in self.mapping.indices:
                continue  # the file's own column wins over an import-wide default
            try:
                parsed = ColumnParser(column).cell(value)
            except CellError as exc:
                raise ValueError(f"default for {key}: {exc.reason}") from None
            if parsed is not None:
                self.defaults[key] = parsed
        for key, names in self.mapping.duplicates.items():
            problems.append(
                RowError(
                    file,
                    header_row,
                    "、".join(names),
                    "",
                    f"多列都对应“{kind.column(key).header}”，请删除多余的列或改名",
                )
            )
        present = set(self.mapping.indices) | set(self.defaults)
        for column in kind.columns:
            if column.required and column.key not in present:
                problems.append(RowError(file, header_row, column.header, "", "缺少必填列"))
        # Each one-of group as (its columns read from the file, header label for errors); a group
        # met by an import-wide default needs no per-row check.
        self._groups: list[tuple[list[str], str, str]] = []
        for group in kind.one_of:
            label = "或".join(kind.column(k).header for k in group)
            if not any(k in present for k in group):
                problems.append(
                    RowError(file, header_row, label, "", "缺少必填列（至少需要其中一列）")
                )
            elif not any(k in self.defaults for k in group):
                have = [k for k in group if k in self.mapping.indices]
                shown = "/".join(self.mapping.header_of(k) for k in have)
                self._groups.append((have, shown, f"{label}至少填写一项"))
        if problems:
            raise HeaderError(problems)
        grouped = {k for group in kind.one_of for k in group}
        self._arrow_keys = (
            frozenset(c.key for c in kind.columns if c.key not in grouped) if arrow else frozenset()
        )
        self._specs = [
            (
                column.key,
                self.mapping.indices[column.key],
                self.mapping.headers[self.mapping.indices[column.key]],
                ColumnParser(column, scale=self.mapping.scales.get(column.key, 1)),
                column.required,
            )
            for column in kind.columns
            if column.key in self.mapping.indices
        ]

    @property
    def unmatched_headers(self) -> list[str]:
        """File headers that map to no column (their values are not imported)."""
        return list(self.mapping.unmatched)

    def validate(self, batch: RawBatch) -> ValidatedBatch:
        """Validate a batch; a row with any error is rejected whole, the others are typed."""
        with paused_gc():
            return self._validate(batch)

    def _validate(self, batch: RawBatch) -> ValidatedBatch:
        rows = batch.rows
        n = len(rows)
        width = len(self.mapping.headers)
        if batch.columns is not None and len(batch.columns) == width:
            columns_raw: dict[int, Sequence[Cell]] = {
                index: batch.columns[index] for _, index, _, _, _ in self._specs
            }
        else:
            if n and set(map(len, rows)) != {width}:
                rows = [list(r[:width]) + [""] * (width - len(r)) for r in rows]
            # One C-level pass per column we read; zip(*rows) would build a tuple per column
            # of every row and is several times slower on large batches.
            columns_raw = {
                index: list(map(itemgetter(index), rows)) for _, index, _, _, _ in self._specs
            }
        problems: dict[int, list[tuple[str, str, str]]] = {}
        values: dict[str, Any] = {}
        for key, index, header, parser, required in self._specs:
            raw = columns_raw[index]
            if key in self._arrow_keys and isinstance(raw, ArrowCells):
                typed = parser.arrow(raw)
                if typed is not None:
                    values[key] = typed
                    continue
            out, pending = parser.bulk(raw)
            failed: set[int] = set()
            if pending:
                cell = parser.cell
                for i in pending:
                    try:
                        out[i] = cell(raw[i])
                    except CellError as exc:
                        out[i] = None
                        failed.add(i)
                        problems.setdefault(i, []).append((header, cell_text(raw[i]), exc.reason))
            if required and None in out:
                for i, v in enumerate(out):
                    if v is None and i not in failed:
                        problems.setdefault(i, []).append((header, cell_text(raw[i]), "必填项为空"))
            values[key] = out
        for have, shown, message in self._groups:
            lists = [values[k] for k in have]
            if not all(None in lst for lst in lists):
                continue  # one of the columns is filled on every row
            for i in range(n):
                if all(lst[i] is None for lst in lists):
                    problems.setdefault(i, []).append((shown, "", message))
        numbers = batch.row_numbers
        errors: list[RowError] = []
        rejected: dict[int, list[Cell]] = {}
        for i in sorted(problems):
            rejected[numbers[i]] = list(rows[i])
            errors.extend(RowError(self.file, numbers[i], h, v, r) for h, v, r in problems[i])
        if problems:
            keep = [i for i in range(n) if i not in problems]
            kept = None
            for k, v in values.items():
                if isinstance(v, list):
                    values[k] = [v[i] for i in keep]
                else:  # a typed Arrow array
                    if kept is None:
                        import pyarrow as pa

                        kept = pa.array(keep, pa.int64())
                    values[k] = v.take(kept)
            accepted_numbers = [numbers[i] for i in keep]
        else:
            accepted_numbers = list(numbers)
        count = len(accepted_numbers)
        for column in self.kind.columns:
            if column.key not in values:
                values[column.key] = [self.defaults.get(column.key)] * count
        ordered = {c.key: values[c.key] for c in self.kind.columns}
        return ValidatedBatch(self.kind, n, accepted_numbers, ordered, errors, rejected)


@dataclass
class ValidationReport:
    """The outcome of validating a whole file: counts, errors and the accepted batches."""

    source: SourceFile
    kind: SourceKind
    score: float | None
    unmatched_headers: list[str]
    rows_in: int = 0
    accepted: int = 0
    rejected: int = 0
    errors: list[RowError] = field(default_factory=list)
    rejected_rows: dict[int, list[Cell]] = field(default_factory=dict)
    batches: list[ValidatedBatch] = field(default_factory=list)

    def records(self) -> Iterator[dict[str, Any]]:
        """All accepted rows as dicts."""
        for batch in self.batches:
            yield from batch.records()

    def write_rejected(self, path: str | Path) -> int:
        """Write the rejected rows with their reasons for the office to fix and re-import."""
        return write_rejected(path, self.errors, self.rejected_rows, headers=self.source.headers)


def iter_validated(
    source: SourceFile, validator: Validator, *, batch_size: int = DEFAULT_BATCH_SIZE
) -> Iterator[ValidatedBatch]:
    """Stream a file's batches through a validator."""
    for batch in source.batches(batch_size):
        yield validator.validate(batch)


def validate_file(
    path: str | Path,
    *,
    kind: SourceKind | str | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
    defaults: Mapping[str, Any] | None = None,
    overrides: Mapping[str, str | None] | None = None,
    catalogue: Catalogue | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    keep_accepted: bool = True,
) -> ValidationReport:
    """Read and validate a whole file; detects the kind from its headers when not given."""
    catalogue = catalogue or default_catalogue()
    if isinstance(kind, str):
        kind = catalogue.get(kind)
    source = open_source(path, kind=kind, sheet=sheet, encoding=encoding, catalogue=catalogue)
    score: float | None = None
    if kind is None:
        kind, score, _ = detect_kind(source.headers, catalogue=catalogue)
    validator = Validator(
        kind,
        source.headers,
        file=source.name,
        header_row=source.header_row,
        defaults=defaults,
        overrides=overrides,
    )
    report = ValidationReport(source, kind, score, validator.unmatched_headers)
    for batch in iter_validated(source, validator, batch_size=batch_size):
        report.rows_in += batch.rows_in
        report.accepted += batch.accepted
        report.rejected += batch.rejected
        report.errors.extend(batch.errors)
        report.rejected_rows.update(batch.rejected_rows)
        if keep_accepted:
            report.batches.append(batch)
    return report


def _escape(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_rejected(
    path: str | Path,
    errors: Sequence[RowError],
    original_rows: Mapping[int, Sequence[Cell]],
    *,
    headers: Sequence[str],
) -> int:
    """Write rejected rows as CSV (UTF-8 with BOM) with the original headers plus 错误原因."""
    reasons: dict[int, list[str]] = {}
    for error in errors:
        text = f"{error.column_header}：{error.reason}" if error.column_header else error.reason
        reasons.setdefault(error.row, []).append(text)
    keep = [i for i, h in enumerate(headers) if normalize_token(h) != ERROR_COLUMN]
    written = 0
    with Path(path).open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([headers[i] for i in keep] + [ERROR_COLUMN])
        for number in sorted(original_rows):
            cells = list(original_rows[number])
            cells += [""] * (len(headers) - len(cells))
            row = [_escape(cell_text(cells[i])) for i in keep]
            note = "；".join(reasons.get(number, ["未通过校验"]))
            writer.writerow([*row, f"原第{number}行：{note}"])
            written += 1
    return written
