"""Audit log views for the audit administrator: a filtered page, the chain check, Excel."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from typing import Any

import xlsxwriter
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from wagewatch.auth.models import AuditEntry, User
from wagewatch.auth.roles import find_role
from wagewatch.auth.service import (
    AUDIT_ACTIONS,
    AUDIT_COLUMNS,
    AUDIT_RESULTS,
    export_audit,
    require,
    verify_audit_chain,
)
from wagewatch.web.audit.schemas import AuditChoices, AuditFilter, AuditPage, AuditRow, ChainCheck
from wagewatch.web.common import china_day_start, fmt_value, to_china

__all__ = ["audit_choices", "check_chain", "export_audit_xlsx", "list_audit_page"]

_WIDTHS = {"at": 20, "details": 50, "prev_hash": 20, "hash": 20, "action_label": 18}


def _bounds(f: AuditFilter) -> tuple[datetime | None, datetime | None]:
    since = china_day_start(f.date_from) if f.date_from else None
    until = china_day_start(f.date_to + timedelta(days=1)) if f.date_to else None
    return since, until


def _filtered(f: AuditFilter) -> Select[AuditEntry]:
    # list_audit has no result filter and no count: the same query, with both, here.
    since, until = _bounds(f)
    stmt = select(AuditEntry)
    if since is not None:
        stmt = stmt.where(AuditEntry.at >= since)
    if until is not None:
        stmt = stmt.where(AuditEntry.at < until)
    if f.action:
        stmt = stmt.where(AuditEntry.action == f.action)
    if f.username:
        stmt = stmt.where(AuditEntry.username == f.username.strip().lower())
    if f.result:
        stmt = stmt.where(AuditEntry.result == f.result)
    return stmt


def _row(e: AuditEntry) -> AuditRow:
    role = find_role(e.role)
    return AuditRow(
        id=e.id,
        at=to_china(e.at).strftime("%Y-%m-%d %H:%M:%S"),
        username=e.username,
        role_label=role.label if role else (e.role or ""),
        action=e.action,
        action_label=AUDIT_ACTIONS.get(e.action, e.action),
        object_type=e.object_type,
        object_id=e.object_id,
        result=e.result,
        result_label=AUDIT_RESULTS.get(e.result, e.result),
        source=e.source,
        details=dict(e.details or {}),
        hash=e.hash,
    )


def list_audit_page(session: Session, user: User, f: AuditFilter) -> AuditPage:
    """A page of the filtered audit log, newest first (requires audit.read)."""
    require(user, "audit.read")
    stmt = _filtered(f)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    pages = max(1, -(-total // f.page_size))
    page = min(f.page, pages)
    rows = session.scalars(
        stmt.order_by(AuditEntry.id.desc()).limit(f.page_size).offset((page - 1) * f.page_size)
    )
    return AuditPage(
        items=[_row(e) for e in rows],
        total=total,
        page=page,
        page_size=f.page_size,
        pages=pages,
        filter=f.model_copy(update={"page": page}),
    )


def audit_choices(user: User) -> AuditChoices:
    """The actions and results the filter offers (requires audit.read)."""
    require(user, "audit.read")
    return AuditChoices(actions=dict(AUDIT_ACTIONS), results=dict(AUDIT_RESULTS))


def check_chain(session: Session, user: User) -> ChainCheck:
    """Verify the audit hash chain (requires audit.read): intact, or the first break."""
    require(user, "audit.read")
    broken = verify_audit_chain(session)
    if broken is None:
        return ChainCheck(
            intact=True, message="全部记录的哈希和前后链接校验通过，未发现修改或删除。"
        )
    where = f"第 {broken.entry_id} 条" if broken.entry_id is not None else "链头"
    return ChainCheck(
        intact=False,
        entry_id=broken.entry_id,
        message=f"{where}：{broken.reason}。",
    )


def _cell(value: Any) -> str:
    if isinstance(value, dict):
        return "；".join(f"{k}={fmt_value(v)}" for k, v in value.items())
    return fmt_value(value)


def export_audit_xlsx(
    session: Session, user: User, f: AuditFilter, *, source: str | None = None
) -> tuple[bytes, int]:
    """The filtered log as an .xlsx through `export_audit` (audited there); (bytes, rows).

    Requires audit.export. `export_audit` has no result filter: rows are filtered after it.
    """
    since, until = _bounds(f)
    username = f.username.strip().lower() if f.username else None
    rows = export_audit(
        session, user, since=since, until=until, action=f.action, username=username, source=source
    )
    if f.result:
        rows = [r for r in rows if r["result"] == f.result]
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("审计日志")
    head = book.add_format({"bold": True, "bg_color": "#e9eef6", "border": 1})
    for col, (key, title) in enumerate(AUDIT_COLUMNS.items()):
        sheet.write_string(0, col, title, head)
        sheet.set_column(col, col, _WIDTHS.get(key, 12))
    for n, row in enumerate(rows, start=1):
        for col, key in enumerate(AUDIT_COLUMNS):
            value = row.get(key)
            if key == "id" and isinstance(value, int):
                sheet.write_number(n, col, value)
            else:
                sheet.write_string(n, col, _cell(value))
    sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue(), len(rows)
