"""API: the ledger, one case, tasks, complaints and the inbox (read-only; masked; scoped)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from wagewatch.cases.service import CaseNotFound
from wagewatch.notify.service import unread_count
from wagewatch.web.cases.schemas import (
    CaseDetail,
    CaseFilter,
    CasePage,
    ComplaintDetail,
    ComplaintRow,
    InboxItem,
    TaskPublic,
)
from wagewatch.web.cases.service import (
    case_detail,
    complaint_detail,
    complaint_lists,
    inbox_items,
    list_cases,
    task_views,
)
from wagewatch.web.common import NotFound
from wagewatch.web.context import CurrentUser, Db, Rb

__all__ = ["router"]

router = APIRouter(tags=["处置台账"])


@router.get("/cases", response_model=CasePage, summary="台账列表")
def cases(db: Db, user: CurrentUser, rb: Rb, f: Annotated[CaseFilter, Query()]) -> CasePage:
    """Cases within the user's scope, filtered and paged."""
    return list_cases(db, user, rb, f)


@router.get("/cases/{case_id}", response_model=CaseDetail, summary="台账详情")
def case(db: Db, user: CurrentUser, rb: Rb, case_id: int) -> CaseDetail:
    """One case with its tasks, history, remedies and the actions the user may take."""
    try:
        return case_detail(db, user, rb, case_id)
    except CaseNotFound as exc:
        raise NotFound(str(exc)) from None


@router.get("/tasks", response_model=list[TaskPublic], summary="待办任务")
def tasks(db: Db, user: CurrentUser, overdue: bool = False, mine: bool = True) -> list[TaskPublic]:
    """Open tasks with their due clocks (the unit's own by default)."""
    return task_views(db, user, only_overdue=overdue, only_mine=mine)


@router.get("/complaints", response_model=dict[str, list[ComplaintRow]], summary="投诉登记")
def complaints(db: Db, user: CurrentUser) -> dict[str, list[ComplaintRow]]:
    """Complaints received, registered and (district roles) all; personal data masked."""
    return complaint_lists(db, user)


@router.get("/complaints/{complaint_id}", response_model=ComplaintDetail, summary="投诉详情")
def complaint(db: Db, user: CurrentUser, complaint_id: int) -> ComplaintDetail:
    """One complaint (personal data masked; unmasking is a page action with a reason)."""
    try:
        return complaint_detail(db, user, complaint_id)
    except CaseNotFound as exc:
        raise NotFound(str(exc)) from None


@router.get("/inbox", response_model=list[InboxItem], summary="消息")
def inbox(db: Db, user: CurrentUser) -> list[InboxItem]:
    """The user's newest messages."""
    return inbox_items(db, user)


@router.get("/inbox/unread", summary="未读消息数")
def inbox_unread(db: Db, user: CurrentUser) -> dict[str, int]:
    """How many messages are unread."""
    return {"unread": unread_count(db, user)}
