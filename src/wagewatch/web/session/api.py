"""API: who am I."""

from __future__ import annotations

from fastapi import APIRouter

from wagewatch.web.context import CurrentUser
from wagewatch.web.session.schemas import Me
from wagewatch.web.session.service import describe

__all__ = ["router"]

router = APIRouter(tags=["当前用户"])


@router.get("/me", response_model=Me, summary="当前登录用户")
def me(user: CurrentUser) -> Me:
    """The signed-in user, role, unit, scope and permissions."""
    return describe(user)
