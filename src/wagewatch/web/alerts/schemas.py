"""Warning list views: the filter, one row, one page, and the filter's choices."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from wagewatch.web.forms import FilterForm
from wagewatch.web.rules.schemas import LevelPublic, ReasonPublic

__all__ = ["SORTS", "WarningChoices", "WarningFilter", "WarningPage", "WarningRow"]

SORTS: dict[str, str] = {
    "level": "预警等级",
    "raised": "预警日期",
    "name": "企业名称",
    "township": "所属镇街",
    "industry": "行业",
    "employees": "用工人数",
}


class WarningFilter(FilterForm):
    """The warning list's filter, sort and page (the same for the page, the API and export)."""

    level: str | None = Field(None, description="预警等级代码，如 red")
    township: str | None = Field(None, description="所属镇街")
    industry: str | None = Field(None, description="行业")
    date_from: date | None = Field(None, description="预警日期起（含）")
    date_to: date | None = Field(None, description="预警日期止（含）")
    q: str | None = Field(None, max_length=100, description="企业名称或统一社会信用代码")
    sort: Literal["level", "raised", "name", "township", "industry", "employees"] = "level"
    order: Literal["asc", "desc"] = "desc"
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(20, ge=1, le=200)


class WarningRow(BaseModel):
    """One current warning in the list."""

    warning_id: int
    enterprise_id: int
    enterprise_name: str
    credit_code: str | None
    township: str | None
    industry: str | None
    employees: int | None
    level: LevelPublic
    reasons: list[ReasonPublic]
    raised_at: datetime | None
    updated_at: datetime
    as_of: date


class WarningPage(BaseModel):
    """A page of the warning list."""

    items: list[WarningRow]
    total: int
    page: int
    page_size: int
    pages: int
    filter: WarningFilter


class WarningChoices(BaseModel):
    """The values the filter offers: levels, and townships and industries within scope."""

    levels: list[LevelPublic]
    townships: list[str]
    industries: list[str]
