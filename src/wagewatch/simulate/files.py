"""Write records as the files offices send: CSV or XLSX, their own headers, formats and mess."""

from __future__ import annotations

import csv
import io
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import xlsxwriter

from wagewatch.signals.catalogue import ENTERPRISE_KEYS, Column, SourceKind, kinds
from wagewatch.simulate.district import NAME_VARIANTS, Registry, variant
from wagewatch.simulate.ids import bad_check_digit
from wagewatch.simulate.records import Record

__all__ = [
    "ERROR_TYPES",
    "FileResult",
    "MessRates",
    "RowTruth",
    "Style",
    "make_style",
    "write_file",
]

# Every kind of deliberate mess, as it appears in truth/rows.csv and the summary.
ERROR_TYPES = (
    "bad_check_digit",
    "missing_code",
    "name_variant",
    "duplicate_row",
    "blank_row",
    "bad_date",
    "text_in_number",
    "summary_row",
)
_EXCEL_EPOCH = date(1899, 12, 30)
_TEXT_DATES = ("iso", "slash", "chinese", "compact", "dot")
_BOOLS = (("是", "否"), ("是", "否"), ("是", "否"), ("有", "无"), ("√", "×"), ("Y", "N"))
_NOT_A_NUMBER = ("见附件", "待核实", "若干")
# Offices that never know an enterprise's credit code.
_NO_CODE = ("12345热线", "网格中心", "来信来访")
# Columns without which a kind's file would be pointless; other optional columns may be left out.
_ALWAYS = {
    "fee_arrears": {"amount"},
    "wage_payments": {
        "workers_due", "workers_paid", "amount_due", "amount_paid", "due_date", "paid_date",
    },
    "credit_blacklist": {"removed_date", "departments"},
    "business_events": {"end_date"},
    "arbitration": {"wage_claim", "amount", "closed_date"},
    "inspections": {"settled"},
    "incidents": {"workers"},
}  # fmt: skip


