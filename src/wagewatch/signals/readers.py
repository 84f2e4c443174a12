"""Read office files (CSV in UTF-8/GBK, XLSX/XLS) into a header and batches of numbered rows."""

from __future__ import annotations

import codecs
import contextlib
import csv
import gc
import itertools
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, cast

from wagewatch.signals._text import IGNORED_HEADERS, header_keys
from wagewatch.signals.catalogue import Catalogue, SourceKind, default_catalogue

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "HEADER_SEARCH_ROWS",
    "AmbiguousKindError",
    "ArrowCells",
    "Cell",
    "KindCandidate",
    "KindDetectionError",
    "RawBatch",
    "ReadError",
    "ReadStats",
    "SourceFile",
    "UnknownSourceError",
    "ColumnRows",
    "cell_text",
    "detect_kind",
    "paused_gc",
    "open_source",
    "rank_kinds",
    "read_source",
]

# What a cell can hold: text from CSV, typed values from Excel; Decimal from batches the app builds.
Cell = str | int | float | bool | Decimal | date | datetime | time | timedelta | None

DEFAULT_BATCH_SIZE = 50_000
HEADER_SEARCH_ROWS = 10
_SNIFF_CHUNK = 1 << 20
_CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
_EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}
_SUMMARY_WORDS = ("合计", "总计", "小计")
# Below this share of the recognised header evidence a kind is not a credible match.
_MIN_SCORE = 0.5
# Two kinds closer than this are reported as ambiguous rather than guessed.
_MIN_MARGIN = 0.1


class ReadError(ValueError):
    """The file cannot be read as a table (encoding, format, no header); message in Chinese."""

    def __init__(self, message: str, *, file: str = "", row: int | None = None) -> None:
        self.file = file
        self.row = row
        prefix = f"{file}：" if file else ""
        where = f"第{row}行：" if row else ""
        super().__init__(prefix + where + message)


@dataclass(frozen=True)
class KindCandidate:
    """How well one source kind explains a file's headers."""

    kind: SourceKind
    score: float
    unmatched: tuple[str, ...]
    missing: tuple[str, ...]

    def describe(self) -> str:
        """One Chinese line for error messages."""
        text = f"{self.kind.title}（{self.kind.key}，匹配度 {self.score:.2f}）"
        if self.missing:
            text += "，缺少：" + "、".join(self.missing)
        return text


class KindDetectionError(ValueError):
    """The headers do not identify one source kind."""

    def __init__(self, message: str, candidates: Sequence[KindCandidate]) -> None:
        self.candidates = list(candidates)
        lines = [message]
        if self.candidates:
            lines.append("最接近的类型：")
            lines.extend(f"  - {c.describe()}" for c in self.candidates)
        super().__init__("\n".join(lines))


class UnknownSourceError(KindDetectionError):
    """No registered kind matches the headers well enough."""


class AmbiguousKindError(KindDetectionError):
    """Two or more kinds match the headers about equally well."""


class ColumnRows(Sequence[list[Cell]]):
    """Rows seen through whole columns (the fast CSV path reads columns, not rows)."""

    __slots__ = ("columns", "_n")

    def __init__(self, columns: Sequence[Sequence[Cell]], n: int) -> None:
        self.columns = columns
        self._n = n

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._n))]
        return [column[index] for column in self.columns]


class ArrowCells(Sequence[Cell]):
    """A column of string cells kept as an Arrow array (the fast CSV path).

    A column the validator can type at Arrow speed is never turned into Python strings;
    any other use (`cells()`, indexing, iterating) makes the Python list once.
    """

    __slots__ = ("array", "_cells")

    def __init__(self, array: Any) -> None:
        self.array = array
        self._cells: list[Cell] | None = None

    def cells(self) -> list[Cell]:
        """The cells as a Python list (made on first use, then kept)."""
        if self._cells is None:
            self._cells = self.array.to_pylist()
        return self._cells

    def __len__(self) -> int:
        return len(self.array)

    def __getitem__(self, index: Any) -> Any:
        return self.cells()[index]

    def __iter__(self) -> Iterator[Cell]:
        return iter(self.cells())


@dataclass(frozen=True)
class RawBatch:
    """Rows as read, each padded or cut to the header width, with their row numbers in the file.

    `columns`, when given, holds the same cells column by column (exactly the header width);
    `rows` is then a view of them.
    """

    row_numbers: list[int]
    rows: Sequence[list[Cell]]
    columns: Sequence[Sequence[Cell]] | None = None

    def __len__(self) -> int:
        return len(self.rows)


