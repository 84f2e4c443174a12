"""Small helpers every web concept shares: China time, display formats, the client address."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from fastapi import Request

from wagewatch.china import CHINA, fmt_datetime, to_china

__all__ = [
    "CHINA",
    "NotFound",
    "china_day_start",
    "client_source",
    "fmt_datetime",
    "fmt_number",
    "fmt_value",
    "is_api",
    "safe_next",
    "to_china",
]


class NotFound(Exception):
    """A record that does not exist: 404 (message in Chinese)."""

    def __init__(self, message: str = "记录不存在。") -> None:
        super().__init__(message)
        self.message = message


def china_day_start(day: date) -> datetime:
    """Midnight of a China calendar day, as an aware UTC datetime (for range filters)."""
    return datetime.combine(day, time(0, 0), tzinfo=CHINA).astimezone(UTC)


def fmt_number(value: float | int | Decimal | None) -> str:
    """A number without needless decimals, with thousands separators: 12,345.5."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{int(value):,}"


def fmt_value(value: Any) -> str:
    """A fact or cell value for a person: 是/否 for booleans, tidy numbers, text as is."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float | Decimal):
        return fmt_number(value)
    if isinstance(value, list | tuple):
        return "、".join(fmt_value(v) for v in value)
    return str(value)


def client_source(request: Request) -> str | None:
    """The client address for the audit log."""
    return request.client.host if request.client else None


def is_api(request: Request) -> bool:
    """Whether the request is for the JSON API (errors as JSON, not pages)."""
    return request.url.path.startswith("/api/")


def safe_next(target: str | None, default: str = "/") -> str:
    """A local redirect target only (never another host): `/path?query` or the default."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target