@dataclass(frozen=True)
class MessRates:
    """How messy the files are: each rate is a share of data rows (or of files, where noted)."""

    bad_check_digit: float = 0.02
    missing_code: float = 0.05
    name_variant: float = 0.10
    duplicate_row: float = 0.01
    blank_row: float = 0.005
    malformed_row: float = 0.003
    summary_row: float = 0.15  # of list files: a 合计 row at the bottom
    title_row: float = 0.5  # of offices: a title row above the header
    alias_header: float = 0.45  # of columns: an alias instead of the catalogue header
    unregistered: float = 0.01  # of enterprises: missing from the registry file

    @classmethod
    def clean(cls) -> MessRates:
        """No mess at all: every row clean, every header canonical, no title rows."""
        return cls(**{f.name: 0.0 for f in fields(cls)})

    def to_dict(self) -> dict[str, float]:
        """The rates as a plain dict."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass
class Style:
    """How one office writes its files, the same every period (its system exports it so)."""

    fmt: str  # "csv" or "xlsx"
    encoding: str  # csv only: "gbk", "utf-8-sig" or "utf-8"
    newline: str
    title: bool
    subtitle: bool
    gap: bool  # a blank row between the title and the header
    seq: bool  # a leading 序号 column
    columns: tuple[Column, ...]
    headers: tuple[str, ...]
    date_style: str
    month_style: str
    money_style: str
    int_unit: bool
    bools: tuple[str, str]
    spellings: dict[str, dict[str, str]]  # enum column key → value → how this office writes it
    blank_commas: bool
    sheet: str

    @property
    def header_row(self) -> int:
        """Row number of the header (1-based, as Excel shows it)."""
        return 1 + self.title + self.subtitle + self.gap


@dataclass(frozen=True, slots=True)
class RowTruth:
    """One written data row: where it is, whose it is, and what mess was put in it."""

    file: str
    row: int
    kind: str
    ent: int  # enterprise index, -1 for blank, summary and malformed rows
    malformed: bool
    errors: tuple[str, ...]
    truth: dict[str, Any] | None = None


@dataclass
class FileResult:
    """What writing one file produced."""

    path: str
    encoding: str = ""  # of a CSV file
    rows: list[RowTruth] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    variants: Counter[str] = field(default_factory=Counter)


def _choose_header(column: Column, rng: random.Random, alias_rate: float) -> str:
    aliases = [a for a in column.aliases if not any(u in a for u in ("万元", "千元", "亿元"))]
    if aliases and rng.random() < alias_rate:
        return rng.choice(aliases)
    return column.header


def _anchors(kind: SourceKind) -> set[str]:
    """Required columns whose catalogue header no other kind uses: written as is, so that every
    file still says what it is even when all its other headers are aliases."""
    others: set[str] = set()
    for other in kinds():
        if other.key != kind.key:
            others.update(name for column in other.columns for name in column.names)
    return {
        c.key
        for c in kind.columns
        if c.required and c.key not in ENTERPRISE_KEYS and c.header not in others
    }


def make_style(
    kind: SourceKind,
    office: str,
    keys: set[str],
    rng: random.Random,
    rates: MessRates,
    container: str,
) -> Style:
    """Draw an office's way of writing a kind; `container` is "xlsx", "csv:gbk" and so on."""
    fmt, _, encoding = container.partition(":")
    registry = kind.key == "enterprises"
    columns: list[Column] = []
    for column in kind.columns:
        if column.key not in keys and not column.required:
            continue
        if column.key == "credit_code":
            if office in _NO_CODE or kind.key == "petitions":
                continue
            if kind.key == "incidents" and rng.random() < 0.5:
                continue
        elif column.key == "enterprise_name":
            pass
        elif (
            not (column.required or registry)
            and column.key not in _ALWAYS.get(kind.key, ())
            and rng.random() < 0.2
        ):
            continue
        columns.append(column)
    if (
        len(columns) > 1
        and columns[0].key == ENTERPRISE_KEYS[0]
        and columns[1].key == ENTERPRISE_KEYS[1]
        and rng.random() < 0.35
    ):
        columns[0], columns[1] = columns[1], columns[0]
    anchors = _anchors(kind)
    headers = tuple(
        c.header if c.key in anchors else _choose_header(c, rng, rates.alias_header)
        for c in columns
    )
    text_dates = list(_TEXT_DATES) + ["mixed"]
    if fmt == "xlsx":
        date_style = rng.choice(["excel", "excel", "serial", "mixed", *_TEXT_DATES])
        month_style = rng.choice(["excel", "iso", "chinese", "compact"])
        money_style = rng.choice(["number", "number", "number", "comma"])
    else:
        date_style = rng.choice(text_dates)
        month_style = rng.choice(["iso", "iso", "chinese", "compact"])
        money_style = rng.choice(["plain", "plain", "comma", "wan"])
    if kind.key == "wage_payments" and money_style == "wan":
        money_style = "plain"  # 应发 and 实发 must stay comparable to the yuan
    spellings: dict[str, dict[str, str]] = {}
    for column in columns:
        if column.type == "enum":
            spellings[column.key] = {
                ch.value: (
                    rng.choice(ch.aliases) if ch.aliases and rng.random() < 0.3 else ch.label
                )
                for ch in column.choices
            }
    title = rng.random() < rates.title_row
    return Style(
        fmt=fmt,
        encoding=encoding or "utf-8",
        newline=rng.choice(("\r\n", "\r\n", "\n")),
        title=title,
        subtitle=title and rng.random() < 0.3,
        gap=title and rng.random() < 0.2,
        seq=rng.random() < 0.4,
        columns=tuple(columns),
        headers=headers,
        date_style=date_style,
        month_style=month_style,
        money_style=money_style,
        int_unit=rng.random() < 0.15,
        bools=rng.choice(_BOOLS),
        spellings=spellings,
        blank_commas=rng.random() < 0.5,
        sheet=rng.choice(("Sheet1", "Sheet1", "明细", "名单")),
    )


# --- cell rendering ---------------------------------------------------------------------------

Cell = str | int | float | date | None


