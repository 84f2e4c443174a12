"""What the client learns about the signed-in user."""

from __future__ import annotations

from pydantic import BaseModel

__all__ = ["Me"]


class Me(BaseModel):
    """The signed-in user: name, role, unit, data scope and permissions."""

    username: str
    display_name: str
    role: str | None
    role_label: str
    unit_name: str
    unit_kind: str | None
    scope: str
    scope_label: str
    permissions: list[str]
    must_change_password: bool
