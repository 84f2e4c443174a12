"""Enterprise file views; personal fields are masked unless an audited unmasking asked."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from wagewatch.web.rules.schemas import ActionPublic, LevelPublic, ReasonPublic

__all__ = [
    "EnterpriseFile",
    "EnterprisePublic",
    "FactPublic",
    "FactSource",
    "HistoryEntry",
    "SourceKindCount",
    "SourceRow",
    "UnmaskIn",
    "WarningDetail",
]


class EnterprisePublic(BaseModel):
    """Registry data of one enterprise (contact phone masked unless unmasked)."""

    id: int
    name: str
    credit_code: str | None
    code_checksum_ok: bool
    township: str | None
    industry: str | None
    employees: int | None
    legal_representative: str | None
    contact_phone: str | None
    address: str | None
    outsourcing: bool | None
    pii_clear: bool = False


class FactSource(BaseModel):
    """A source kind that feeds a fact, with the enterprise's rows of that kind."""

    kind: str
    title: str
    rows: int = Field(description="该企业此类来源记录数")


class FactPublic(BaseModel):
    """One fact of the snapshot with its Chinese label and the source kinds behind it."""

    name: str
    label: str
    value: str
    raw: bool | int | float | str | None
    sources: list[FactSource] = Field(
        default_factory=list, description="为该事实提供数据的来源类型（空：人工研判等）"
    )
    source_rows: int = Field(default=0, description="该企业这些来源类型的记录总数")
    sources_link: str | None = Field(
        default=None, description="企业档案中按这些来源类型筛选数据来源表的链接"
    )


class WarningDetail(BaseModel):
    """The current warning: level, every reason, lower criteria also matched, disposal."""

    level: LevelPublic
    reasons: list[ReasonPublic]
    also_matched: list[ReasonPublic]
    actions: list[ActionPublic]
    facts: list[FactPublic]
    rulebook_version: str
    as_of: date
    raised_at: datetime | None
    updated_at: datetime


class HistoryEntry(BaseModel):
    """One level change."""

    at: datetime
    as_of: date
    change: str
    change_name: str
    old_level: LevelPublic | None
    new_level: LevelPublic | None
    reasons: list[ReasonPublic]
    rulebook_version: str


class SourceRow(BaseModel):
    """One imported row about the enterprise: which file, which row, what kind, what date,
    and which office it came from."""

    batch_id: int
    file_name: str
    kind: str
    kind_title: str
    row_no: int
    date: date | None
    imported_at: datetime
    match_method: str | None
    office: str | None = Field(
        default=None, description="来源单位：记录自带的报送部门/渠道，没有时为导入人所在单位"
    )
    office_from_row: bool = Field(
        default=False, description="来源单位取自记录本身（否则为导入单位）"
    )


class SourceKindCount(BaseModel):
    """The enterprise's source rows of one kind."""

    kind: str
    title: str
    rows: int


class CaseBrief(BaseModel):
    """One of the enterprise's cases (台账), for the enterprise file."""

    id: int
    rulebook: str
    level_name: str | None
    state: str
    state_label: str
    lead_unit: str
    open_tasks: int
    opened_at: datetime
    closed_at: datetime | None


class EnterpriseFile(BaseModel):
    """Everything the enterprise file page shows."""

    enterprise: EnterprisePublic
    warning: WarningDetail | None
    history: list[HistoryEntry]
    sources: list[SourceRow]
    sources_truncated: bool
    source_kinds: list[SourceKindCount] = Field(
        default_factory=list, description="该企业各来源类型的记录数（不受筛选影响）"
    )
    sources_filter: list[SourceKindCount] = Field(
        default_factory=list, description="数据来源表按这些来源类型筛选（空：全部）"
    )
    can_unmask: bool
    cases: list[CaseBrief] = []


class UnmaskIn(BaseModel):
    """An explicit request to read the enterprise's personal fields in clear."""

    reason: str = Field(min_length=2, max_length=200, description="查看事由")