def _text_date(d: date, style: str) -> str:
    if style == "slash":
        return f"{d.year}/{d.month}/{d.day}"
    if style == "chinese":
        return f"{d.year}年{d.month}月{d.day}日"
    if style == "compact":
        return f"{d.year}{d.month:02d}{d.day:02d}"
    if style == "dot":
        return f"{d.year}.{d.month:02d}.{d.day:02d}"
    return d.isoformat()


def _money_text(x: float, style: str) -> str:
    cents = round(x * 100)
    whole = cents % 100 == 0
    if style == "wan" and cents % 1_000_000 == 0 and x >= 10_000:
        return f"{x / 10_000:g}万"
    if style == "comma":
        return f"{x:,.2f}" if not whole else f"{cents // 100:,}"
    return f"{x:.2f}" if not whole else str(cents // 100)


class _Renderer:
    """Renders typed values into cells the way one office's files show them."""

    def __init__(self, style: Style, rng: random.Random) -> None:
        self.style = style
        self.rng = rng
        self.xlsx = style.fmt == "xlsx"
        # One function per column, chosen once: rendering is the hot loop of a large district.
        self.funcs: list[Callable[[Any], Cell]] = [self._func(c) for c in style.columns]

    def row(self, values: dict[str, Any]) -> list[Cell]:
        """The cells of one record, in the file's column order."""
        get = values.get
        return [
            None if (v := get(c.key)) is None else f(v)
            for c, f in zip(self.style.columns, self.funcs, strict=True)
        ]

    def date_cell(self, d: date) -> Cell:
        """A date in this file's style (a mixed file picks a style per cell)."""
        style = self.style.date_style
        if style == "mixed":
            choices = [*_TEXT_DATES, "excel", "serial"] if self.xlsx else list(_TEXT_DATES)
            style = self.rng.choice(choices)
        if style == "excel":
            return d
        if style == "serial":
            return (d - _EXCEL_EPOCH).days
        return _text_date(d, style)

    def month_cell(self, d: date) -> Cell:
        """A year-month in this file's style."""
        style = self.style.month_style
        if style == "excel":
            return d
        if style == "chinese":
            return f"{d.year}年{d.month}月"
        if style == "compact":
            return f"{d.year}{d.month:02d}"
        return f"{d.year}-{d.month:02d}"

    def _func(self, column: Column) -> Callable[[Any], Cell]:
        style = self.style
        kind = column.type
        unit = column.unit if style.int_unit else ""
        if kind == "date":
            if style.date_style in _TEXT_DATES:
                text_style = style.date_style
                return lambda d: _text_date(d, text_style)
            return self.date_cell
        if kind == "month":
            return self.month_cell
        if kind == "bool":
            yes, no = style.bools
            return lambda v: yes if v else no
        if kind == "enum":
            spelling = style.spellings[column.key]
            return lambda v: spelling.get(v, v)
        if kind == "int":
            if self.xlsx and not unit:
                return int
            return (lambda v: f"{v}{unit}") if unit else str
        if kind == "decimal":
            if column.unit == "元":
                if self.xlsx and style.money_style == "number":
                    return lambda v: float(v) if round(v * 100) % 100 else int(v)
                money = style.money_style
                return lambda v: _money_text(float(v), money)
            if self.xlsx:
                return lambda v: v
            return (lambda v: f"{v}{unit}") if unit else str
        return str


# --- mess --------------------------------------------------------------------------------------


def _bad_date(d: date, rng: random.Random, month_only: bool) -> str:
    if month_only:
        return rng.choice((f"{d.year}-13", f"{d.year}年13月", f"{d.year}-00"))
    return rng.choice(
        (
            f"{d.year}-13-45",
            f"{d.year}-{d.month:02d}-45",
            f"{d.year}/2/30",
            f"{d.year}年13月{d.day}日",
            f"{d.year}{d.month:02d}32",
        )
    )


@dataclass
class _Row:
    cells: list[Cell]
    ent: int
    malformed: bool
    errors: tuple[str, ...]
    truth: dict[str, Any] | None


def _messy_rows(
    records: Sequence[Record],
    style: Style,
    reg: Registry,
    kind: SourceKind,
    rng: random.Random,
    rates: MessRates,
    result: FileResult,
) -> list[_Row]:
    renderer = _Renderer(style, rng)
    cols = style.columns
    registry = kind.key == "enterprises"
    code_at = next((j for j, c in enumerate(cols) if c.key == "credit_code"), -1)
    name_at = next((j for j, c in enumerate(cols) if c.key == "enterprise_name"), -1)
    dates = [j for j, c in enumerate(cols) if c.type in ("date", "month")]
    numbers = [j for j, c in enumerate(cols) if c.type in ("int", "decimal")]
    city = reg.district.city
    out: list[_Row] = []
    later: dict[int, list[_Row]] = {}
    n = len(records)
    for index, record in enumerate(records):
        values = record.values
        cells = renderer.row(values)
        errors: list[str] = []
        ent = record.ent
        malformed = False
        if not registry and rng.random() < rates.malformed_row and (dates or numbers):
            use_date = bool(dates) and (not numbers or rng.random() < 0.5)
            j = rng.choice(dates if use_date else numbers)
            if use_date:
                d = values.get(cols[j].key) or _any_date(values)
                cells[j] = _bad_date(d, rng, cols[j].type == "month")
                errors.append("bad_date")
            else:
                cells[j] = rng.choice(_NOT_A_NUMBER)
                errors.append("text_in_number")
            malformed, ent = True, -1
        elif not registry:
            if code_at >= 0 and cells[code_at]:
                roll = rng.random()
                if roll < rates.missing_code:
                    cells[code_at] = None
                    errors.append("missing_code")
                elif roll < rates.missing_code + rates.bad_check_digit:
                    cells[code_at] = bad_check_digit(str(cells[code_at]), rng)
                    errors.append("bad_check_digit")
            if name_at >= 0 and record.ent >= 0 and rng.random() < rates.name_variant:
                name = reg.names[record.ent]
                kinds = list(NAME_VARIANTS)
                rng.shuffle(kinds)
                written = None
                for variant_kind in kinds:
                    written = variant(name, variant_kind, city, rng)
                    if written is not None and written != name.canonical:
                        result.variants[variant_kind] += 1
                        errors.append(f"name_variant:{variant_kind}")
                        break
                if written is not None:
                    cells[name_at] = written
        if index and rng.random() < rates.blank_row:
            out.append(_Row([None] * len(cols), -1, False, ("blank_row",), None))
        row = _Row(cells, ent, malformed, tuple(errors), record.truth)
        out.append(row)
        for copy in later.pop(index, []):
            out.append(copy)
        if not malformed and rng.random() < rates.duplicate_row:
            target = min(index + rng.randint(0, 12), n - 1)
            dup = _Row(list(cells), ent, False, (*errors, "duplicate_row"), record.truth)
            later.setdefault(target, []).append(dup)
            if target == index:
                out.append(later.pop(index)[0])
    return out


def _any_date(values: dict[str, Any]) -> date:
    """Any date among a record's values (for a malformed cell where the column was empty)."""
    for v in values.values():
        if isinstance(v, date):
            return v
    return date(2024, 1, 1)


def _summary_row(rows: list[_Row], style: Style) -> _Row:
    cols = style.columns
    cells: list[Cell] = [None] * len(cols)
    for j, column in enumerate(cols):
        if column.type == "decimal" and column.unit == "元":
            total = 0.0
            for row in rows:
                v = row.cells[j]
                if isinstance(v, int | float):
                    total += v
                elif isinstance(v, str):
                    try:
                        total += float(v.replace(",", "").removesuffix("万")) * (
                            10_000 if v.endswith("万") else 1
                        )
                    except ValueError:
                        pass
            cells[j] = round(total, 2) if style.fmt == "xlsx" else f"{total:.2f}"
    cells[0] = "合计" if not style.seq else cells[0]
    return _Row(cells, -1, False, ("summary_row",), None)


# --- writers -----------------------------------------------------------------------------------


def write_file(
    out: Path,
    relative: str,
    kind: SourceKind,
    records: Sequence[Record],
    style: Style,
    reg: Registry,
    rng: random.Random,
    rates: MessRates,
    *,
    title: str,
    subtitle: str,
    created: datetime,
    summary: bool,
) -> FileResult:
    """Write one file and return the truth of every data row in it."""
    result = FileResult(relative)
    rows = _messy_rows(records, style, reg, kind, rng, rates, result) if records else []
    if summary and rows:
        rows.append(_summary_row(rows, style))
    headers = list(style.headers)
    if style.seq:
        headers.insert(0, "序号")
        number = 0
        for row in rows:
            if row.errors == ("summary_row",):
                row.cells.insert(0, "合计")
            elif row.errors == ("blank_row",):
                row.cells.insert(0, None)
            else:
                number += 1
                row.cells.insert(0, number if style.fmt == "xlsx" else str(number))
    first = style.header_row + 1
    for offset, row in enumerate(rows):
        result.rows.append(
            RowTruth(
                relative, first + offset, kind.key, row.ent, row.malformed, row.errors, row.truth
            )
        )
        for error in row.errors:
            result.errors[error.partition(":")[0]] += 1
    path = out / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if style.fmt == "xlsx":
        _write_xlsx(path, headers, rows, style, title, subtitle, created)
    else:
        result.encoding = _write_csv(path, headers, rows, style, title, subtitle)
    return result


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _write_csv(
    path: Path, headers: list[str], rows: list[_Row], style: Style, title: str, subtitle: str
) -> str:
    """Write a CSV file; return the encoding actually used."""
    encoding = style.encoding
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=style.newline)
    width = len(headers)
    pad = [""] * (width - 1) if style.blank_commas else []
    if style.title:
        writer.writerow([title, *pad])
        if style.subtitle:
            writer.writerow([subtitle, *pad])
        if style.gap:
            writer.writerow([""] * width if style.blank_commas else [])
    writer.writerow(headers)
    for row in rows:
        if row.errors == ("blank_row",):
            writer.writerow([""] * width if style.blank_commas else [])
        else:
            writer.writerow([_csv_cell(c) for c in row.cells])
    text = buffer.getvalue()
    try:
        data = text.encode(style.encoding)
    except UnicodeEncodeError:
        if style.encoding != "gbk":
            raise
        # A character GBK lacks (a new catalogue alias, say): such offices save as GB18030.
        data = text.encode("gb18030")
        encoding = "gb18030"
    path.write_bytes(data)
    return encoding


