"""Warning list views: the filter, one row, one page, and the filter's choices."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from wagewatch.cases.service import STATES
from wagewatch.web.forms import FilterForm
from wagewatch.web.rules.schemas import LevelPublic, ReasonPublic

__all__ = [
    "SORTS",
    "STATUS_NONE",
    "STATUSES",
    "RulebookChoice",
    "StatusChoice",
    "WarningChoices",
    "WarningFilter",
    "WarningPage",
    "WarningRow",
]

SORTS: dict[str, str] = {
    "level": "预警等级",
    "raised": "预警日期",
    "name": "企业名称",
    "township": "所属镇街",
    "industry": "行业",
    "employees": "用工人数",
}

# 处置状态: the state of the warning's newest case in the ledger, or none yet.
STATUS_NONE = "none"
STATUSES: dict[str, str] = {STATUS_NONE: "未立案", **STATES}
StatusCode = Literal["none", "verifying", "handling", "closure_requested", "closed", "transferred"]


class WarningFilter(FilterForm):
    """The warning list's filter, sort and page (the same for the page, the API and export)."""

    rulebook: str | None = Field(
        None,
        max_length=60,
        pattern=r"^[A-Za-z0-9_\-]+$",
        description="预警规则代码，如 baoshan；不填为当前启用的规则",
    )
    level: str | None = Field(None, description="预警等级代码，如 red")
    township: str | None = Field(None, description="所属镇街")
    industry: str | None = Field(None, description="行业")
    date_from: date | None = Field(None, description="预警日期起（含）")
    date_to: date | None = Field(None, description="预警日期止（含）")
    q: str | None = Field(None, max_length=100, description="企业名称或统一社会信用代码")
    status: StatusCode | None = Field(None, description="处置状态：台账最新状态，none 为未立案")
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
    status: StatusCode = Field(description="处置状态代码（none 为未立案）")
    status_label: str = Field(description="处置状态")


class RulebookChoice(BaseModel):
    """A rulebook with warnings in the database: its code and title (the code if unknown)."""

    name: str
    title: str
    active: bool = False


class StatusChoice(BaseModel):
    """One 处置状态 the filter offers."""

    code: str
    label: str


class WarningPage(BaseModel):
    """A page of the warning list."""

    items: list[WarningRow]
    total: int
    page: int
    page_size: int
    pages: int
    filter: WarningFilter
    rulebook: RulebookChoice


class WarningChoices(BaseModel):
    """The values the filter offers: rulebooks, the chosen one's levels, statuses, and the
    townships and industries within scope."""

    rulebooks: list[RulebookChoice]
    rulebook: str
    levels: list[LevelPublic]
    statuses: list[StatusChoice]
    townships: list[str]
    industries: list[str]
