"""The enterprise file: scope checked before anything is read, personal data masked."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pyarrow.dataset as ds
from sqlalchemy import select
from sqlalchemy.orm import Session

from wagewatch.alerts.models import Warning, WarningChange
from wagewatch.alerts.service import CHANGE_NAMES
from wagewatch.auth.masking import UnmaskRequest, mask_record
from wagewatch.auth.models import OrgUnit, User
from wagewatch.auth.service import can, require, require_in_scope
from wagewatch.cases.models import Case
from wagewatch.cases.service import STATES, case_scope_filter
from wagewatch.enterprises.models import Enterprise
from wagewatch.facts.sources import sources_of
from wagewatch.rules.model import Rulebook
from wagewatch.rules.vocabulary import FACTS
from wagewatch.signals.catalogue import UnknownKindError, get_kind
from wagewatch.signals.catalogue import kinds as catalogue_kinds
from wagewatch.signals.lake import lake_index
from wagewatch.signals.models import ImportBatch, ReviewItem
from wagewatch.web.alerts.service import ENTERPRISE_PII
from wagewatch.web.common import NotFound, fmt_value
from wagewatch.web.enterprises.schemas import (
    CaseBrief,
    EnterpriseFile,
    EnterprisePublic,
    FactPublic,
    FactSource,
    HistoryEntry,
    SourceKindCount,
    SourceRow,
    WarningDetail,
)
from wagewatch.web.rules.service import action_public, level_public, reasons_public

__all__ = [
    "OFFICE_COLUMNS",
    "SOURCE_LIMIT",
    "enterprise_file",
    "facts_public",
    "load_enterprise",
    "parse_kinds",
    "source_rows",
]

SOURCE_LIMIT = 200
_FACT_ORDER = {name: i for i, name in enumerate(FACTS)}
# A row's own "which office" column, where its kind has one (first found wins).
OFFICE_COLUMNS = ("source_office", "deciding_office", "channel")


def load_enterprise(session: Session, user: User, enterprise_id: int) -> Enterprise:
    """The enterprise, if it exists and is within the user's scope (NotFound / PermissionDenied)."""
    require(user, "enterprises.read")
    ent = session.get(Enterprise, enterprise_id)
    if ent is None:
        raise NotFound("企业不存在。")
    require_in_scope(user, ent)
    return ent


def facts_public(
    facts: dict[str, Any],
    counts: dict[str, int] | None = None,
    link: str | None = None,
) -> list[FactPublic]:
    """A facts snapshot with Chinese labels, in the vocabulary's order, each with the source
    kinds that feed it and (given `counts`, rows per kind) the enterprise's rows of those.

    `link` is the enterprise file's path: each fact links to its source rows there.
    """
    out = []
    for name in sorted(facts, key=lambda n: (_FACT_ORDER.get(n, 999), n)):
        fact = FACTS.get(name)
        value = facts[name]
        if fact is not None and fact.name == "manual_level" and not value:
            continue
        raw = value if isinstance(value, bool | int | float | str) or value is None else str(value)
        fed_by = sources_of(name)
        sources = [
            FactSource(kind=k, title=_kind_title(k), rows=(counts or {}).get(k, 0)) for k in fed_by
        ]
        out.append(
            FactPublic(
                name=name,
                label=fact.label if fact else name,
                value=fmt_value(value),
                raw=raw,
                sources=sources,
                source_rows=sum(x.rows for x in sources),
                sources_link=_kinds_link(link, fed_by) if link and fed_by else None,
            )
        )
    return out


def _kinds_link(path: str, fed_by: Iterable[str]) -> str:
    return f"{path}?kinds={quote(','.join(fed_by), safe=',')}#sources"


def parse_kinds(values: Iterable[str] | None) -> list[str]:
    """`?kinds=a,b&kinds=c` as catalogue kinds in the catalogue's order (unknown ones dropped)."""
    asked = {k.strip() for v in values or () for k in v.split(",") if k.strip()}
    return [k.key for k in catalogue_kinds() if k.key in asked]


def _kind_counts(counts: dict[str, int]) -> list[SourceKindCount]:
    order = {k.key: i for i, k in enumerate(catalogue_kinds())}
    return [
        SourceKindCount(kind=k, title=_kind_title(k), rows=n)
        for k, n in sorted(counts.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))
    ]


def _date_column(kind: str) -> str | None:
    try:
        columns = get_kind(kind).columns
    except UnknownKindError:
        return None
    for col in columns:
        if col.type in ("date", "month"):
            return col.key
    return None


def _kind_title(kind: str) -> str:
    try:
        return get_kind(kind).title
    except UnknownKindError:
        return kind


