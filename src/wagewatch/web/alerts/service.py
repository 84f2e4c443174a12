"""Warning list queries: every one joins Enterprise and adds the user's scope filter."""

from __future__ import annotations

import dataclasses
import io
import math
from datetime import timedelta
from typing import Any

import xlsxwriter
from sqlalchemy import Select, asc, desc, func, or_, select
from sqlalchemy.orm import Session

from wagewatch.alerts.models import Warning
from wagewatch.auth.masking import mask_record
from wagewatch.auth.models import User
from wagewatch.auth.service import record_audit, register_audit_action, require, scope_filter
from wagewatch.cases.models import Case
from wagewatch.enterprises.models import Enterprise
from wagewatch.rules.model import Level, Rulebook, RulebookError
from wagewatch.rules.registry import get_rulebook, rulebook_files
from wagewatch.web.alerts.schemas import (
    STATUS_NONE,
    STATUSES,
    RulebookChoice,
    StatusChoice,
    WarningChoices,
    WarningFilter,
    WarningPage,
    WarningRow,
)
from wagewatch.web.common import china_day_start, fmt_datetime
from wagewatch.web.rules.service import level_public, levels_public, reasons_public

__all__ = [
    "EXPORT_LIMIT",
    "ENTERPRISE_PII",
    "export_warnings",
    "list_warnings",
    "resolve_rulebook",
    "rulebook_choice",
    "scoped_warnings",
    "warning_choices",
]

EXPORT_LIMIT = 100_000
# Personal data on the registry: the contact phone (the catalogue marks it pii).
ENTERPRISE_PII = {"contact_phone": "phone"}

register_audit_action("warnings.export", "导出预警列表")


# A grey for the levels of a rulebook whose file this deployment no longer has.
_UNKNOWN_LEVEL_COLOUR = "#98a2b3"

Listed = Select[Warning, Enterprise, str | None]


def _known_rulebook(name: str) -> Rulebook | None:
    # only names of this deployment's rulebook files: never a path from a query string
    if name not in rulebook_files():
        return None
    try:
        return get_rulebook(name)
    except (KeyError, RulebookError):
        return None


def resolve_rulebook(session: Session, active: Rulebook, name: str | None) -> Rulebook:
    """The rulebook a list filter asks for (the active one by default).

    A rulebook whose file is gone (warnings stored under a name this deployment no longer
    has) is stood in for by its code, with the levels its stored warnings carry.
    """
    if not name or name == active.name:
        return active
    found = _known_rulebook(name)
    if found is not None:
        return found
    stored = session.execute(
        select(Warning.level, func.max(Warning.level_name), func.max(Warning.level_rank))
        .where(Warning.rulebook == name, Warning.level.is_not(None))
        .group_by(Warning.level)
    ).all()
    levels = tuple(
        Level(code=str(code), name=str(label or code), colour=_UNKNOWN_LEVEL_COLOUR, rank=rank)
        for code, label, rank in sorted(stored, key=lambda r: (r[2], str(r[0])))
    )
    return dataclasses.replace(
        active,
        name=name,
        title=name,
        levels=levels,
        criteria=(),
        actions={},
        subject="enterprise",
        version="",
    )


def rulebook_choice(rb: Rulebook, active: Rulebook) -> RulebookChoice:
    """The rulebook as the filter names it."""
    return RulebookChoice(name=rb.name, title=rb.title or rb.name, active=rb.name == active.name)


def scoped_warnings(user: User, rb: Rulebook) -> Listed:
    """Current warnings (with a level) of the rulebook, within the user's scope, each with
    the state of its newest case (None: no case yet)."""
    newest = (
        select(Case.warning_id, func.max(Case.id).label("case_id"))
        .where(Case.warning_id.is_not(None))
        .group_by(Case.warning_id)
        .subquery()
    )
    return (
        select(Warning, Enterprise, Case.state)
        .join(Enterprise, Warning.enterprise_id == Enterprise.id)
        .outerjoin(newest, newest.c.warning_id == Warning.id)
        .outerjoin(Case, Case.id == newest.c.case_id)
        .where(Warning.rulebook == rb.name, Warning.level.is_not(None))
        .where(scope_filter(user, Enterprise))
    )


