"""API: the active rulebook."""

from __future__ import annotations

from fastapi import APIRouter

from wagewatch.web.context import CurrentUser, Rb
from wagewatch.web.rules.schemas import RulebookPublic
from wagewatch.web.rules.service import describe_rulebook

__all__ = ["router"]

router = APIRouter(tags=["预警规则"])


@router.get("/rulebook", response_model=RulebookPublic, summary="当前预警规则")
def rulebook(user: CurrentUser, rb: Rb) -> RulebookPublic:
    """Levels, criteria (condition, seed clause, reading) and disposal steps."""
    return describe_rulebook(rb)
