"""China time: the zone every deadline and every displayed time is counted in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

__all__ = ["CHINA", "china_today", "fmt_datetime", "to_china", "to_utc"]

CHINA = timezone(timedelta(hours=8), "CST")


def to_china(value: datetime) -> datetime:
    """A stored time (naive values are UTC, as SQLite returns them) in China time."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(CHINA)


def china_today(now: datetime | None = None) -> datetime:
    """The current (or given) moment in China time."""
    return to_china(now or datetime.now(UTC))


def fmt_datetime(value: datetime | None, with_time: bool = True) -> str:
    """`2026-03-02 09:00` in China time (or the date alone); empty for None."""
    if value is None:
        return ""
    local = to_china(value)
    return local.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")


def to_utc(value: datetime) -> datetime:
    """An aware time in UTC, as every time is stored (SQLite keeps no offset: naive is UTC)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)