def _filtered(stmt: Listed, f: WarningFilter) -> Listed:
    if f.level:
        stmt = stmt.where(Warning.level == f.level)
    if f.status == STATUS_NONE:
        stmt = stmt.where(Case.id.is_(None))
    elif f.status:
        stmt = stmt.where(Case.state == f.status)
    if f.township:
        stmt = stmt.where(Enterprise.township == f.township)
    if f.industry:
        stmt = stmt.where(Enterprise.industry == f.industry)
    if f.date_from:
        stmt = stmt.where(Warning.raised_at >= china_day_start(f.date_from))
    if f.date_to:
        stmt = stmt.where(Warning.raised_at < china_day_start(f.date_to + timedelta(days=1)))
    text = (f.q or "").strip()
    if text:
        stmt = stmt.where(
            or_(
                Enterprise.name.contains(text, autoescape=True),
                Enterprise.credit_code.contains(text.upper(), autoescape=True),
            )
        )
    return stmt


def _sorted(stmt: Listed, f: WarningFilter) -> Listed:
    direction = desc if f.order == "desc" else asc
    column = {
        "level": Warning.level_rank,
        "raised": Warning.raised_at,
        "name": Enterprise.name,
        "township": Enterprise.township,
        "industry": Enterprise.industry,
        "employees": Enterprise.employees,
    }[f.sort]
    return stmt.order_by(direction(column), desc(Warning.level_rank), asc(Enterprise.name))


def _status(state: str | None) -> tuple[Any, str]:
    code = state or STATUS_NONE
    return code, STATUSES.get(code, code)


def _row(rb: Rulebook, w: Warning, e: Enterprise, state: str | None) -> WarningRow:
    level = level_public(rb, w.level)
    assert level is not None
    status, status_label = _status(state)
    return WarningRow(
        warning_id=w.id,
        enterprise_id=e.id,
        enterprise_name=e.name,
        credit_code=e.credit_code,
        township=e.township,
        industry=e.industry,
        employees=e.employees,
        level=level,
        reasons=reasons_public(rb, w.reasons or []),
        raised_at=w.raised_at,
        updated_at=w.updated_at,
        as_of=w.as_of,
        status=status,
        status_label=status_label,
    )


def list_warnings(session: Session, user: User, rb: Rulebook, f: WarningFilter) -> WarningPage:
    """One page of the filtered warning list (requires warnings.read).

    `rb` is the active rulebook; the filter may choose another with warnings stored.
    """
    require(user, "warnings.read")
    active, rb = rb, resolve_rulebook(session, rb, f.rulebook)
    stmt = _filtered(scoped_warnings(user, rb), f)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    pages = max(1, math.ceil(total / f.page_size))
    page = min(f.page, pages)
    rows = session.execute(
        _sorted(stmt, f).limit(f.page_size).offset((page - 1) * f.page_size)
    ).all()
    return WarningPage(
        items=[_row(rb, w, e, state) for w, e, state in rows],
        total=total,
        page=page,
        page_size=f.page_size,
        pages=pages,
        filter=f.model_copy(update={"page": page}),
        rulebook=rulebook_choice(rb, active),
    )


