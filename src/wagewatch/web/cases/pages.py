"""Pages: the ledger, a case and its actions, tasks, complaints (首问负责制), directed
inspections, the inbox and the campaign page.

Each POST parses the form, calls one verb of `wagewatch.cases`, and redirects to the page it
came from with a short notice (post/redirect/get). A refused action re-renders the page with
the reason and rolls the unit of work back, so nothing of a refused action is kept (except a
refused closure request, which the service records on purpose and returns without raising).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError
from starlette.datastructures import UploadFile
from starlette.responses import RedirectResponse, Response

from wagewatch.auth.models import OrgUnit, User
from wagewatch.auth.service import can, require
from wagewatch.cases import service as cases
from wagewatch.cases.campaign import campaign_view
from wagewatch.cases.complaints import (
    RECEIVED_VIA,
    ComplaintInput,
    acknowledge_transfer,
    close_complaint,
    register_complaint,
    respond_complaint,
    transfer_complaint,
)
from wagewatch.cases.inspections import (
    PRESET_FILTERS,
    VisitResult,
    build_inspection_list,
    export_results,
    record_visit,
)
from wagewatch.cases.remedies import add_remedy
from wagewatch.cases.service import CaseError, CaseNotFound, StaleCase
from wagewatch.cases.signals import SignalRejected
from wagewatch.china import CHINA
from wagewatch.notify.service import mark_read
from wagewatch.web.cases.schemas import CaseFilter
from wagewatch.web.cases.service import (
    case_detail,
    complaint_detail,
    complaint_lists,
    inbox_items,
    inspection_items,
    inspection_lists,
    list_cases,
    task_views,
)
from wagewatch.web.common import NotFound, client_source
from wagewatch.web.context import CurrentUser, Db, Rb, web_state
from wagewatch.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

NOTICES = {
    "handle": "已开始处置。",
    "note": "办理记录已保存。",
    "investigation": "一案多查记录已保存。",
    "resolution": "处置结果已记录。",
    "closure_requested": "已申请销号，等待领导确认。",
    "closure_refused": "销号申请未通过，原因见下方办理记录。",
    "closed": "已确认销号。",
    "closure_back": "复核未通过，已退回处置。",
    "rejected": "已退回销号申请。",
    "transferred": "已移送。",
    "remedy": "措施已记录。",
    "leader": "包案领导已指定。",
    "form": "表格已保存。",
    "task": "任务已办结。",
    "registered": "投诉已登记，并已按管辖分派。",
    "acknowledged": "已接收转办。",
    "complaint_transferred": "已转办，等待对方接收。",
    "responded": "已答复。",
    "complaint_closed": "投诉已办结。",
    "list": "排查清单已下发。",
    "visit": "排查结果已反馈，企业已重新研判。",
    "read": "已全部标为已读。",
}
_REFUSED = (CaseError, SignalRejected)


def _today() -> date:
    return datetime.now(CHINA).date()


def _notice(done: str | None) -> str | None:
    return NOTICES.get(done or "")


def _back(path: str, done: str) -> RedirectResponse:
    return RedirectResponse(f"{path}?done={quote(done)}", status_code=303)


def _attempt(
    db: Session, action: Callable[[], Any], refused: Callable[[str, int], Response]
) -> Any:
    """Run a service verb; on a refusal roll back and render the reason (409 when stale)."""
    try:
        return action()
    except CaseNotFound as exc:
        db.rollback()
        raise NotFound(str(exc)) from None
    except (StaleCase, StaleDataError) as exc:
        db.rollback()
        message = str(exc) if isinstance(exc, StaleCase) else "该记录已被他人修改，请刷新后重试。"
        return refused(message, 409)
    except _REFUSED as exc:
        db.rollback()
        return refused(str(exc), 400)


# ---------------------------------------------------------------- the ledger


@router.get("/cases")
def cases_page(
    request: Request,
    db: Db,
    user: CurrentUser,
    rb: Rb,
    f: Annotated[CaseFilter, Query()],
) -> Response:
    """The ledger (台账) within the user's scope."""
    page = list_cases(db, user, rb, f)
    return render(
        request,
        "cases/list.html",
        {"page": page, "f": f, "states": cases.STATES, "levels": rb.levels, "rb": rb},
        active="cases",
    )