@dataclass
class ReadStats:
    """What the reader skipped: blank rows are counted, summary rows (合计) listed."""

    blank_rows: int = 0
    summary_rows: list[int] = field(default_factory=list)


def cell_text(value: Cell) -> str:
    """Show a cell the way the office sees it (used in error reports and rejected files)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _is_summary(row: Sequence[Cell]) -> bool:
    for cell in row:
        if isinstance(cell, str):
            if not cell.strip():
                continue
            text = "".join(unicodedata.normalize("NFKC", cell).split()).rstrip(":")
            return text in _SUMMARY_WORDS or text.startswith(tuple(w + ":" for w in _SUMMARY_WORDS))
        if cell is not None:
            return False
    return False


def _is_blank(row: Sequence[Cell]) -> bool:
    for cell in row:
        if cell is None:
            continue
        if isinstance(cell, str):
            if cell and not cell.isspace():
                return False
        else:
            return False
    return True


def _header_score(row: Sequence[Cell], tokens: frozenset[str]) -> int:
    seen = set()
    for cell in row:
        if cell is None or cell == "":
            continue
        for key in header_keys(cell_text(cell)):
            if key in tokens:
                seen.add(key)
                break
    return len(seen)


def _find_header(
    first_rows: Sequence[Sequence[Cell]], tokens: frozenset[str], file: str
) -> tuple[int, list[str]]:
    best_index, best_score = -1, 0
    for index, row in enumerate(first_rows):
        score = _header_score(row, tokens)
        if score > best_score:
            best_index, best_score = index, score
    if best_index < 0:
        shown = next((r for r in first_rows if not _is_blank(r)), [])
        sample = "、".join(cell_text(c) for c in shown if cell_text(c).strip())[:80]
        raise ReadError(
            f"前{len(first_rows)}行中没有可识别的表头"
            + (f"（第一行内容：{sample}）" if sample else ""),
            file=file,
        )
    headers = [cell_text(c).strip() for c in first_rows[best_index]]
    while headers and not headers[-1]:
        headers.pop()
    return best_index + 1, headers


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Suspend the cycle collector while building many small lists (no cycles are made)."""
    # A batch is tens of thousands of row lists; each counts towards the collector's
    # thresholds, and the collections they trigger cost as much as the CSV parsing itself.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _fit(row: list[Cell], width: int) -> list[Cell]:
    if len(row) > width:
        return row[:width]
    return row + [""] * (width - len(row))


