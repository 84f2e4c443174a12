"""Working-day calendar for case deadlines (pure: no database, no web).

Chinese official holidays and make-up workdays (调休上班) are not computable: the State
Council's General Office publishes each year's 放假安排 late in the previous year. Three
sources are used, per calendar year, in this order:

1. ``table`` — the bureau's loaded holiday table (rows of an official list). A year that
   appears in the table is considered complete: its listed days follow the table, every other
   day of that year follows weekends (Monday–Friday work, Saturday/Sunday rest). The table
   wins over the library for every year it covers.
2. ``library`` — the pinned ``chinese_calendar`` package, which knows 2004–2026 (see
   `library_years`); it raises ``NotImplementedError`` outside that range, so it is never
   asked about other years.
3. ``weekends`` — anything else falls back to weekends only. Deadlines never crash, but a
   deadline whose computation touched such a year carries a visible Chinese `Deadline.warning`
   (built from `FALLBACK_NOTE`) asking the bureau to import the official list and recompute.

Counting follows Chinese administrative practice: a period starts the day *after* the start
day ("N个工作日内" / "N日内" counted from the next day), and a deadline is the end of its last
day (23:59:59, in the start's time zone when the start is aware).
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Final, Literal

import chinese_calendar
from chinese_calendar import constants as _cc_constants

__all__ = [
    "FALLBACK_NOTE",
    "Deadline",
    "DayOverride",
    "Source",
    "WorkCalendar",
    "library_years",
    "parse_official_list",
]

Source = Literal["table", "library", "weekends"]

# Template of `Deadline.warning`; ``{years}`` is replaced by e.g. "2027年" or "2027年、2028年".
FALLBACK_NOTE: Final = (
    "{years}的法定节假日和调休安排尚未导入，本期限只按周末计算，"
    "请导入国务院办公厅公布的放假安排后重算。"
)

_END_OF_DAY: Final = time(23, 59, 59)
_ONE_DAY: Final = timedelta(days=1)

_HEADER: Final = ("日期", "类型", "名称")
_TYPE_WORKDAY: Final = {"放假": False, "上班": True, "调休上班": True}
_DATE_FORMS: Final = (
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
)


@cache
def library_years() -> range:
    """Years for which the installed ``chinese_calendar`` has official data (e.g. 2004–2026)."""
    # The library accepts exactly this span (min/max year of its holiday data) and raises
    # NotImplementedError outside it; derived from its data so a library upgrade extends it.
    years = [day.year for day in _cc_constants.holidays]
    return range(min(years), max(years) + 1)


@dataclass(frozen=True)
class DayOverride:
    """One row of an official list: 放假 (``workday=False``) or 调休上班 (``workday=True``)."""

    day: date
    workday: bool
    name: str = ""


@dataclass(frozen=True)
class Deadline:
    """A computed deadline: when it falls due, how it was counted, and any calendar warning."""

    due_at: datetime
    basis: str
    warning: str | None = None


class WorkCalendar:
    """Working days from the bureau's holiday table, then chinese_calendar, then weekends."""

    def __init__(self, overrides: Iterable[DayOverride] = ()) -> None:
        """Load the bureau's table; two rows for one day that disagree are a ValueError."""
        table: dict[date, DayOverride] = {}
        for row in overrides:
            seen = table.get(row.day)
            if seen is not None and seen.workday != row.workday:
                raise ValueError(
                    f"放假安排中{row.day.isoformat()}重复出现，且一处为上班、一处为放假"
                )
            table[row.day] = row
        self._table = table
        self._table_years = frozenset(day.year for day in table)

    @property
    def table_years(self) -> frozenset[int]:
        """Years covered by the loaded table."""
        return self._table_years

    def covered(self, year: int) -> Source:
        """Source of working days for ``year``: "table", "library" or "weekends"."""
        if year in self._table_years:
            return "table"
        if year in library_years():
            return "library"
        return "weekends"

    def is_workday(self, day: date) -> bool:
        """Whether ``day`` is a working day (a datetime is taken by its date)."""
        if isinstance(day, datetime):
            day = day.date()
        source = self.covered(day.year)
        if source == "table":
            row = self._table.get(day)
            return row.workday if row is not None else day.weekday() < 5
        if source == "library":
            return bool(chinese_calendar.is_workday(day))
        return day.weekday() < 5

    def fallback_warning(self, first: date, last: date) -> str | None:
        """Chinese warning if any day in ``first``..``last`` is in a weekends-only year, else None."""
        low, high = min(first, last), max(first, last)
        years = [y for y in range(low.year, high.year + 1) if self.covered(y) == "weekends"]
        if not years:
            return None
        return FALLBACK_NOTE.format(years="、".join(f"{y}年" for y in years))

    def next_workday(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        day += _ONE_DAY
        while not self.is_workday(day):
            day += _ONE_DAY
        return day

    def add_working_days(self, start: datetime, n: int) -> Deadline:
        """End of the n-th working day after the start day (the start day itself never counts).

        This is "N个工作日内" as counted in Chinese administrative practice: from the next day,
        skipping rest days and official holidays, counting 调休上班 days. ``n`` must be ≥ 1.
        """
        if n < 1:
            raise ValueError(f"工作日数应不少于1，实际为{n}")
        day = start.date()
        for _ in range(n):
            day = self.next_workday(day)
        return Deadline(
            due_at=_end_of(day, start),
            basis=f"{n}个工作日",
            warning=self.fallback_warning(start.date() + _ONE_DAY, day),
        )

    def add_calendar_days(self, start: datetime, n: int, *, roll_holiday: bool = True) -> Deadline:
        """End of the n-th calendar day after the start day (e.g. "30日内作出处理决定").

        The start day does not count. With ``roll_holiday`` (the default) the rule of 民法典
        第二百零三条 applies: 期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的
        最后一日 — a last day that is not a working day (weekend rest day or official holiday;
        a 调休上班 day is a working day) moves to the first working day after it. Only the days
        from the nominal last day on depend on the calendar, so only they can raise a warning;
        without rolling the result never depends on the calendar and has no warning.
        ``n`` must be ≥ 1.
        """
        if n < 1:
            raise ValueError(f"天数应不少于1，实际为{n}")
        nominal = start.date() + timedelta(days=n)
        if not roll_holiday:
            return Deadline(due_at=_end_of(nominal, start), basis=f"{n}日")
        last = nominal if self.is_workday(nominal) else self.next_workday(nominal)
        basis = f"{n}日"
        if last != nominal:
            basis += f"（最后一日{_cn_date(nominal)}为法定休假日，顺延至{_cn_date(last)}）"
        return Deadline(
            due_at=_end_of(last, start),
            basis=basis,
            warning=self.fallback_warning(nominal, last),
        )

    def add_hours(self, start: datetime, hours: float) -> Deadline:
        """``start`` plus plain elapsed hours (e.g. 6 h / 2 h reporting); no calendar effect."""
        if not math.isfinite(hours) or hours <= 0:
            raise ValueError(f"小时数应为正数，实际为{hours}")
        delta = timedelta(hours=hours)
        if start.tzinfo is None:
            due = start + delta
        else:  # elapsed time, even across a UTC-offset change of the start's zone
            due = (start.astimezone(UTC) + delta).astimezone(start.tzinfo)
        return Deadline(due_at=due, basis=f"{hours:g}小时")

    def working_days_between(self, a: date, b: date) -> int:
        """Working days after ``a`` up to and including ``b`` (for "剩余N个工作日").

        ``a == b`` gives 0. When ``b`` is before ``a`` the result is the negative count of
        working days after ``b`` up to and including ``a`` (so it is antisymmetric, and
        ``working_days_between(today, due)`` below 0 reads as overdue). Datetimes are taken by
        their dates.
        """
        if isinstance(a, datetime):
            a = a.date()
        if isinstance(b, datetime):
            b = b.date()
        if b < a:
            return -self.working_days_between(b, a)
        count = 0
        day = a + _ONE_DAY
        while day <= b:
            count += self.is_workday(day)
            day += _ONE_DAY
        return count


def parse_official_list(text: str, source: str = "<text>") -> list[DayOverride]:
    """Parse the bureau's CSV of an official list (header ``日期,类型,名称``) into DayOverrides.

    日期 is YYYY-MM-DD or YYYY/M/D; 类型 is 放假, 上班 or 调休上班; 名称 may be empty or
    missing. Blank lines are skipped. A bad row or a repeated date raises ValueError naming
    ``source``, the 1-based line number (the header is line 1) and the column.
    """
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
    header: list[str] | None = None
    first_row: dict[date, int] = {}
    result: list[DayOverride] = []
    for raw in reader:
        cells = [cell.strip() for cell in raw]
        if not any(cells):
            continue
        line = reader.line_num
        if header is None:
            header = cells
            if tuple(cells) != _HEADER:
                raise ValueError(
                    f"{source} 第{line}行：表头应为“日期,类型,名称”，实际为“{','.join(raw)}”"
                )
            continue
        if len(cells) > len(_HEADER):
            raise ValueError(
                f"{source} 第{line}行：应有3列（日期,类型,名称），实际有{len(cells)}列"
            )
        cells += [""] * (len(_HEADER) - len(cells))
        day_text, type_text, name = cells
        day = _parse_day(day_text, f"{source} 第{line}行「日期」")
        if type_text not in _TYPE_WORKDAY:
            raise ValueError(
                f"{source} 第{line}行「类型」：应为“放假”或“上班”，实际为“{type_text}”"
            )
        if day in first_row:
            raise ValueError(
                f"{source} 第{line}行「日期」：{day.isoformat()}与第{first_row[day]}行重复"
            )
        first_row[day] = line
        result.append(DayOverride(day=day, workday=_TYPE_WORKDAY[type_text], name=name))
    if header is None:
        raise ValueError(f"{source} 第1行：缺少表头“日期,类型,名称”")
    return result


def _parse_day(text: str, where: str) -> date:
    """Parse YYYY-MM-DD or YYYY/M/D, raising a ValueError that starts with ``where``."""
    if not text:
        raise ValueError(f"{where}：不能为空")
    for form in _DATE_FORMS:
        match = form.fullmatch(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                return date(year, month, day)
            except ValueError:
                raise ValueError(f"{where}：“{text}”不是有效日期") from None
    raise ValueError(f"{where}：应为YYYY-MM-DD或YYYY/M/D格式的日期，实际为“{text}”")


def _end_of(day: date, start: datetime) -> datetime:
    """23:59:59 of ``day``, in ``start``'s time zone (naive if ``start`` is naive)."""
    return datetime.combine(day, _END_OF_DAY, tzinfo=start.tzinfo)


def _cn_date(day: date) -> str:
    """A date written the Chinese way, e.g. 2026年10月8日."""
    return f"{day.year}年{day.month}月{day.day}日"