def _case_page(
    request: Request,
    db: Session,
    user: User,
    rb: Any,
    case_id: int,
    *,
    error: str | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> Response:
    try:
        detail = case_detail(db, user, rb, case_id)
    except CaseNotFound as exc:
        raise NotFound(str(exc)) from None
    return render(
        request,
        "cases/detail.html",
        {"c": detail, "error": error, "notice": notice, "states": cases.STATES},
        status_code=status_code,
        active="cases",
    )


@router.get("/cases/{case_id}")
def case_page(
    request: Request, db: Db, user: CurrentUser, rb: Rb, case_id: int, done: str | None = None
) -> Response:
    """One case: record, tasks with due clocks, history, remedies and the allowed actions."""
    return _case_page(request, db, user, rb, case_id, notice=_notice(done))


@router.post("/cases/{case_id}/{action}")
async def case_action(
    request: Request, db: Db, user: CurrentUser, rb: Rb, case_id: int, action: str
) -> Response:
    """Every case action, one service verb each (see NOTICES for the outcomes)."""
    form = await request.form()

    def text(name: str) -> str:
        value = form.get(name)
        return value if isinstance(value, str) else ""

    try:
        version: int | None = int(text("version"))
    except ValueError:
        version = None
    settings = web_state(request).settings
    today = _today()

    def refused(message: str, status: int) -> Response:
        return _case_page(request, db, user, rb, case_id, error=message, status_code=status)

    def run() -> str:
        if action == "handle":
            cases.start_handling(db, user, case_id, version, text("note"))
            return "handle"
        if action == "note":
            cases.add_note(db, user, case_id, version, text("text"))
            return "note"
        if action == "investigation":
            cases.record_investigation(
                db,
                user,
                case_id,
                version,
                arrears_facts=text("arrears_facts"),
                liable_party=text("liable_party"),
                arrears_cause=text("arrears_cause"),
            )
            return "investigation"
        if action == "resolution":
            cases.record_resolution(
                db,
                user,
                case_id,
                version,
                kind=text("kind"),
                amount=text("amount"),
                workers=text("workers"),
                document_no=text("document_no"),
                note=text("note"),
                settings=settings,
            )
            return "resolution"
        if action == "request_closure":
            check = cases.request_closure(db, user, rb, case_id, version, today, note=text("note"))
            return "closure_requested" if check.ok else "closure_refused"
        if action == "confirm_closure":
            check = cases.confirm_closure(db, user, rb, case_id, version, today)
            return "closed" if check.ok else "closure_back"
        if action == "reject_closure":
            cases.reject_closure(db, user, case_id, version, text("reason"))
            return "rejected"
        if action == "transfer":
            cases.transfer_case(
                db,
                user,
                case_id,
                version,
                target=text("target"),
                document_no=text("document_no"),
                note=text("note"),
            )
            return "transferred"
        if action == "leader":
            try:
                leader = db.get(User, int(text("leader_id")))
            except ValueError:
                leader = None
            if leader is None:
                raise CaseError("请选择包案领导。")
            cases.set_leader(db, user, case_id, version, leader)
            return "leader"
        if action == "remedy":
            upload = form.get("document")
            document = None
            if isinstance(upload, UploadFile) and upload.filename:
                document = (upload.filename, upload.file.read())
            kind = text("kind")
            values = {
                k.removeprefix(f"{kind}__"): text(k) for k in form if k.startswith(f"{kind}__")
            }
            add_remedy(
                db, user, case_id, version, kind, values, document=document, settings=settings
            )
            return "remedy"
        if action == "form":
            save_form(db, user, case_id, version, {k: text(k) for k in form if k.startswith("f_")})
            return "form"
        raise NotFound("没有这个操作。")

    try:
        outcome = _attempt(db, run, refused)
    finally:
        await form.close()  # uploaded files are spooled to disk: release them
    if isinstance(outcome, Response):
        return outcome
    return _back(f"/cases/{case_id}", outcome)


def save_form(
    db: Session, user: User, case_id: int, version: int | None, fields: dict[str, str]
) -> None:
    """Save the officer's edits of the case's pre-filled form (宣恩 预警信息表)."""
    from wagewatch.reports.forms import get_form, validate

    case = cases._writable(db, user, case_id, version, "cases.write")
    if not case.form_values:
        raise CaseError("该台账没有需要填报的表格。")
    spec = get_form(str(case.form_values.get("form")))
    values = dict(case.form_values.get("values") or {})
    for f in spec.all_fields:
        if f"f_{f.key}" in fields:
            values[f.key] = fields[f"f_{f.key}"].strip()
    problems = validate(spec, values)
    submitted = not problems
    case.form_values = {"form": spec.key, "values": values, "submitted": submitted}
    now = datetime.now(CHINA)
    case.updated_at = now
    cases._event(
        db,
        case,
        "form",
        f"填报《{spec.title}》"
        + ("（已完整）" if submitted else "（待补全：" + "；".join(problems) + "）"),
        user=user,
        now=now,
    )
    db.flush()


@router.get("/cases/{case_id}/form.docx")
def case_form_docx(db: Db, user: CurrentUser, case_id: int) -> Response:
    """The case's form as a Word document, as filled so far."""
    from wagewatch.reports.forms import get_form, to_docx

    case = _attempt(db, lambda: cases.get_case(db, user, case_id), _raise)
    if not case.form_values:
        raise NotFound("该台账没有表格。")
    spec = get_form(str(case.form_values.get("form")))
    content = to_docx(spec, case.form_values.get("values") or {})
    name = quote(f"{spec.title}-台账{case.id}.docx")
    return Response(
        content,
        media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}"},
    )


