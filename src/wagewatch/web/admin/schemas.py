"""Administration views: organisation units, user accounts, a new account."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

__all__ = [
    "AdminOverview",
    "LockForm",
    "OrgUnitPublic",
    "PasswordReset",
    "RoleChoice",
    "SecurityActions",
    "UnmaskForm",
    "UserCreate",
    "UserPublic",
]


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


class RoleChoice(BaseModel):
    """A business role that fits an account's organisation unit."""

    code: str
    label: str


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
    administrative: bool = False
    unmask_until: datetime | None = None
    role_choices: list[RoleChoice] = []


class UserCreate(BaseModel):
    """A new account as the system administrator creates it (role and password come later)."""

    username: str = Field(min_length=2, max_length=64)
    display_name: str = Field(min_length=1, max_length=100)
    org_unit_id: int


class SecurityActions(BaseModel):
    """Which security-administrator actions the signed-in user may take."""

    assign_role: bool = False
    reset_password: bool = False
    lock: bool = False
    grant_unmask: bool = False

    @property
    def any(self) -> bool:
        """Whether any of the actions is allowed."""
        return self.assign_role or self.reset_password or self.lock or self.grant_unmask


class AdminOverview(BaseModel):
    """What the administration page shows."""

    units: list[OrgUnitPublic]
    users: list[UserPublic]
    can_create_user: bool
    security: SecurityActions = SecurityActions()


class LockForm(BaseModel):
    """Locking an account: a reason, and the last day of the lock (none: until unlocked)."""

    reason: str = Field(min_length=1, max_length=200)
    until: date | None = None


class UnmaskForm(BaseModel):
    """An unmasking grant: a reason and the last day it holds."""

    reason: str = Field(min_length=1, max_length=200)
    until: date


class PasswordReset(BaseModel):
    """A reset password, shown to the security administrator once."""

    username: str
    password: str