def _rulebook_choices(session: Session, user: User, active: Rulebook) -> list[RulebookChoice]:
    # rulebooks with a current warning the user may see (cluster warnings name no enterprise)
    in_scope = select(Enterprise.id).where(scope_filter(user, Enterprise))
    stmt = (
        select(Warning.rulebook)
        .where(Warning.level.is_not(None))
        .where(or_(Warning.cluster.is_not(None), Warning.enterprise_id.in_(in_scope)))
        .distinct()
    )
    names = {str(n) for n in session.scalars(stmt)} | {active.name}
    out = []
    for name in names:
        known = active if name == active.name else _known_rulebook(name)
        out.append(
            RulebookChoice(name=name, title=known.title if known else name, active=known is active)
        )
    # the active one first, then by code
    return sorted(out, key=lambda c: (not c.active, c.name))


def warning_choices(
    session: Session, user: User, rb: Rulebook, rulebook: str | None = None
) -> WarningChoices:
    """The filter's choices: rulebooks with warnings, the chosen rulebook's levels, the
    处置状态, and the townships and industries the user may see."""
    require(user, "warnings.read")
    chosen = resolve_rulebook(session, rb, rulebook)
    scope = scope_filter(user, Enterprise)

    def distinct(column: Any) -> list[str]:
        stmt = select(column).where(scope, column.is_not(None)).distinct().order_by(column)
        return [str(v) for v in session.scalars(stmt) if v]

    return WarningChoices(
        rulebooks=_rulebook_choices(session, user, rb),
        rulebook=chosen.name,
        levels=list(reversed(levels_public(chosen))),
        statuses=[StatusChoice(code=c, label=label) for c, label in STATUSES.items()],
        townships=distinct(Enterprise.township),
        industries=distinct(Enterprise.industry),
    )


EXPORT_COLUMNS = (
    ("序号", 6),
    ("企业名称", 32),
    ("统一社会信用代码", 22),
    ("所属镇街", 12),
    ("行业", 12),
    ("用工人数", 9),
    ("联系电话", 15),
    ("预警等级", 9),
    ("触发条款", 60),
    ("预警日期", 12),
    ("评估日期", 12),
    ("处置状态", 10),
)


def export_warnings(
    session: Session, user: User, rb: Rulebook, f: WarningFilter, *, source: str | None = None
) -> tuple[bytes, int]:
    """The whole filtered list as an .xlsx (masked as the user sees it), audited; (bytes, rows).

    Requires warnings.read and reports.export.
    """
    require(user, "warnings.read")
    require(user, "reports.export")
    rb = resolve_rulebook(session, rb, f.rulebook)
    stmt = _sorted(_filtered(scoped_warnings(user, rb), f), f).limit(EXPORT_LIMIT)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("预警列表")
    head = book.add_format({"bold": True, "bg_color": "#e9eef6", "border": 1})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    for col, (title, width) in enumerate(EXPORT_COLUMNS):
        sheet.write_string(0, col, title, head)
        sheet.set_column(col, col, width)
    count = 0
    for w, e, state in session.execute(stmt):
        count += 1
        masked = mask_record({"contact_phone": e.contact_phone}, ENTERPRISE_PII, user)
        level = level_public(rb, w.level)
        clauses = "\n".join(f"{r['criterion']}：{r['text']}" for r in (w.reasons or []))
        values: list[Any] = [
            count,
            e.name,
            e.credit_code or "",
            e.township or "",
            e.industry or "",
            e.employees,
            masked["contact_phone"] or "",
            level.name if level else "",
            clauses,
            fmt_datetime(w.raised_at, with_time=False),
            w.as_of.isoformat() if w.as_of else "",
            _status(state)[1],
        ]
        for col, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, int):
                sheet.write_number(count, col, value)
            else:
                # write_string: a name starting with "=" must never become a formula.
                sheet.write_string(count, col, str(value), wrap if col == 8 else None)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(count, 1), len(EXPORT_COLUMNS) - 1)
    book.close()
    record_audit(
        session,
        "warnings.export",
        actor=user,
        object_type="warning_list",
        source=source,
        details={
            "rows": count,
            "rulebook": rb.name,
            "filter": f.query_args(page=None, page_size=None),
        },
    )
    return buffer.getvalue(), count
