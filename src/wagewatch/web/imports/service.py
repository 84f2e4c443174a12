"""Import through the web: the same `import_file` as the command line, then re-grading."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from wagewatch.alerts.service import CHANGE_NAMES
from wagewatch.auth.masking import mask_text
from wagewatch.auth.models import User
from wagewatch.auth.roles import Scope
from wagewatch.auth.service import (
    PermissionDenied,
    can,
    record_audit,
    register_audit_action,
    require,
    role_of,
)
from wagewatch.cases.service import regrade
from wagewatch.rules.model import Rulebook
from wagewatch.settings import Settings
from wagewatch.signals._text import header_keys
from wagewatch.signals.catalogue import SourceKind, UnknownKindError, get_kind, kinds
from wagewatch.signals.models import ImportBatch
from wagewatch.signals.readers import KindDetectionError, ReadError
from wagewatch.signals.service import import_file
from wagewatch.web.common import CHINA, NotFound
from wagewatch.web.imports.schemas import (
    ImportBatchPublic,
    ImportSummary,
    KindChoice,
    RowErrorPublic,
)

__all__ = [
    "ERRORS_SHOWN",
    "STATUS_LABELS",
    "kind_choices",
    "list_batches",
    "rejected_file",
    "run_import",
]

ERRORS_SHOWN = 200
STATUS_LABELS = {"imported": "已导入", "duplicate": "重复文件，未做更改", "failed": "未导入"}

register_audit_action("imports.create", "导入数据文件")
register_audit_action("imports.rejected_download", "下载导入退回文件")


def _may_list(user: User) -> None:
    if not (can(user, "imports.create") or can(user, "warnings.read")):
        require(user, "imports.create")


def kind_choices() -> list[KindChoice]:
    """The source kinds a file can be imported as."""
    return [KindChoice(key=k.key, title=k.title, description=k.description) for k in kinds()]


def _kind_title(kind: str) -> str:
    try:
        return get_kind(kind).title
    except UnknownKindError:
        return kind


def _rejected_url(batch: ImportBatch) -> str | None:
    return f"/imports/{batch.id}/rejected" if batch.rejected_path else None


def list_batches(session: Session, user: User, *, limit: int = 50) -> list[ImportBatchPublic]:
    """Past batches, newest first: all for district-wide roles, one's own for the others."""
    _may_list(user)
    stmt = select(ImportBatch).order_by(ImportBatch.imported_at.desc(), ImportBatch.id.desc())
    role = role_of(user)
    if role is None or role.scope is not Scope.DISTRICT:
        # A batch may hold rows about any township: a scoped user sees only their own uploads.
        stmt = stmt.where(ImportBatch.imported_by == user.username)
    batches = list(session.scalars(stmt.limit(limit)))
    names = {
        u.username: u.display_name
        for u in session.scalars(
            select(User).where(User.username.in_({b.imported_by for b in batches}))
        )
    }
    return [
        ImportBatchPublic(
            id=b.id,
            kind=b.kind,
            kind_title=_kind_title(b.kind),
            file_name=b.file_name,
            rows_in=b.rows_in,
            rows_imported=b.rows_imported,
            rows_rejected=b.rows_rejected,
            rows_review=b.rows_review or 0,
            enterprises_created=b.enterprises_created or 0,
            imported_by=b.imported_by,
            imported_by_name=names.get(b.imported_by, b.imported_by),
            imported_at=b.imported_at,
            rejected_url=_rejected_url(b) if _may_download(user, b) else None,
        )
        for b in batches
    ]


def _pii_headers(kind: SourceKind | None) -> frozenset[str]:
    if kind is None:
        return frozenset()
    keys = {c.key for c in kind.pii_columns()}
    return frozenset(token for token, key in kind.header_index.items() if key in keys)


def _is_pii(header: str, pii: frozenset[str]) -> bool:
    return any(token in pii for token in header_keys(header))


def _shown(value: str, header: str, pii: frozenset[str], clear: bool) -> str:
    if clear or not _is_pii(header, pii):
        return value
    return mask_text(value) or ""