@router.get("/cases/{case_id}/remedies/{remedy_id}/document")
def remedy_document(
    request: Request, db: Db, user: CurrentUser, case_id: int, remedy_id: int
) -> Response:
    """The document attached to a remedy (文书、凭证), for users who may see the case (audited)."""
    from pathlib import Path

    from wagewatch.auth.service import record_audit
    from wagewatch.cases.models import Remedy

    case = _attempt(db, lambda: cases.get_case(db, user, case_id), _raise)
    remedy = db.get(Remedy, remedy_id)
    if remedy is None or remedy.case_id != case.id or not remedy.document_path:
        raise NotFound("没有这个附件。")
    path = Path(remedy.document_path)
    if not path.is_file():
        raise NotFound("附件文件已不在数据目录中，请联系系统管理员。")
    record_audit(
        db,
        "cases.document",
        actor=user,
        object_type="remedy",
        object_id=remedy.id,
        source=client_source(request),
        details={"case_id": case.id, "file": remedy.document_name},
    )
    name = quote(remedy.document_name or path.name)
    return Response(
        path.read_bytes(),
        media_type="application/octet-stream",
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}"},
    )


def _raise(message: str, status: int) -> Response:
    raise NotFound(message)


# ---------------------------------------------------------------- tasks


@router.get("/tasks")
def tasks_page(
    request: Request,
    db: Db,
    user: CurrentUser,
    overdue: bool = False,
    mine: bool = True,
    done: str | None = None,
) -> Response:
    """Open tasks: the unit's own (default) or every one in scope; overdue only on request."""
    tasks = task_views(db, user, only_overdue=overdue, only_mine=mine)
    return render(
        request,
        "cases/tasks.html",
        {"tasks": tasks, "overdue": overdue, "mine": mine, "notice": _notice(done)},
        active="tasks",
    )