def _write_xlsx(
    path: Path,
    headers: list[str],
    rows: list[_Row],
    style: Style,
    title: str,
    subtitle: str,
    created: datetime,
) -> None:
    options = {
        "in_memory": True,
        "strings_to_numbers": False,
        "strings_to_formulas": False,
        "strings_to_urls": False,
    }
    workbook = xlsxwriter.Workbook(str(path), options)
    workbook.set_properties({"created": created, "author": "", "title": title})
    sheet = workbook.add_worksheet(style.sheet)
    bold = workbook.add_format({"bold": True, "border": 1, "align": "center"})
    big = workbook.add_format({"bold": True, "font_size": 14, "align": "center"})
    formats = {
        "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
        "month": workbook.add_format({"num_format": "yyyy-mm"}),
    }
    width = len(headers)
    kinds = (["int"] if style.seq else []) + [c.type for c in style.columns]
    r = 0
    if style.title:
        if width > 1:
            sheet.merge_range(0, 0, 0, width - 1, title, big)
        else:
            sheet.write_string(0, 0, title, big)
        r += 1
        if style.subtitle:
            sheet.write_string(r, 0, subtitle)
            r += 1
        if style.gap:
            r += 1
    for c, header in enumerate(headers):
        sheet.write_string(r, c, header, bold)
        sheet.set_column(c, c, max(10, min(40, len(header) * 2 + 2)))
    r += 1
    write_string, write_number, write_datetime = (
        sheet.write_string,
        sheet.write_number,
        sheet.write_datetime,
    )
    for row in rows:
        for c, value in enumerate(row.cells):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                write_string(r, c, value)
            elif isinstance(value, date):
                fmt = formats["month" if kinds[c] == "month" else "date"]
                write_datetime(r, c, datetime.combine(value, time()), fmt)
            else:
                write_number(r, c, value)
        r += 1
    workbook.close()
