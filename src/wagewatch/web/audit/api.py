"""API: the audit log and its chain check (audit administrator only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from wagewatch.web.audit.schemas import AuditFilter, AuditPage, ChainCheck
from wagewatch.web.audit.service import check_chain, list_audit_page
from wagewatch.web.context import CurrentUser, Db

__all__ = ["router"]

router = APIRouter(tags=["审计日志"])


@router.get("/audit", response_model=AuditPage, summary="审计日志")
def audit_list(db: Db, user: CurrentUser, f: Annotated[AuditFilter, Query()]) -> AuditPage:
    """A filtered page of the audit log, newest first (audit administrator)."""
    return list_audit_page(db, user, f)


@router.get("/audit/verify", response_model=ChainCheck, summary="校验审计日志哈希链")
def audit_verify(db: Db, user: CurrentUser) -> ChainCheck:
    """Check the audit hash chain: intact, or the first break (audit administrator)."""
    return check_chain(db, user)
