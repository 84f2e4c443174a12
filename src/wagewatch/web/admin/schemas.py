"""Administration views: organisation units, user accounts, a new account."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

__all__ = ["AdminOverview", "OrgUnitPublic", "UserCreate", "UserPublic"]


class OrgUnitPublic(BaseModel):
    """One organisation unit."""

    id: int
    code: str
    name: str
    kind: str
    kind_label: str
    parent_name: str | None
    township: str | None
    industries: list[str]
    active: bool


class UserPublic(BaseModel):
    """One account (never its password hash)."""

    id: int
    username: str
    display_name: str
    role: str | None
    role_label: str
    unit_name: str
    active: bool
    locked: bool
    has_password: bool
    must_change_password: bool
    last_login_at: datetime | None


class UserCreate(BaseModel):
    """A new account as the system administrator creates it (role and password come later)."""

    username: str = Field(min_length=2, max_length=64)
    display_name: str = Field(min_length=1, max_length=100)
    org_unit_id: int


class AdminOverview(BaseModel):
    """What the administration page shows."""

    units: list[OrgUnitPublic]
    users: list[UserPublic]
    can_create_user: bool