def _all_source_rows(
    session: Session, enterprise_id: int
) -> tuple[list[SourceRow], dict[int, Any]]:
    """Every committed lake row about the enterprise (newest first), and the batches read."""
    # only the columns needed: whole batch rows (with their JSON summaries) cost more than
    # everything else on this page once a district has hundreds of files
    batches = {
        b.id: b
        for b in session.execute(
            select(
                ImportBatch.id,
                ImportBatch.kind,
                ImportBatch.file_name,
                ImportBatch.lake_path,
                ImportBatch.imported_at,
                ImportBatch.imported_by,
            ).where(ImportBatch.lake_path.is_not(None))
        )
    }
    by_kind: dict[str, list[Any]] = defaultdict(list)
    for b in batches.values():
        by_kind[b.kind].append(b)
    # Rows an officer tied to this enterprise in the review queue.
    resolved: dict[int, set[int]] = defaultdict(set)
    for batch_id, row_no in session.execute(
        select(ReviewItem.batch_id, ReviewItem.row_no).where(
            ReviewItem.enterprise_id == enterprise_id, ReviewItem.status == "resolved"
        )
    ):
        resolved[batch_id].add(row_no)
    found: list[SourceRow] = []

    def add(kind: str, batch_id: int, row_no: int, method: str | None, day: object) -> None:
        batch = batches[int(batch_id)]
        found.append(
            SourceRow(
                batch_id=batch.id,
                file_name=batch.file_name,
                kind=kind,
                kind_title=_kind_title(kind),
                row_no=int(row_no),
                date=day if isinstance(day, date) else None,
                imported_at=batch.imported_at,
                match_method=method,
            )
        )

    index = lake_index()
    for kind, kind_batches in by_kind.items():
        date_col = _date_column(kind)
        pairs = [(b.id, str(b.lake_path)) for b in kind_batches]
        for r in index.rows(kind, pairs, enterprise_id, date_col):
            add(kind, r["batch_id"], r["row_no"], r["match_method"], r["date"])
        # rows an officer tied to this enterprise in review: read from their own batch files
        for b in kind_batches:
            rows = resolved.get(b.id)
            if not rows or not Path(b.lake_path).is_file():
                continue
            columns = ["batch_id", "row_no", "match_method"] + ([date_col] if date_col else [])
            table = ds.dataset(str(b.lake_path), format="parquet").to_table(
                columns=columns, filter=ds.field("row_no").isin(sorted(rows))
            )
            for r in table.to_pylist():
                add(kind, r["batch_id"], r["row_no"], r["match_method"], r.get(date_col or ""))
    found.sort(key=lambda r: (r.date or date.min, r.batch_id, r.row_no), reverse=True)
    return found, batches


def _office_column(kind: str) -> tuple[str, dict[str, str]] | None:
    """The kind's own office column, and its enum labels (channel codes → 12345热线 …)."""
    try:
        source = get_kind(kind)
    except UnknownKindError:
        return None
    for key in OFFICE_COLUMNS:
        for col in source.columns:
            if col.key == key:
                return key, {c.value: c.label for c in col.choices}
    return None


def _add_offices(session: Session, rows: list[SourceRow], batches: dict[int, Any]) -> None:
    """Fill each row's office: its own office column where the kind has one and it is
    filled, else the unit of the user who imported the file."""
    importers = {str(batches[r.batch_id].imported_by) for r in rows}
    units = {
        str(name): str(unit)
        for name, unit in session.execute(
            select(User.username, OrgUnit.name)
            .join(OrgUnit, User.org_unit_id == OrgUnit.id)
            .where(User.username.in_(importers))
        )
    }
    wanted: dict[int, set[int]] = defaultdict(set)
    for r in rows:
        if _office_column(r.kind) is not None:
            wanted[r.batch_id].add(r.row_no)
    own: dict[tuple[int, int], str] = {}
    for batch_id, row_nos in wanted.items():
        batch = batches[batch_id]
        office = _office_column(str(batch.kind))
        if office is None or not Path(batch.lake_path).is_file():
            continue
        key, labels = office
        table = ds.dataset(str(batch.lake_path), format="parquet").to_table(
            columns=["row_no", key], filter=ds.field("row_no").isin(sorted(row_nos))
        )
        for r in table.to_pylist():
            if r[key]:
                own[(batch_id, int(r["row_no"]))] = labels.get(r[key], str(r[key]))
    for r in rows:
        mine = own.get((r.batch_id, r.row_no))
        r.office = mine or units.get(str(batches[r.batch_id].imported_by))
        r.office_from_row = mine is not None


def source_rows(
    session: Session, enterprise_id: int, kinds: Collection[str] | None = None
) -> tuple[list[SourceRow], bool]:
    """The committed lake rows about the enterprise (newest first; only these kinds when
    given), with their offices, and whether cut short."""
    found, batches = _all_source_rows(session, enterprise_id)
    if kinds:
        found = [r for r in found if r.kind in kinds]
    shown = found[:SOURCE_LIMIT]
    _add_offices(session, shown, batches)
    return shown, len(found) > SOURCE_LIMIT


