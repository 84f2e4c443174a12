"""API: the enterprise file."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from wagewatch.web.common import client_source
from wagewatch.web.context import CurrentUser, Db, Rb
from wagewatch.web.enterprises.schemas import EnterpriseFile, EnterprisePublic, UnmaskIn
from wagewatch.web.enterprises.service import enterprise_file

__all__ = ["router"]

router = APIRouter(tags=["企业档案"])


@router.get("/enterprises/{enterprise_id}", response_model=EnterpriseFile, summary="企业档案")
def enterprise(
    db: Db,
    user: CurrentUser,
    rb: Rb,
    enterprise_id: int,
    kinds: Annotated[
        list[str] | None,
        Query(description="只列这些来源类型的记录，如 complaints,inspections"),
    ] = None,
) -> EnterpriseFile:
    """Registry data (masked), the current warning and why (each fact with the source kinds
    behind it), history and source rows (narrowed to `kinds` when given)."""
    return enterprise_file(db, user, rb, enterprise_id, kinds=kinds)


@router.post(
    "/enterprises/{enterprise_id}/unmask",
    response_model=EnterprisePublic,
    summary="查看企业个人信息明文（留痕）",
)
def unmask(
    request: Request, db: Db, user: CurrentUser, rb: Rb, enterprise_id: int, body: UnmaskIn
) -> EnterprisePublic:
    """The registry data in clear, for a user with pii.unmask and a reason (audited)."""
    file = enterprise_file(
        db, user, rb, enterprise_id, unmask_reason=body.reason, source=client_source(request)
    )
    return file.enterprise