@router.post("/tasks/{task_id}/complete")
def task_complete(
    request: Request,
    db: Db,
    user: CurrentUser,
    rb: Rb,
    task_id: int,
    result: Annotated[str, Form(max_length=2000)] = "",
    back: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """办结 a task with its result."""

    def refused(message: str, status: int) -> Response:
        tasks = task_views(db, user, only_mine=False)
        return render(
            request,
            "cases/tasks.html",
            {"tasks": tasks, "overdue": False, "mine": False, "error": message},
            status_code=status,
            active="tasks",
        )

    task = _attempt(db, lambda: cases.complete_task(db, user, task_id, result), refused)
    if isinstance(task, Response):
        return task
    target = f"/cases/{task.case_id}" if back == "case" and task.case_id else "/tasks"
    return _back(target, "task")


# ---------------------------------------------------------------- complaints


def _complaints_page(
    request: Request,
    db: Session,
    user: User,
    *,
    error: str | None = None,
    notice: str | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    units = [(u.id, u.name) for u in db.scalars(select(OrgUnit).where(OrgUnit.active.is_(True)))]
    return render(
        request,
        "cases/complaints.html",
        {
            "lists": complaint_lists(db, user),
            "via": RECEIVED_VIA,
            "units": units,
            "can_register": can(user, "complaints.create"),
            "error": error,
            "notice": notice,
            "values": values or {},
        },
        status_code=status_code,
        active="complaints",
    )


@router.get("/complaints")
def complaints_page(
    request: Request, db: Db, user: CurrentUser, done: str | None = None
) -> Response:
    """Register a complaint (首问负责制) and follow the ones registered or received."""
    return _complaints_page(request, db, user, notice=_notice(done))


@router.post("/complaints")
async def complaints_register(request: Request, db: Db, user: CurrentUser, rb: Rb) -> Response:
    """Register a complaint: it becomes a signal, is graded at once and routed or transferred."""
    require(user, "complaints.create")
    form = await request.form()
    values = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}
    try:
        handling = int(values.get("handling_unit_id") or 0) or None
    except ValueError:
        handling = None
    data = ComplaintInput(
        received_via=values.get("received_via", ""),
        enterprise_name=values.get("enterprise_name", ""),
        text=values.get("text", ""),
        credit_code=values.get("credit_code", ""),
        complainant_name=values.get("complainant_name", ""),
        complainant_phone=values.get("complainant_phone", ""),
        complainant_id_number=values.get("complainant_id_number", ""),
        months_owed=values.get("months_owed", ""),
        workers=values.get("workers", ""),
        amount=values.get("amount", ""),
        township=values.get("township", ""),
        handling_unit_id=handling,
    )

    def refused(message: str, status: int) -> Response:
        return _complaints_page(request, db, user, error=message, values=values, status_code=status)

    c = _attempt(
        db,
        lambda: register_complaint(
            db,
            user,
            rb,
            data,
            _today(),
            settings=web_state(request).settings,
            source=client_source(request),
        ),
        refused,
    )
    if isinstance(c, Response):
        return c
    return _back(f"/complaints/{c.id}", "registered")


def _complaint_page(
    request: Request,
    db: Session,
    user: User,
    complaint_id: int,
    *,
    error: str | None = None,
    notice: str | None = None,
    unmask_reason: str | None = None,
    status_code: int = 200,
) -> Response:
    detail = _attempt(
        db,
        lambda: complaint_detail(
            db, user, complaint_id, unmask_reason=unmask_reason, source=client_source(request)
        ),
        _raise,
    )
    return render(
        request,
        "cases/complaint.html",
        {"c": detail, "error": error, "notice": notice},
        status_code=status_code,
        active="complaints",
    )


@router.get("/complaints/{complaint_id}")
def complaint_page(
    request: Request, db: Db, user: CurrentUser, complaint_id: int, done: str | None = None
) -> Response:
    """A complaint with its status, limits and history (personal fields masked)."""
    return _complaint_page(request, db, user, complaint_id, notice=_notice(done))


@router.post("/complaints/{complaint_id}/unmask")
def complaint_unmask(
    request: Request,
    db: Db,
    user: CurrentUser,
    complaint_id: int,
    reason: Annotated[str, Form(min_length=2, max_length=200)],
) -> Response:
    """The complaint with the complainant's details in clear (pii.unmask; audited)."""
    return _complaint_page(request, db, user, complaint_id, unmask_reason=reason)


@router.post("/complaints/{complaint_id}/{action}")
async def complaint_action(
    request: Request, db: Db, user: CurrentUser, complaint_id: int, action: str
) -> Response:
    """接收 / 转办 / 答复 / 办结 a complaint."""
    form = await request.form()

    def text(name: str) -> str:
        value = form.get(name)
        return value if isinstance(value, str) else ""

    try:
        version: int | None = int(text("version"))
    except ValueError:
        version = None
    settings = web_state(request).settings

    def refused(message: str, status: int) -> Response:
        return _complaint_page(request, db, user, complaint_id, error=message, status_code=status)

    def run() -> str:
        if action == "acknowledge":
            acknowledge_transfer(db, user, complaint_id, version, settings=settings)
            return "acknowledged"
        if action == "transfer":
            try:
                to_unit = int(text("to_unit_id"))
            except ValueError:
                raise CaseError("请选择转办单位。") from None
            transfer_complaint(
                db, user, complaint_id, version, to_unit, text("note"), settings=settings
            )
            return "complaint_transferred"
        if action == "respond":
            respond_complaint(db, user, complaint_id, version, text("response"))
            return "responded"
        if action == "close":
            close_complaint(db, user, complaint_id, version, text("outcome"))
            return "complaint_closed"
        raise NotFound("没有这个操作。")

    try:
        outcome = _attempt(db, run, refused)
    finally:
        await form.close()
    if isinstance(outcome, Response):
        return outcome
    return _back(f"/complaints/{complaint_id}", outcome)


# ---------------------------------------------------------------- inspections


def _inspections_page(
    request: Request,
    db: Session,
    user: User,
    *,
    error: str | None = None,
    notice: str | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "cases/inspections.html",
        {
            "lists": inspection_lists(db, user),
            "presets": PRESET_FILTERS,
            "can_create": can(user, "cases.write"),
            "error": error,
            "notice": notice,
            "values": values or {},
            "default_days": web_state(request).settings.inspection_days,
        },
        status_code=status_code,
        active="inspections",
    )


@router.get("/inspections")
def inspections_page(
    request: Request, db: Db, user: CurrentUser, done: str | None = None
) -> Response:
    """Directed inspection lists (定向排查) and the form to build one."""
    return _inspections_page(request, db, user, notice=_notice(done))


@router.post("/inspections")
def inspections_create(
    request: Request,
    db: Db,
    user: CurrentUser,
    title: Annotated[str, Form(max_length=200)] = "",
    source_office: Annotated[str, Form(max_length=100)] = "",
    preset: Annotated[str, Form(max_length=40)] = "",
    condition: Annotated[str, Form(max_length=1000)] = "",
    due_working_days: Annotated[str, Form(max_length=4)] = "",
) -> Response:
    """Build a list from a filter and push it to the townships as tasks."""
    values = {
        "title": title,
        "source_office": source_office,
        "preset": preset,
        "condition": condition,
        "due_working_days": due_working_days,
    }
    cond = condition.strip() or PRESET_FILTERS.get(preset, ("", ""))[1]

    def refused(message: str, status: int) -> Response:
        return _inspections_page(
            request, db, user, error=message, values=values, status_code=status
        )

    try:
        days = int(due_working_days) if due_working_days.strip() else None
    except ValueError:
        return refused("反馈时限应为整数（工作日）。", 400)
    lst = _attempt(
        db,
        lambda: build_inspection_list(
            db,
            user,
            title=title,
            source_office=source_office,
            condition=cond,
            as_of=_today(),
            due_working_days=days,
            settings=web_state(request).settings,
        ),
        refused,
    )
    if isinstance(lst, Response):
        return lst
    return _back(f"/inspections/{lst.id}", "list")


def _inspection_page(
    request: Request,
    db: Session,
    user: User,
    list_id: int,
    *,
    error: str | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> Response:
    try:
        lst, items = inspection_items(db, user, list_id)
    except LookupError as exc:
        raise NotFound(str(exc)) from None
    return render(
        request,
        "cases/inspection.html",
        {
            "lst": lst,
            "items": items,
            "error": error,
            "notice": notice,
            "today": _today().isoformat(),
            "can_export": can(user, "reports.export"),
        },
        status_code=status_code,
        active="inspections",
    )


@router.get("/inspections/{list_id}")
def inspection_page(
    request: Request, db: Db, user: CurrentUser, list_id: int, done: str | None = None
) -> Response:
    """One list: its enterprises, their due clocks and results; the feedback forms."""
    return _inspection_page(request, db, user, list_id, notice=_notice(done))


@router.post("/inspections/{list_id}/items/{item_id}/visit")
def inspection_visit(
    request: Request,
    db: Db,
    user: CurrentUser,
    rb: Rb,
    list_id: int,
    item_id: int,
    visit_date: Annotated[str, Form(max_length=10)] = "",
    inspector: Annotated[str, Form(max_length=100)] = "",
    found_arrears: Annotated[str, Form(max_length=3)] = "",
    months_owed: Annotated[str, Form(max_length=20)] = "",
    workers: Annotated[str, Form(max_length=20)] = "",
    amount: Annotated[str, Form(max_length=30)] = "",
    settled: Annotated[str, Form(max_length=3)] = "",
    notes: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    """Record a visit's result: an inspections signal, then the enterprise is re-graded."""

    def refused(message: str, status: int) -> Response:
        return _inspection_page(request, db, user, list_id, error=message, status_code=status)

    try:
        day = date.fromisoformat(visit_date)
    except ValueError:
        return refused("请填写排查日期（年-月-日）。", 400)
    if found_arrears not in ("yes", "no"):
        return refused("请选择是否存在欠薪。", 400)
    result = VisitResult(
        visit_date=day,
        inspector=inspector,
        found_arrears=found_arrears == "yes",
        months_owed=months_owed,
        workers=workers,
        amount=amount,
        settled=settled == "yes",
        notes=notes,
    )
    item = _attempt(
        db,
        lambda: record_visit(
            db, user, rb, item_id, result, _today(), settings=web_state(request).settings
        ),
        refused,
    )
    if isinstance(item, Response):
        return item
    return _back(f"/inspections/{list_id}", "visit")


@router.get("/inspections/{list_id}/export")
def inspection_export(db: Db, user: CurrentUser, list_id: int) -> Response:
    """The list's results as Excel, for the office that supplied it."""
    name, content = _attempt(db, lambda: export_results(db, user, list_id), _raise)
    return Response(
        content,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
    )


# ---------------------------------------------------------------- inbox and campaign


@router.get("/inbox")
def inbox_page(request: Request, db: Db, user: CurrentUser, done: str | None = None) -> Response:
    """The user's messages."""
    return render(
        request,
        "cases/inbox.html",
        {"items": inbox_items(db, user), "notice": _notice(done)},
        active="inbox",
    )


@router.post("/inbox/read")
def inbox_read(db: Db, user: CurrentUser) -> Response:
    """Mark every message read."""
    mark_read(db, user)
    return _back("/inbox", "read")


@router.get("/campaign")
def campaign_page(request: Request, db: Db, user: CurrentUser, rb: Rb) -> Response:
    """The campaign (专项行动) of the rulebook: phases, ledger and the 三个零 indicators."""
    try:
        view = campaign_view(db, user, rb, _today())
    except LookupError as exc:
        raise NotFound(str(exc)) from None
    return render(
        request,
        "cases/campaign.html",
        {"v": view, "rb": rb, "states": cases.STATES},
        active="cases",
    )
