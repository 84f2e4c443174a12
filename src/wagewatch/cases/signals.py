"""Signals written by disposal work: a registered complaint, a visit's result, a payment.

Each is one row of the source catalogue written as a small CSV and imported through the same
`import_file` as any office's file, so it is validated, tied to its enterprise, stored in the
lake and counted by the facts engine exactly like imported rows.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from wagewatch.settings import Settings, get_settings
from wagewatch.signals.catalogue import get_kind
from wagewatch.signals.service import ImportResult, import_file

__all__ = ["SignalRejected", "record_signal"]


class SignalRejected(ValueError):
    """The form's row failed the source catalogue's validation: the problems, by field."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def record_signal(
    session: Session,
    kind: str,
    values: Mapping[str, Any],
    *,
    label: str,
    imported_by: str,
    settings: Settings | None = None,
) -> ImportResult:
    """Import one row of `kind` (catalogue keys → values) as its own batch named `label`."""
    src = get_kind(kind)
    unknown = sorted(set(values) - {c.key for c in src.columns})
    if unknown:
        raise ValueError(f"{src.title} 没有这些字段：{', '.join(unknown)}")
    with tempfile.TemporaryDirectory(prefix="wagewatch-form-") as tmp:
        path = Path(tmp) / f"{label}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow([c.header for c in src.columns])
            writer.writerow([_cell(values.get(c.key)) for c in src.columns])
        result = import_file(
            session,
            path,
            kind=kind,
            imported_by=imported_by,
            settings=settings or get_settings(),
            display_name=f"{label}.csv",
        )
    if result.errors or result.status != "imported":
        problems = [f"{e.column_header}：{e.reason}" for e in result.errors] or [
            result.message or "记录未能保存。"
        ]
        raise SignalRejected(problems)
    return result
