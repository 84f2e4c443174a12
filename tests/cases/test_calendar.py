"""Working-day calendar for case deadlines: library data, bureau tables, weekend fallback."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wagewatch.cases.calendar import (
    FALLBACK_NOTE,
    DayOverride,
    WorkCalendar,
    library_years,
    parse_official_list,
)

CST = timezone(timedelta(hours=8))
LIBRARY = WorkCalendar()

# An invented 2027 list in the bureau's CSV format (the real one is published late in 2026):
# Spring Festival 2027 is on 6 February.
TABLE_2027_CSV = """日期,类型,名称
2027-01-01,放假,元旦
2027/2/5,放假,春节
2027/2/6,放假,春节
2027/2/7,放假,春节
2027/2/8,放假,春节
2027/2/9,放假,春节
2027/2/10,放假,春节
2027/2/11,放假,春节
2027/2/12,放假,春节

2027-02-20,调休上班,春节
2027-10-01,放假,国庆节
2027-10-04,放假,国庆节
2027-10-09,上班,国庆节
"""
WITH_2027 = WorkCalendar(parse_official_list(TABLE_2027_CSV, "holidays.csv"))


def end_of(day: date, tzinfo: timezone | None = None) -> datetime:
    return datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=tzinfo)


# --- library years -----------------------------------------------------------------------


def test_library_years_are_the_years_chinese_calendar_knows() -> None:
    years = library_years()
    assert years.start == 2004 and 2026 in years and 2027 not in years
    chinese_calendar.is_workday(date(years.stop - 1, 12, 31))  # does not raise
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(years.stop, 1, 1))
    assert LIBRARY.covered(2026) == "library"
    assert LIBRARY.covered(2027) == "weekends"
    assert LIBRARY.covered(2003) == "weekends"


# --- 2026 from the library (dates read from chinese_calendar's data) ---------------------

SPRING_2026_OFF = [date(2026, 2, d) for d in range(15, 24)]  # 2月15日–23日 放假
SPRING_2026_MAKEUP = [date(2026, 2, 14), date(2026, 2, 28)]  # 两个周六 调休上班
NATIONAL_2026_OFF = [date(2026, 10, d) for d in range(1, 8)]  # 10月1日–7日 放假
NATIONAL_2026_MAKEUP = [date(2026, 9, 20), date(2026, 10, 10)]  # 周日、周六 调休上班


@pytest.mark.parametrize("day", SPRING_2026_OFF + NATIONAL_2026_OFF)
def test_2026_holidays_are_not_workdays(day: date) -> None:
    assert chinese_calendar.is_holiday(day)  # what the library data says
    assert not LIBRARY.is_workday(day)


@pytest.mark.parametrize("day", SPRING_2026_MAKEUP + NATIONAL_2026_MAKEUP)
def test_2026_makeup_days_are_workdays_on_weekends(day: date) -> None:
    assert day.weekday() >= 5
    assert day in chinese_calendar.workdays  # 调休上班 in the library data
    assert LIBRARY.is_workday(day)


def test_library_holiday_lists_match_the_2026_dates_used_here() -> None:
    spring = {d for d, n in chinese_calendar.holidays.items() if d.year == 2026 and d.month == 2}
    national = {d for d, n in chinese_calendar.holidays.items() if d.year == 2026 and d.month == 10}
    assert spring == set(SPRING_2026_OFF)
    assert national == set(NATIONAL_2026_OFF)


def test_working_days_skip_spring_festival_and_count_the_makeup_saturday() -> None:
    start = datetime(2026, 2, 13, 10, 30)  # Friday before the festival
    assert LIBRARY.add_working_days(start, 1).due_at == end_of(date(2026, 2, 14))
    three = LIBRARY.add_working_days(start, 3)
    assert three.due_at == end_of(date(2026, 2, 25))
    assert three.basis == "3个工作日"
    assert three.warning is None
    assert LIBRARY.working_days_between(date(2026, 2, 13), date(2026, 2, 25)) == 3


def test_working_days_skip_national_day() -> None:
    assert LIBRARY.add_working_days(datetime(2026, 9, 30, 17), 1).due_at == end_of(
        date(2026, 10, 8)
    )
    # 9月19日 (Saturday) → 9月20日 (Sunday, 调休上班) is the first working day.
    assert LIBRARY.add_working_days(datetime(2026, 9, 19), 1).due_at == end_of(date(2026, 9, 20))


def test_start_day_does_not_count_and_aware_start_keeps_its_zone() -> None:
    start = datetime(2026, 3, 2, 8, 0, tzinfo=CST)  # Monday
    due = LIBRARY.add_working_days(start, 1).due_at
    assert due == end_of(date(2026, 3, 3), CST)
    assert due.tzinfo is CST
    assert LIBRARY.add_working_days(datetime(2026, 3, 2, 23, 59), 5).due_at == end_of(
        date(2026, 3, 9)
    )


# --- fallback and the bureau's table -----------------------------------------------------


def test_2027_without_a_table_falls_back_to_weekends_with_a_warning() -> None:
    deadline = LIBRARY.add_working_days(datetime(2027, 2, 5, 9), 1)
    assert deadline.due_at == end_of(date(2027, 2, 8))  # Monday, counted as a working day
    assert deadline.warning == FALLBACK_NOTE.format(years="2027年")
    assert deadline.warning is not None and "2027年" in deadline.warning
    assert "尚未导入" in deadline.warning


def test_loaded_2027_table_overrides_the_fallback() -> None:
    assert WITH_2027.covered(2027) == "table"
    assert not WITH_2027.is_workday(date(2027, 2, 8))  # listed 放假 (a Monday)
    assert WITH_2027.is_workday(date(2027, 2, 20))  # listed 调休上班 (a Saturday)
    assert WITH_2027.is_workday(date(2027, 3, 1))  # unlisted Monday: weekends rule
    assert not WITH_2027.is_workday(date(2027, 3, 6))  # unlisted Saturday
    deadline = WITH_2027.add_working_days(datetime(2027, 2, 4, 9), 1)
    assert deadline.due_at == end_of(date(2027, 2, 15))
    assert deadline.warning is None


def test_warning_appears_when_the_span_reaches_an_unloaded_year() -> None:
    start = datetime(2026, 12, 29, 9)
    assert LIBRARY.add_working_days(start, 2).warning is None  # 30, 31 December
    crossing = LIBRARY.add_working_days(start, 3)
    assert crossing.warning == FALLBACK_NOTE.format(years="2027年")
    assert WITH_2027.add_working_days(start, 3).warning is None
    two_years = LIBRARY.fallback_warning(date(2027, 6, 1), date(2028, 1, 3))
    assert two_years is not None and two_years.startswith("2027年、2028年的")


def test_table_wins_over_the_library_for_a_year_it_lists() -> None:
    cal = WorkCalendar([DayOverride(date(2026, 12, 31), workday=False, name="测试")])
    assert cal.covered(2026) == "table"
    assert not cal.is_workday(date(2026, 12, 31))  # Thursday, listed
    assert cal.is_workday(date(2026, 2, 16))  # library holiday, but the loaded year is complete
    assert cal.covered(2025) == "library"


def test_conflicting_rows_for_one_day_are_refused() -> None:
    rows = [DayOverride(date(2027, 2, 8), False), DayOverride(date(2027, 2, 8), True)]
    with pytest.raises(ValueError, match="2027-02-08"):
        WorkCalendar(rows)


# --- calendar days and hours -------------------------------------------------------------


def test_30_days_ending_on_national_day_roll_to_the_first_working_day() -> None:
    start = datetime(2026, 9, 3, 15)  # + 30 days = 10月3日, inside the holiday
    rolled = LIBRARY.add_calendar_days(start, 30)
    assert rolled.due_at == end_of(date(2026, 10, 8))
    assert rolled.basis.startswith("30日") and "顺延至2026年10月8日" in rolled.basis
    assert rolled.warning is None
    plain = LIBRARY.add_calendar_days(start, 30, roll_holiday=False)
    assert plain.due_at == end_of(date(2026, 10, 3))
    assert plain.basis == "30日"


def test_calendar_days_ending_on_weekend_or_makeup_day() -> None:
    # 3月7日 is an ordinary Saturday: rolls to Monday.
    assert LIBRARY.add_calendar_days(datetime(2026, 2, 5), 30).due_at == end_of(date(2026, 3, 9))
    # 2月28日 is a 调休上班 Saturday: a working day, no roll.
    makeup = LIBRARY.add_calendar_days(datetime(2026, 1, 29), 30)
    assert makeup.due_at == end_of(date(2026, 2, 28))
    assert makeup.basis == "30日"


def test_calendar_days_warn_only_when_the_rolled_end_depends_on_an_unloaded_year() -> None:
    start = datetime(2026, 12, 20)
    assert LIBRARY.add_calendar_days(start, 30).warning == FALLBACK_NOTE.format(years="2027年")
    assert LIBRARY.add_calendar_days(start, 30, roll_holiday=False).warning is None
    assert WITH_2027.add_calendar_days(start, 30).warning is None
    assert LIBRARY.add_calendar_days(datetime(2026, 11, 1), 30).warning is None


def test_hours_ignore_holidays_and_the_fallback() -> None:
    start = datetime(2026, 9, 30, 20, 0)
    six = LIBRARY.add_hours(start, 6)
    assert six.due_at == datetime(2026, 10, 1, 2, 0)
    assert six.basis == "6小时"
    assert six.warning is None
    assert LIBRARY.add_hours(start, 2).due_at == datetime(2026, 9, 30, 22, 0)
    late = LIBRARY.add_hours(datetime(2027, 2, 6, 23, 0, tzinfo=CST), 1.5)
    assert late.due_at == datetime(2027, 2, 7, 0, 30, tzinfo=CST)
    assert late.due_at.tzinfo is CST
    assert late.basis == "1.5小时" and late.warning is None


@pytest.mark.parametrize("n", [0, -1])
def test_day_counts_must_be_positive(n: int) -> None:
    with pytest.raises(ValueError, match="工作日数"):
        LIBRARY.add_working_days(datetime(2026, 3, 2), n)
    with pytest.raises(ValueError, match="天数"):
        LIBRARY.add_calendar_days(datetime(2026, 3, 2), n)


@pytest.mark.parametrize("hours", [0.0, -2.0, float("nan"), float("inf")])
def test_hours_must_be_positive_and_finite(hours: float) -> None:
    with pytest.raises(ValueError, match="小时数"):
        LIBRARY.add_hours(datetime(2026, 3, 2), hours)


def test_working_days_between_zero_and_negative() -> None:
    monday = date(2026, 3, 2)
    assert LIBRARY.working_days_between(monday, monday) == 0
    assert LIBRARY.working_days_between(monday, date(2026, 3, 9)) == 5
    assert LIBRARY.working_days_between(date(2026, 3, 9), monday) == -5
    assert LIBRARY.working_days_between(date(2026, 2, 14), date(2026, 2, 23)) == 0


# --- parsing the official list -----------------------------------------------------------


def test_parse_official_list_reads_both_date_forms_blank_lines_and_bom() -> None:
    rows = parse_official_list("\ufeff日期,类型,名称\n\n2027/2/5,放假,春节\n2027-02-20,上班,\n")
    assert rows == [
        DayOverride(date(2027, 2, 5), workday=False, name="春节"),
        DayOverride(date(2027, 2, 20), workday=True, name=""),
    ]
    assert len(parse_official_list(TABLE_2027_CSV)) == 13
    assert parse_official_list("日期,类型,名称\n") == []
    assert parse_official_list("日期,类型,名称\n2027-10-09,调休上班\n")[0].workday


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "日期,类型,名称\n2027-02-05,放假,春节\n2027-02-06,休息,春节\n",
            "holidays.csv 第3行「类型」：应为“放假”或“上班”，实际为“休息”",
        ),
        (
            "日期,类型,名称\n\n2027-02-05,放假,春节\n2027-02-06,,春节\n",
            "holidays.csv 第4行「类型」：应为“放假”或“上班”，实际为“”",
        ),
        (
            "日期,类型,名称\n2027.02.05,放假,春节\n",
            "holidays.csv 第2行「日期」：应为YYYY-MM-DD或YYYY/M/D格式的日期，实际为“2027.02.05”",
        ),
        (
            "日期,类型,名称\n2027-02-30,放假,春节\n",
            "holidays.csv 第2行「日期」：“2027-02-30”不是有效日期",
        ),
        ("日期,类型,名称\n,放假,春节\n", "holidays.csv 第2行「日期」：不能为空"),
        (
            "日期,类型,名称\n2027-02-05,放假,春节\n2027/2/5,上班,春节\n",
            "holidays.csv 第3行「日期」：2027-02-05与第2行重复",
        ),
        (
            "日期,类别,名称\n2027-02-05,放假,春节\n",
            "holidays.csv 第1行：表头应为“日期,类型,名称”，实际为“日期,类别,名称”",
        ),
        (
            "日期,类型,名称\n2027-02-05,放假,春节,多余\n",
            "holidays.csv 第2行：应有3列（日期,类型,名称），实际有4列",
        ),
        ("\n\n", "holidays.csv 第1行：缺少表头“日期,类型,名称”"),
    ],
)
def test_parse_errors_name_source_row_and_column(text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_official_list(text, "holidays.csv")
    assert str(caught.value) == message


# --- properties --------------------------------------------------------------------------

starts = st.datetimes(
    min_value=datetime(2003, 6, 1),
    max_value=datetime(2029, 12, 31),
    timezones=st.sampled_from([None, CST]),
)
random_tables = st.dictionaries(
    st.dates(min_value=date(2026, 1, 1), max_value=date(2028, 12, 31)), st.booleans(), max_size=40
).map(lambda rows: WorkCalendar(DayOverride(d, w) for d, w in rows.items()))
calendars = st.one_of(st.just(LIBRARY), st.just(WITH_2027), random_tables)


@settings(max_examples=200, deadline=None)
@given(cal=calendars, start=starts, n=st.integers(min_value=1, max_value=40))
def test_working_days_land_on_a_workday_after_start_and_count_back(
    cal: WorkCalendar, start: datetime, n: int
) -> None:
    due = cal.add_working_days(start, n).due_at
    assert cal.is_workday(due.date())
    assert due > start
    assert due.tzinfo is start.tzinfo
    assert cal.working_days_between(start.date(), due.date()) == n
    assert cal.working_days_between(due.date(), start.date()) == -n


@settings(max_examples=150, deadline=None)
@given(
    cal=calendars,
    start=starts,
    n=st.integers(min_value=1, max_value=30),
    extra=st.integers(min_value=1, max_value=10),
)
def test_working_days_are_strictly_monotonic_in_n(
    cal: WorkCalendar, start: datetime, n: int, extra: int
) -> None:
    assert cal.add_working_days(start, n).due_at < cal.add_working_days(start, n + extra).due_at


@settings(max_examples=150, deadline=None)
@given(cal=calendars, start=starts, n=st.integers(min_value=1, max_value=60))
def test_rolled_calendar_days_end_on_the_first_workday_from_the_nominal_day(
    cal: WorkCalendar, start: datetime, n: int
) -> None:
    nominal = start.date() + timedelta(days=n)
    due = cal.add_calendar_days(start, n).due_at.date()
    assert due >= nominal and cal.is_workday(due)
    assert cal.working_days_between(nominal, due) == (0 if due == nominal else 1)
    assert cal.add_calendar_days(start, n, roll_holiday=False).due_at.date() == nominal
