"""Audit log views: the filter, one entry, one page, the chain check."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from wagewatch.web.forms import FilterForm

__all__ = ["AuditChoices", "AuditFilter", "AuditPage", "AuditRow", "ChainCheck"]


class AuditFilter(FilterForm):
    """The audit list's filter and page (the same for the page, the API and the export)."""

    date_from: date | None = Field(None, description="日期起（含，北京时间）")
    date_to: date | None = Field(None, description="日期止（含，北京时间）")
    username: str | None = Field(None, max_length=64, description="用户名")
    action: str | None = Field(None, max_length=60, description="操作代码，如 auth.login")
    result: Literal["success", "failure", "denied"] | None = Field(None, description="结果")
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(50, ge=1, le=500)


class AuditRow(BaseModel):
    """One audit entry as the audit administrator reads it."""

    id: int
    at: str
    username: str | None
    role_label: str
    action: str
    action_label: str
    object_type: str | None
    object_id: str | None
    result: str
    result_label: str
    source: str | None
    details: dict[str, object]
    hash: str


class AuditPage(BaseModel):
    """A page of the audit log."""

    items: list[AuditRow]
    total: int
    page: int
    page_size: int
    pages: int
    filter: AuditFilter


class AuditChoices(BaseModel):
    """The values the filter offers: actions and results with their Chinese names."""

    actions: dict[str, str]
    results: dict[str, str]


class ChainCheck(BaseModel):
    """The result of checking the hash chain: intact, or the first break in Chinese."""

    intact: bool
    entry_id: int | None = None
    message: str