@dataclass
class SourceFile:
    """An opened source file: where its header is and how to stream its data rows."""

    path: Path
    format: Literal["csv", "excel"]
    headers: list[str]
    header_row: int
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    stats: ReadStats = field(default_factory=ReadStats)
    _excel_rows: list[list[Cell]] | None = field(default=None, repr=False)
    _may_have_summary: bool = field(default=True, repr=False)

    @property
    def name(self) -> str:
        """The file name shown in error reports."""
        return self.path.name

    def rows(self) -> Iterator[tuple[int, list[Cell]]]:
        """Yield (row number, cells) for every data row, skipping blank and summary rows."""
        self.stats = ReadStats()
        stats = self.stats
        width = len(self.headers)
        for number, row in self._raw_rows():
            if _is_blank(row):
                stats.blank_rows += 1
                continue
            if _is_summary(row):
                stats.summary_rows.append(number)
                continue
            yield number, row if len(row) == width else _fit(row, width)

    def batches(self, size: int = DEFAULT_BATCH_SIZE) -> Iterator[RawBatch]:
        """Yield the data rows in batches of at most size rows (re-reads the file on each call)."""
        if self.format == "csv":
            yield from self._csv_batches(size)
            return
        iterator = self.rows()
        while True:
            chunk = list(itertools.islice(iterator, size))
            if not chunk:
                return
            yield RawBatch([n for n, _ in chunk], [r for _, r in chunk])

    def _raw_rows(self) -> Iterator[tuple[int, list[Cell]]]:
        if self.format == "excel":
            rows = self._excel_rows if self._excel_rows is not None else []
            for index in range(self.header_row, len(rows)):
                yield index + 1, rows[index]
            return
        yield from self._csv_records()

    def _csv_reader(self, handle: Any) -> Any:
        """A csv reader over an open file, past the title and header rows."""
        reader = csv.reader(handle, delimiter=self.delimiter or ",")
        for _ in itertools.islice(reader, self.header_row):
            pass
        return reader

    def _undecodable(self, number: int) -> ReadError:
        """The error for bytes the file's encoding cannot decode, at the first such row."""
        assert self.encoding is not None and self.delimiter is not None
        row = _locate_bad_row(self.path, self.encoding, self.delimiter) or number + 1
        return ReadError(
            f"含有无法按 {self.encoding} 解码的字节（文件可能已损坏或混用了编码），"
            "请用 Excel 另存为 UTF-8 CSV 或 xlsx 后重试",
            file=self.name,
            row=row,
        )

    def _csv_records(self) -> Iterator[tuple[int, list[Any]]]:
        assert self.encoding is not None and self.delimiter is not None
        number = self.header_row
        try:
            with self.path.open(encoding=self.encoding, newline="") as handle:
                for record in self._csv_reader(handle):
                    number += 1
                    yield number, record
        except UnicodeDecodeError as exc:
            raise self._undecodable(number) from exc
        except csv.Error as exc:
            raise ReadError(f"CSV 格式错误：{exc}", file=self.name, row=number + 1) from exc

    def _csv_chunks(self, size: int) -> Iterator[tuple[int, list[list[str]]]]:
        """Yield (number of the first record, up to `size` records) after the header."""
        assert self.encoding is not None and self.delimiter is not None
        number = self.header_row
        try:
            with self.path.open(encoding=self.encoding, newline="") as handle:
                reader = self._csv_reader(handle)
                while True:
                    # The collector stays on while the consumer works on a yielded chunk.
                    with paused_gc():
                        chunk = list(itertools.islice(reader, size))
                    if not chunk:
                        return
                    yield number + 1, chunk
                    number += len(chunk)
        except UnicodeDecodeError as exc:
            raise self._undecodable(number) from exc
        except csv.Error as exc:
            # a chunk is read at once: read the records one by one to name the row at fault
            # (_csv_records raises the error with it)
            last = max((n for n, _ in self._csv_records()), default=self.header_row)
            raise ReadError(f"CSV 格式错误：{exc}", file=self.name, row=last + 1) from exc

    def _arrow_table(self) -> Any:
        """The data cells as an Arrow table of strings, for plain CSV files only.

        Used when the file is UTF-8 and every record has the same number of fields as the
        first data record; anything else (other encodings, ragged or empty records, NUL
        bytes, a parse error) returns None and the csv module reads the file, so row numbers,
        blank and summary rows and error messages stay exactly as it gives them.
        """
        if self.encoding not in ("utf-8", "utf-8-sig") or self.delimiter is None:
            return None
        import pyarrow as pa
        import pyarrow.csv as pacsv

        with self.path.open(encoding=self.encoding, newline="") as handle:
            try:
                first = next(self._csv_reader(handle), None)
            except (csv.Error, UnicodeDecodeError):
                return None
        if not first:
            return None
        content = self.path.read_bytes()
        if b"\x00" in content:
            return None
        self._may_have_summary = "计".encode() in content
        names = [f"c{i}" for i in range(len(first))]
        try:
            table = pacsv.read_csv(
                self.path,
                read_options=pacsv.ReadOptions(
                    skip_rows=self.header_row, column_names=names, block_size=1 << 22
                ),
                parse_options=pacsv.ParseOptions(
                    delimiter=self.delimiter,
                    quote_char='"',
                    double_quote=True,
                    escape_char=False,
                    newlines_in_values=True,
                    ignore_empty_lines=False,
                ),
                convert_options=pacsv.ConvertOptions(
                    column_types=dict.fromkeys(names, pa.string()),
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
            return None
        if table.num_rows == 0 or [table.column(i)[0].as_py() for i in range(len(names))] != first:
            return None
        import pyarrow.compute as pc

        limit = csv.field_size_limit()
        if any((pc.max(pc.binary_length(c)).as_py() or 0) > limit for c in table.columns):
            return None  # the csv module refuses such a field: let it say so
        return table

    def _column_batches(self, table: Any, size: int) -> Iterator[RawBatch]:
        import pyarrow as pa
        import pyarrow.compute as pc

        stats = self.stats
        width = len(self.headers)
        total = table.num_rows
        # blank rows (every cell empty or white space) and rows that may be summaries (合计),
        # found column-wise; only those rows are looked at one by one
        blank = None
        maybe_summary = None
        for column in table.columns:
            empty = pc.or_(pc.equal(pc.binary_length(column), 0), pc.utf8_is_space(column))
            blank = empty if blank is None else pc.and_(blank, empty)
            if self._may_have_summary:  # the file holds 计 somewhere
                has = pc.match_substring(column, "计")
                maybe_summary = has if maybe_summary is None else pc.or_(maybe_summary, has)
        odd = blank if maybe_summary is None else pc.or_(blank, maybe_summary)
        drop: set[int] = set()
        first_number = self.header_row + 1
        arrays = [column.combine_chunks() for column in table.columns]
        if pc.any(odd).as_py():
            blank_rows = set(pc.indices_nonzero(blank).to_pylist())
            for i in pc.indices_nonzero(odd).to_pylist():
                if i in blank_rows:
                    stats.blank_rows += 1
                    drop.add(i)
                elif _is_summary([a[i].as_py() for a in arrays]):
                    stats.summary_rows.append(first_number + i)
                    drop.add(i)
        if len(arrays) >= width:
            arrays = arrays[:width]
        else:
            padding = pa.array([""] * total, pa.string())
            arrays = arrays + [padding] * (width - len(arrays))
        for start in range(0, total, size):
            stop = min(start + size, total)
            if drop and any(start <= i < stop for i in drop):
                keep = [i for i in range(start, stop) if i not in drop]
                taken = pa.array(keep, pa.int64())
                cols = [ArrowCells(a.take(taken)) for a in arrays]
                numbers = [first_number + i for i in keep]
            else:
                cols = [ArrowCells(a.slice(start, stop - start)) for a in arrays]
                numbers = list(range(first_number + start, first_number + stop))
            if numbers:
                yield RawBatch(numbers, ColumnRows(cols, len(numbers)), cols)

    def _csv_batches(self, size: int) -> Iterator[RawBatch]:
        self.stats = ReadStats()
        fast = self._arrow_table()
        if fast is not None:
            yield from self._column_batches(fast, size)
            return
        yield from self._csv_record_batches(size)

    def _csv_record_batches(self, size: int) -> Iterator[RawBatch]:
        # The hot loop of a 1 GB import: C-level passes over whole chunks of records; only a
        # chunk holding a blank or possible summary row is walked row by row.
        stats = self.stats
        width = len(self.headers)
        for first, chunk in self._csv_chunks(size):
            with paused_gc():
                joined = list(map("".join, chunk))
                clean = (
                    "" not in joined
                    and not any(map(str.isspace, joined))
                    and "计" not in "\n".join(joined)
                )
                rows: list[list[Cell]]
                if clean:
                    numbers = list(range(first, first + len(chunk)))
                    rows = cast("list[list[Cell]]", chunk)
                else:
                    numbers, rows = [], []
                    for number, record, text in zip(
                        itertools.count(first), chunk, joined, strict=False
                    ):
                        if not text or text.isspace():
                            stats.blank_rows += 1
                            continue
                        if "计" in text and _is_summary(record):
                            stats.summary_rows.append(number)
                            continue
                        numbers.append(number)
                        rows.append(cast("list[Cell]", record))
                if rows and set(map(len, rows)) != {width}:
                    rows = [r if len(r) == width else _fit(r, width) for r in rows]
            if rows:
                yield RawBatch(numbers, rows)


def _locate_bad_row(path: Path, encoding: str, delimiter: str) -> int | None:
    """The row (CSV record) holding the first undecodable byte; the text layer reads ahead."""
    bad = False

    def lines(handle: Iterable[bytes]) -> Iterator[str]:
        """Decoded lines up to the first undecodable one."""
        nonlocal bad
        # A newline byte never occurs inside a UTF-8 or GB18030 character, so lines are safe.
        for line in handle:
            try:
                yield line.decode(encoding)
            except UnicodeDecodeError:
                bad = True
                return

    count = 0
    with path.open("rb") as handle:
        try:
            for _ in csv.reader(lines(handle), delimiter=delimiter):
                count += 1
        except csv.Error:
            pass
    return count + 1 if bad else None


def _sniff_encoding(path: Path) -> str:
    """Strict UTF-8 (with or without BOM) when it decodes, else GB18030 (a superset of GBK)."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    with path.open("rb") as handle:
        head = handle.read(3)
        bom = head == codecs.BOM_UTF8
        chunk = head if not bom else b""
        try:
            while True:
                chunk += handle.read(_SNIFF_CHUNK)
                if not chunk:
                    decoder.decode(b"", final=True)
                    return "utf-8-sig" if bom else "utf-8"
                decoder.decode(chunk)
                # A megabyte of non-ASCII text that decodes as UTF-8 settles it.
                if not chunk.isascii():
                    return "utf-8-sig" if bom else "utf-8"
                chunk = b""
        except UnicodeDecodeError:
            pass
    if bom:
        return "utf-8-sig"
    with path.open("rb") as handle:
        sample = handle.read(_SNIFF_CHUNK)
    try:
        codecs.getincrementaldecoder("gb18030")(errors="strict").decode(sample)
    except UnicodeDecodeError as exc:
        raise ReadError(
            "无法识别文件编码（既不是 UTF-8 也不是 GBK/GB18030），请另存为 UTF-8 CSV 或 Excel 文件",
            file=path.name,
        ) from exc
    return "gb18030"


def _sniff_delimiter(lines: Iterable[str]) -> str:
    text = "".join(lines)
    return "\t" if text.count("\t") > text.count(",") else ","


def _format_of(path: Path) -> Literal["csv", "excel"]:
    suffix = path.suffix.lower()
    if suffix in _CSV_SUFFIXES:
        return "csv"
    if suffix in _EXCEL_SUFFIXES:
        return "excel"
    with path.open("rb") as handle:
        magic = handle.read(8)
    # ZIP (xlsx/ods) or OLE2 (xls) containers; anything else is treated as text.
    if magic.startswith(b"PK\x03\x04") or magic.startswith(b"\xd0\xcf\x11\xe0"):
        return "excel"
    return "csv"


def _tokens(kind: SourceKind | None, catalogue: Catalogue) -> frozenset[str]:
    if kind is not None:
        return frozenset(kind.header_index)
    return catalogue.header_tokens()


def _open_csv(
    path: Path, tokens: frozenset[str], encoding: str | None, search_rows: int
) -> SourceFile:
    enc = encoding or _sniff_encoding(path)
    try:
        with path.open(encoding=enc, newline="") as handle:
            lines = list(itertools.islice(handle, search_rows))
    except UnicodeDecodeError as exc:
        raise ReadError(f"按 {enc} 无法解码文件开头", file=path.name) from exc
    except LookupError as exc:
        raise ReadError(f"未知的编码：{enc}", file=path.name) from exc
    delimiter = _sniff_delimiter(lines)
    first: list[list[Cell]] = []
    with path.open(encoding=enc, newline="") as handle:
        try:
            for record in itertools.islice(csv.reader(handle, delimiter=delimiter), search_rows):
                first.append(list(record))
        except (csv.Error, UnicodeDecodeError) as exc:
            raise ReadError(f"无法读取文件开头：{exc}", file=path.name) from exc
    if not first:
        raise ReadError("文件为空", file=path.name)
    header_row, headers = _find_header(first, tokens, path.name)
    return SourceFile(
        path=path,
        format="csv",
        headers=headers,
        header_row=header_row,
        encoding=enc,
        delimiter=delimiter,
    )


def _open_excel(
    path: Path, tokens: frozenset[str], sheet: str | None, search_rows: int
) -> SourceFile:
    import python_calamine

    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several unrelated types for a bad file
        raise ReadError(f"无法打开 Excel 文件：{exc}", file=path.name) from exc
    with workbook:
        if sheet is not None:
            if sheet not in workbook.sheet_names:
                raise ReadError(
                    f"找不到工作表“{sheet}”（现有：{'、'.join(workbook.sheet_names)}）",
                    file=path.name,
                )
            names = [sheet]
        else:
            visible = [
                m.name
                for m in workbook.sheets_metadata
                if m.visible == python_calamine.SheetVisibleEnum.Visible
            ]
            hidden = [n for n in workbook.sheet_names if n not in visible]
            names = visible + hidden
        for name in names:
            rows: list[list[Any]] = workbook.get_sheet_by_name(name).to_python(
                skip_empty_area=False
            )
            if any(not _is_blank(r) for r in rows):
                break
        else:
            raise ReadError("工作簿中没有非空的工作表", file=path.name)
    header_row, headers = _find_header(rows[:search_rows], tokens, path.name)
    return SourceFile(
        path=path,
        format="excel",
        headers=headers,
        header_row=header_row,
        sheet=name,
        _excel_rows=rows,
    )


def open_source(
    path: str | Path,
    *,
    kind: SourceKind | str | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
    catalogue: Catalogue | None = None,
    header_search_rows: int = HEADER_SEARCH_ROWS,
) -> SourceFile:
    """Open a CSV or Excel file and locate its header row among the first rows."""
    path = Path(path)
    catalogue = catalogue or default_catalogue()
    if isinstance(kind, str):
        kind = catalogue.get(kind)
    if not path.is_file():
        raise ReadError("文件不存在", file=str(path))
    tokens = _tokens(kind, catalogue)
    if _format_of(path) == "excel":
        return _open_excel(path, tokens, sheet, header_search_rows)
    return _open_csv(path, tokens, encoding, header_search_rows)


def read_source(
    path: str | Path,
    *,
    kind: SourceKind | str | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
    catalogue: Catalogue | None = None,
) -> tuple[SourceFile, RawBatch]:
    """Open a file and read all of its data rows into one batch (for small files and previews)."""
    source = open_source(path, kind=kind, sheet=sheet, encoding=encoding, catalogue=catalogue)
    numbers: list[int] = []
    rows: list[list[Cell]] = []
    for batch in source.batches():
        numbers.extend(batch.row_numbers)
        rows.extend(batch.rows)
    return source, RawBatch(numbers, rows)


def _match(kind: SourceKind, headers: Sequence[str]) -> tuple[dict[str, str], list[str]]:
    """Map file headers to column keys of kind; return (header → key, unmatched headers)."""
    matched: dict[str, str] = {}
    unmatched: list[str] = []
    index = kind.header_index
    for header in headers:
        if not header:
            continue
        full, base = header_keys(header)
        if full in IGNORED_HEADERS or base in IGNORED_HEADERS:
            continue
        key = index.get(full) or index.get(base)
        if key is None:
            unmatched.append(header)
        else:
            matched[header] = key
    return matched, unmatched


def rank_kinds(
    headers: Sequence[str], *, catalogue: Catalogue | None = None
) -> list[KindCandidate]:
    """Score every registered kind against the headers, best first."""
    catalogue = catalogue or default_catalogue()
    all_kinds = list(catalogue)
    matches = {k.key: _match(k, headers) for k in all_kinds}
    # A header known to many kinds (企业名称) says little; one known to a single kind says a lot.
    df: dict[str, int] = {}
    for matched, _ in matches.values():
        for header in matched:
            df[header] = df.get(header, 0) + 1
    evidence = sum(1 / n for n in df.values())
    ranked = []
    for kind in all_kinds:
        matched, unmatched = matches[kind.key]
        keys = set(matched.values())
        units = [c for c in kind.columns if c.required]
        missing = [c.header for c in units if c.key not in keys]
        total = len(units)
        required = {c.key for c in units}
        for group in kind.one_of:
            if required.intersection(group):
                continue  # a required member already stands for the group
            total += 1
            if not keys.intersection(group):
                missing.append("或".join(kind.column(k).header for k in group))
        share = sum(1 / df[h] for h in matched) / evidence if evidence else 0.0
        recall = (total - len(missing)) / total if total else 1.0
        ranked.append(
            KindCandidate(kind, round(share * recall, 4), tuple(unmatched), tuple(missing))
        )
    ranked.sort(key=lambda c: -c.score)
    return ranked


def detect_kind(
    headers: Sequence[str], *, catalogue: Catalogue | None = None
) -> tuple[SourceKind, float, list[str]]:
    """Recognise the source kind from headers; return (kind, score, unmatched headers)."""
    ranked = rank_kinds(headers, catalogue=catalogue)
    shown = "、".join(h for h in headers if h) or "（空）"
    # Only a kind whose required columns are all present can be chosen on its own.
    complete = [c for c in ranked if not c.missing]
    if not complete or complete[0].score < _MIN_SCORE:
        raise UnknownSourceError(f"无法根据表头确定数据来源类型。表头：{shown}", ranked[:3])
    best = complete[0]
    close = [c for c in complete if best.score - c.score < _MIN_MARGIN]
    if len(close) > 1:
        raise AmbiguousKindError(
            f"表头同时符合多种数据来源类型，请在导入时指定类型。表头：{shown}", close[:3]
        )
    return best.kind, best.score, list(best.unmatched)