def enterprise_file(
    session: Session,
    user: User,
    rb: Rulebook,
    enterprise_id: int,
    *,
    unmask_reason: str | None = None,
    source: str | None = None,
    kinds: Collection[str] | None = None,
) -> EnterpriseFile:
    """The enterprise file; with `unmask_reason` the personal fields are read in clear (audited).

    Each fact names the source kinds behind it, with the enterprise's rows of those kinds;
    `kinds` narrows the source-rows table to those kinds.
    Requires enterprises.read and the enterprise within scope; unmasking requires pii.unmask.
    """
    ent = load_enterprise(session, user, enterprise_id)
    request = None
    if unmask_reason is not None:
        require(user, "pii.unmask")
        request = UnmaskRequest(
            session, unmask_reason, object_type="enterprise", object_id=ent.id, source=source
        )
    # "enterprise" lets the unmasking check the scope of the record it reads.
    record = {"id": ent.id, "enterprise": ent, "contact_phone": ent.contact_phone}
    shown = mask_record(record, ENTERPRISE_PII, user, unmask_request=request)
    public = EnterprisePublic(
        id=ent.id,
        name=ent.name,
        credit_code=ent.credit_code,
        code_checksum_ok=bool(ent.code_checksum_ok),
        township=ent.township,
        industry=ent.industry,
        employees=ent.employees,
        legal_representative=ent.legal_representative,
        contact_phone=shown["contact_phone"],
        address=ent.address,
        outsourcing=ent.outsourcing,
        pii_clear=request is not None and ent.contact_phone is not None,
    )
    every_row, batches = _all_source_rows(session, ent.id)
    counts = Counter(r.kind for r in every_row)
    chosen = parse_kinds(kinds)
    listed = [r for r in every_row if r.kind in chosen] if chosen else every_row
    sources = listed[:SOURCE_LIMIT]
    _add_offices(session, sources, batches)
    w = session.scalar(
        select(Warning).where(Warning.rulebook == rb.name, Warning.enterprise_id == ent.id)
    )
    detail = None
    history: list[HistoryEntry] = []
    if w is not None:
        level = level_public(rb, w.level)
        if level is not None:
            detail = WarningDetail(
                level=level,
                reasons=reasons_public(rb, w.reasons or []),
                also_matched=reasons_public(rb, w.also_matched or []),
                actions=[action_public(a) for a in rb.actions_for(w.level)],
                facts=facts_public(w.facts or {}, counts, f"/enterprises/{ent.id}"),
                rulebook_version=w.rulebook_version,
                as_of=w.as_of,
                raised_at=w.raised_at,
                updated_at=w.updated_at,
            )
        changes = session.scalars(
            select(WarningChange)
            .where(WarningChange.warning_id == w.id)
            .order_by(WarningChange.created_at.desc(), WarningChange.id.desc())
        )
        history = [
            HistoryEntry(
                at=c.created_at,
                as_of=c.as_of,
                change=c.change,
                change_name=CHANGE_NAMES.get(c.change, c.change),
                old_level=level_public(rb, c.old_level),
                new_level=level_public(rb, c.new_level),
                reasons=reasons_public(rb, c.reasons or []),
                rulebook_version=c.rulebook_version,
            )
            for c in changes
        ]
    briefs: list[CaseBrief] = []
    if can(user, "cases.read"):
        found = session.scalars(
            select(Case)
            .where(Case.enterprise_id == ent.id, case_scope_filter(user))
            .order_by(Case.id.desc())
        ).all()
        units = {
            u.id: u.name
            for u in session.scalars(
                select(OrgUnit).where(OrgUnit.id.in_({c.lead_unit_id for c in found}))
            )
        }
        briefs = [
            CaseBrief(
                id=c.id,
                rulebook=c.rulebook,
                level_name=c.level_name,
                state=c.state,
                state_label=STATES.get(c.state, c.state),
                lead_unit=units.get(c.lead_unit_id or 0, ""),
                open_tasks=sum(1 for t in c.tasks if t.status == "open"),
                opened_at=c.opened_at,
                closed_at=c.closed_at,
            )
            for c in found
        ]
    return EnterpriseFile(
        cases=briefs,
        enterprise=public,
        warning=detail,
        history=history,
        sources=sources,
        sources_truncated=len(listed) > SOURCE_LIMIT,
        source_kinds=_kind_counts(counts),
        sources_filter=[
            SourceKindCount(kind=k, title=_kind_title(k), rows=counts[k]) for k in chosen
        ],
        can_unmask=can(user, "pii.unmask") and ent.contact_phone is not None,
    )
