"""Dashboard views: counts per level, the week's changes, the monthly trend, bar charts."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from wagewatch.web.imports.schemas import ImportBatchPublic
from wagewatch.web.rules.schemas import LevelPublic

__all__ = [
    "BarChart",
    "ChangeItem",
    "DashboardStats",
    "LevelCount",
    "LevelSeries",
    "Trend",
    "TrendSeries",
]


class LevelCount(BaseModel):
    """How many current warnings a level has."""

    level: LevelPublic
    count: int


class ChangeItem(BaseModel):
    """One level change of the week."""

    enterprise_id: int
    enterprise_name: str
    township: str | None
    change: str
    change_name: str
    old_level: LevelPublic | None
    new_level: LevelPublic | None
    at: datetime


class TrendSeries(BaseModel):
    """Changes of one kind (新增预警、升级…) per month."""

    change: str
    name: str
    values: list[int]


class Trend(BaseModel):
    """Level changes per month over the last twelve months."""

    months: list[str]
    series: list[TrendSeries]


class LevelSeries(BaseModel):
    """One level's counts per category of a bar chart."""

    level: str
    name: str
    colour: str
    values: list[int]


class BarChart(BaseModel):
    """Current warnings per category (township or industry), stacked by level."""

    dimension: str
    categories: list[str]
    series: list[LevelSeries]


class DashboardStats(BaseModel):
    """Everything the dashboard shows, within the user's scope."""

    rulebook: str
    rulebook_title: str
    scope_label: str
    total: int
    by_level: list[LevelCount]
    new_this_week: int
    upgraded_this_week: int
    week_start: datetime
    week_changes: list[ChangeItem]
    trend: Trend
    by_township: BarChart
    by_industry: BarChart
    latest_imports: list[ImportBatchPublic]