def _failed(file: str, kind: str | None, message: str) -> ImportSummary:
    return ImportSummary(
        status="failed",
        status_label=STATUS_LABELS["failed"],
        message=message,
        file=file,
        kind=kind,
        kind_title=_kind_title(kind) if kind else None,
        batch_id=None,
        rows_in=0,
        imported=0,
        rejected=0,
        review=0,
        duplicates=0,
        enterprises_created=0,
        errors=[],
        errors_total=0,
        rejected_url=None,
        regraded=0,
        changes={},
    )


def run_import(
    session: Session,
    user: User,
    rb: Rulebook,
    path: Path,
    *,
    kind: str | None,
    display_name: str,
    settings: Settings,
    source: str | None = None,
) -> ImportSummary:
    """Import one uploaded file as one batch and re-grade the enterprises it touched.

    Requires imports.create. The request's unit of work commits the batch and the grades
    together; a file that cannot be read changes nothing but the audit log.
    """
    require(user, "imports.create")
    kind = kind or None
    try:
        src_kind = get_kind(kind) if kind else None
        result = import_file(
            session,
            path,
            kind=kind,
            imported_by=user.username,
            settings=settings,
            display_name=display_name,
        )
    except (ReadError, KindDetectionError, UnknownKindError) as exc:
        summary = _failed(display_name, kind, str(exc))
    else:
        src_kind = src_kind or get_kind(result.kind)
        regraded, changes = 0, {}
        if result.status == "imported" and result.touched:
            today = datetime.now(CHINA).date()
            evaluation, _ = regrade(session, rb, today, result.touched)
            regraded = evaluation.graded
            changes = {CHANGE_NAMES[k]: v for k, v in evaluation.changes.items() if v}
        pii = _pii_headers(src_kind)
        clear = can(user, "pii.unmask")
        errors = [
            RowErrorPublic(
                row=e.row,
                column=e.column_header,
                value=_shown(e.value, e.column_header, pii, clear),
                reason=e.reason,
            )
            for e in result.errors[:ERRORS_SHOWN]
        ]
        message = result.message
        if not message and result.status == "imported":
            message = f"已导入批次 {result.batch_id}。"
        summary = ImportSummary(
            status=result.status,
            status_label=STATUS_LABELS.get(result.status, result.status),
            message=message,
            file=result.file,
            kind=result.kind,
            kind_title=result.kind_title,
            batch_id=result.batch_id,
            rows_in=result.rows_in,
            imported=result.imported,
            rejected=result.rejected,
            review=result.review,
            duplicates=result.duplicates,
            enterprises_created=result.enterprises_created,
            errors=errors,
            errors_total=len(result.errors),
            rejected_url=(f"/imports/{result.batch_id}/rejected" if result.rejected_path else None),
            regraded=regraded,
            changes=changes,
        )
    record_audit(
        session,
        "imports.create",
        actor=user,
        result="success" if summary.status == "imported" else "failure",
        object_type="import_batch",
        object_id=summary.batch_id,
        source=source,
        details={
            "file": display_name,
            "kind": summary.kind,
            "status": summary.status,
            "rows_in": summary.rows_in,
            "imported": summary.imported,
            "rejected": summary.rejected,
        },
    )
    return summary


def _may_download(user: User, batch: ImportBatch) -> bool:
    # The rejected rows are the file's own rows in clear: for the person who uploaded them,
    # or a district-wide role allowed to read personal data.
    if batch.imported_by == user.username:
        return True
    role = role_of(user)
    return role is not None and role.scope is Scope.DISTRICT and can(user, "pii.unmask")


def rejected_file(
    session: Session, user: User, batch_id: int, settings: Settings, *, source: str | None = None
) -> Path:
    """The rejected-rows file of a batch (its importer, or district roles with pii.unmask)."""
    _may_list(user)
    batch = session.get(ImportBatch, batch_id)
    if batch is None or not batch.rejected_path:
        raise NotFound("该批次没有退回文件。")
    if not _may_download(user, batch):
        raise PermissionDenied("退回文件含原始记录，只有导入人本人可以下载。", user=user)
    path = Path(batch.rejected_path).resolve()
    root = settings.rejected_dir.resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise NotFound("退回文件已不存在。")
    record_audit(
        session,
        "imports.rejected_download",
        actor=user,
        object_type="import_batch",
        object_id=batch.id,
        source=source,
        details={"file": path.name},
    )
    return path
