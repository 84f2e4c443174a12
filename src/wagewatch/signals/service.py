"""Import: one file becomes one committed batch, or nothing changes.

read → validate (bad rows kept with file, row, column and reason) → resolve each row to an
enterprise (or to the review queue) → read complaint text → write the Parquet batch → commit
the batch row. Importing the same file again changes nothing (content hash). Exact duplicate
rows inside a file are imported but marked (`duplicate_of`), so they are counted once.
Corrections follow one rule, documented in docs/sources.md: for monthly lists the newest
batch wins per enterprise and month; events are kept, deduplicated by their ticket numbers.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.orm import Session

from wagewatch.enterprises import uscc
from wagewatch.enterprises.matching import Resolver
from wagewatch.enterprises.models import Enterprise, EnterpriseAlias
from wagewatch.enterprises.names import normalise_name
from wagewatch.settings import Settings, get_settings
from wagewatch.signals.catalogue import SourceKind, get_kind
from wagewatch.signals.lake import arrow_schema, batch_path, write_batch
from wagewatch.signals.models import ImportBatch, ReviewItem
from wagewatch.signals.readers import detect_kind, open_source, paused_gc
from wagewatch.signals.validate import (
    HeaderError,
    RowError,
    Validator,
    iter_validated,
    write_rejected,
)

__all__ = ["ImportResult", "Progress", "file_hash", "import_file", "registry_resolver"]

Progress = Callable[[str, int], None]

REGISTRY_FIELDS = (
    "township",
    "industry",
    "employees",
    "legal_representative",
    "contact_phone",
    "address",
    "outsourcing",
)


@dataclass
class ImportResult:
    """What an import did, in numbers an office can check: rows in = imported + rejected."""

    file: str
    kind: str
    kind_title: str
    status: str  # imported | duplicate | failed
    batch_id: int | None = None
    rows_in: int = 0
    imported: int = 0
    rejected: int = 0
    review: int = 0
    duplicates: int = 0
    enterprises_created: int = 0
    enterprises_updated: int = 0
    extracted: int = 0
    encoding: str | None = None
    unmatched_headers: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rejected_path: str | None = None
    touched: set[int] = field(default_factory=set)
    seconds: float = 0.0
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly summary (errors limited to the first 50)."""
        return {
            "file": self.file,
            "kind": self.kind,
            "kind_title": self.kind_title,
            "status": self.status,
            "batch_id": self.batch_id,
            "rows_in": self.rows_in,
            "imported": self.imported,
            "rejected": self.rejected,
            "review": self.review,
            "duplicates": self.duplicates,
            "enterprises_created": self.enterprises_created,
            "enterprises_updated": self.enterprises_updated,
            "extracted": self.extracted,
            "encoding": self.encoding,
            "unmatched_headers": self.unmatched_headers,
            "rejected_path": self.rejected_path,
            "message": self.message,
            "errors": [
                {"row": e.row, "column": e.column_header, "value": e.value, "reason": e.reason}
                for e in self.errors[:50]
            ],
        }


def file_hash(path: Path) -> str:
    """SHA-256 of a file's bytes (the identity of an import)."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


_RESOLVER_CACHE: dict[tuple[str, int, Any], tuple[Resolver, dict[str, int]]] = {}


def registry_resolver(session: Session) -> tuple[Resolver, dict[str, int]]:
    """A resolver over the registry, and confirmed aliases (normalised name → enterprise).

    Built once per registry state: rebuilding it for every file of a 1-million-enterprise
    registry would cost more than the import.
    """
    count, latest = session.execute(
        select(func.count(Enterprise.id), func.max(Enterprise.updated_at))
    ).one()
    alias_count = session.scalar(select(func.count(EnterpriseAlias.id))) or 0
    bind = session.get_bind()
    url = str(bind.url) if isinstance(bind, Engine) else str(bind.engine.url)
    key = (url, int(count) + 1_000_000 * alias_count, latest)
    hit = _RESOLVER_CACHE.get(key)
    if hit is not None:
        return hit
    rows = session.execute(select(Enterprise.id, Enterprise.credit_code, Enterprise.name)).all()
    resolver = Resolver(
        ((r[0], r[1], r[2]) for r in rows), fuzzy_threshold=get_settings().fuzzy_threshold
    )
    aliases = {a.name_norm: a.enterprise_id for a in session.scalars(select(EnterpriseAlias))}
    _RESOLVER_CACHE.clear()
    _RESOLVER_CACHE[key] = (resolver, aliases)
    return resolver, aliases


def _mark_duplicates(columns: Mapping[str, Any], row_numbers: Sequence[int]) -> list[int | None]:
    """For each row, the row number it exactly repeats (None for a first occurrence).

    `columns` holds lists of values, Arrow arrays (typed as the lake stores them) or NumPy
    arrays of codes already computed (equal values, equal codes; no nulls).
    """
    n = len(row_numbers)
    if n == 0:
        return []
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    # Each column becomes small integer codes (equal values, equal codes; null its own code),
    # the codes of a row are folded into one key, and np.unique finds each key's first row.
    key = np.zeros(n, dtype=np.int64)
    span = 1
    for values in columns.values():
        if isinstance(values, np.ndarray):
            codes = values.astype(np.int64)
            size = int(codes.max()) + 1
            if span * size >= 2**62:
                _, key = np.unique(key, return_inverse=True)
                span = int(key.max()) + 1
            key = key * size + codes
            span *= size
            continue
        if isinstance(values, pa.Array):
            arr = values
        else:
            try:
                arr = pa.array(values)
            except (pa.ArrowInvalid, pa.ArrowTypeError):
                arr = pa.array([None if v is None else repr(v) for v in values], pa.string())
        if arr.null_count == n:
            continue
        encoded = pc.dictionary_encode(arr)
        size = len(encoded.dictionary) + 1
        codes = encoded.indices.to_numpy(zero_copy_only=False)
        if arr.null_count:
            codes = np.where(encoded.is_null().to_numpy(zero_copy_only=False), 0, codes + 1)
        else:
            codes = codes.astype(np.int64) + 1
        if span * size >= 2**62:  # fold the key so far into dense codes before it overflows
            _, key = np.unique(key, return_inverse=True)
            span = int(key.max()) + 1
        key = key * size + codes
        span *= size
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    origin = first[inverse]
    positions = np.arange(n)
    if bool((origin == positions).all()):
        return [None] * n
    numbers = np.asarray(row_numbers, dtype=np.int64)
    out: list[int | None] = [None] * n
    for i in np.flatnonzero(origin != positions).tolist():
        out[i] = int(numbers[origin[i]])
    return out


def _upsert_registry(
    session: Session,
    columns: Mapping[str, list[Any]],
    n: int,
    batch_id: int,
    result: ImportResult,
) -> list[int]:
    """Create or update registry entries from an `enterprises` file; return their ids."""
    resolver, aliases = registry_resolver(session)
    codes = columns.get("credit_code", [None] * n)
    names = columns.get("enterprise_name", [None] * n)
    resolutions = resolver.resolve_many(codes, names)
    ids: list[int] = []
    new_rows: dict[str, dict[str, Any]] = {}
    updates: dict[int, dict[str, Any]] = {}
    pending_new: list[tuple[int, str]] = []
    for i, res in enumerate(resolutions):
        info = uscc.parse(codes[i]) if codes[i] else None
        code = info.normalised if info and info.valid_format else None
        name = names[i] or (code or "")
        values = {
            f: columns[f][i] for f in REGISTRY_FIELDS if f in columns and columns[f][i] is not None
        }
        eid = res.enterprise_id if res.method in ("code", "code_flagged", "name") else None
        if eid is None and name:
            eid = aliases.get(normalise_name(name))
        if eid is not None:
            updates.setdefault(int(eid), {"id": int(eid)}).update(values, name=name)
            ids.append(int(eid))
            continue
        key = code or normalise_name(name)
        row = new_rows.setdefault(
            key,
            {
                "credit_code": code,
                "code_checksum_ok": bool(info.checksum_ok) if info else True,
                "name": name,
                "name_norm": normalise_name(name),
                "source_batch_id": batch_id,
            },
        )
        row.update(values)
        pending_new.append((len(ids), key))
        ids.append(-1)
    if new_rows:
        keys = list(new_rows)
        created = (
            session.execute(
                insert(Enterprise).returning(Enterprise.id, sort_by_parameter_order=True),
                [new_rows[k] for k in keys],
            )
            .scalars()
            .all()
        )
        by_key = dict(zip(keys, created, strict=True))
        for pos, key in pending_new:
            ids[pos] = int(by_key[key])
        result.enterprises_created = len(created)
    if updates:
        session.execute(update(Enterprise), list(updates.values()))
        result.enterprises_updated = len(updates)
    return ids


def _distinct_pairs(
    codes: Sequence[Any], names: Sequence[Any], typed: Mapping[str, Any] | None = None
) -> tuple[list[Any], list[Any], Any]:
    """The distinct (code, name) pairs of a file and, for each row, the index of its pair.

    `typed` may hold the same columns as Arrow arrays (`credit_code`, `enterprise_name`).
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(codes)
    typed = typed or {}
    try:
        code_arr = typed.get("credit_code")
        if not isinstance(code_arr, pa.StringArray) or len(code_arr) != n:
            code_arr = pa.array(codes, pa.string())
        name_arr = typed.get("enterprise_name")
        if not isinstance(name_arr, pa.StringArray) or len(name_arr) != n:
            name_arr = pa.array(names, pa.string())
        # the data buffers hold every value (a sliced array's extra bytes only err on the
        # safe side)
        clash = any(
            a.null_count < len(a)
            and (b"\x1f" in (data := a.buffers()[2].to_pybytes()) or b"\x00" in data)
            for a in (code_arr, name_arr)
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        clash = True
    if clash:
        seen: dict[tuple[Any, Any], int] = {}
        index = [seen.setdefault((c, m), len(seen)) for c, m in zip(codes, names, strict=True)]
        pairs = list(seen)
        return [c for c, _ in pairs], [m for _, m in pairs], np.asarray(index, dtype=np.int64)
    # null and "" must stay apart: the separator cannot occur in a cell, "\x00" marks a null
    joined = pc.binary_join_element_wise(
        pc.fill_null(code_arr, "\x00"), pc.fill_null(name_arr, "\x00"), "\x1f"
    )
    encoded = pc.dictionary_encode(joined)
    index = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    # dictionary codes are numbered in order of first appearance: a row whose code exceeds
    # every code before it is its pair's first row
    seen_max = np.maximum.accumulate(index)
    fresh = np.ones(n, dtype=bool)
    fresh[1:] = index[1:] > seen_max[:-1]
    rows = np.flatnonzero(fresh).tolist()
    if len(rows) != len(encoded.dictionary) or not (index[rows] == np.arange(len(rows))).all():
        first = np.full(len(encoded.dictionary), n, dtype=np.int64)
        np.minimum.at(first, index, np.arange(n, dtype=np.int64))
        rows = first.tolist()
    return [codes[i] for i in rows], [names[i] for i in rows], index


def _resolve_rows(
    session: Session,
    columns: Mapping[str, list[Any]],
    row_numbers: Sequence[int],
    batch_id: int,
    result: ImportResult,
    typed: Mapping[str, Any] | None = None,
    pairs: tuple[list[Any], list[Any], Any] | None = None,
) -> tuple[Any, Any]:
    """Resolve every row to an enterprise; each distinct (code, name) pair is resolved once.

    `pairs` is what `_distinct_pairs` returns for these rows, when the caller has it.
    Returns the enterprise id (null: for review) and match method of every row, as Arrow
    arrays.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    resolver, aliases = registry_resolver(session)
    n = len(row_numbers)
    codes = columns.get("credit_code", [None] * n)
    names = columns.get("enterprise_name", [None] * n)
    if n == 0:
        return pa.array([], pa.int64()), pa.array([], pa.string())
    pair_codes, pair_names, index = pairs or _distinct_pairs(codes, names, typed)
    # Pairs carrying a registry code exactly are settled at Arrow speed; the rest one by one.
    try:
        exact = resolver.exact_code_rows(
            pa.array(pair_codes, pa.string()), pa.array(pair_names, pa.string())
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # cells that are not text
        exact = np.full(len(pair_codes), -1, dtype=np.int64)
    rest = np.flatnonzero(exact < 0).tolist()
    resolved = dict(
        zip(
            rest,
            resolver.resolve_many([pair_codes[i] for i in rest], [pair_names[i] for i in rest]),
            strict=True,
        )
    )
    pair_ids: list[int | None] = []
    pair_methods: list[str] = []
    for p, entry in enumerate(exact.tolist()):
        if entry >= 0:
            pair_ids.append(int(resolver.entry_id(entry)))
            pair_methods.append(resolver.entry_method(entry))
            continue
        res, name = resolved[p], pair_names[p]
        eid = res.enterprise_id if res.matched else None
        method: str = res.method
        if eid is None and name:
            alias = aliases.get(normalise_name(str(name)))
            if alias is not None:
                eid, method = alias, "alias"
        if eid is None:
            method = "review"
        pair_ids.append(int(eid) if eid is not None else None)
        pair_methods.append(method)
    taken = pa.array(index, pa.int64())
    ids = pa.array(pair_ids, pa.int64()).take(taken)
    methods = pa.array(pair_methods, pa.string()).take(taken)
    reviews: list[dict[str, Any]] = []
    if None in pair_ids:
        for i in pc.indices_nonzero(ids.is_null()).to_pylist():
            res = resolved[int(index[i])]
            reviews.append(
                {
                    "batch_id": batch_id,
                    "row_no": row_numbers[i],
                    "credit_code": codes[i],
                    "name": names[i],
                    "reason": res.reason or "名录中未找到对应企业",
                    "candidates": [
                        {
                            "enterprise_id": c.enterprise_id,
                            "name": c.name,
                            "score": round(c.score, 1),
                        }
                        for c in res.candidates
                    ],
                    "best_score": res.candidates[0].score if res.candidates else None,
                    "status": "pending",
                }
            )
    if reviews:
        session.execute(insert(ReviewItem), reviews)
    result.review = len(reviews)
    return ids, methods


def _extract_complaints(columns: dict[str, list[Any]], n: int) -> dict[str, list[Any]]:
    """Fill months / workers / amount a ticket left blank from its text, keeping the evidence."""
    from decimal import Decimal

    from wagewatch.extract import extract

    texts = columns.get("text", [None] * n)
    extra: dict[str, list[Any]] = {
        "is_wage_arrears": [None] * n,
        "flags": [None] * n,
        "extracted_fields": [None] * n,
        "extract_evidence": [None] * n,
    }
    targets = (("months_owed", "months_owed"), ("workers", "workers"), ("amount", "amount_yuan"))
    for i in range(n):
        text = texts[i]
        if not text:
            continue
        x = extract(str(text))
        filled: list[str] = []
        for col, field_name in targets:
            value = getattr(x, field_name)
            if col in columns and columns[col][i] is None and value is not None:
                columns[col][i] = (
                    value if col == "workers" else Decimal(str(value)).quantize(Decimal("0.01"))
                )
                filled.append(col)
        extra["is_wage_arrears"][i] = x.is_wage_arrears
        extra["flags"][i] = ",".join(x.flags) or None
        extra["extracted_fields"][i] = ",".join(filled) or None
        if x.evidence:
            extra["extract_evidence"][i] = json.dumps(
                {
                    k: {"phrase": e.phrase, "start": e.start, "end": e.end, "rule": e.rule}
                    for k, e in x.evidence.items()
                },
                ensure_ascii=False,
            )
    return extra


def import_file(
    session: Session,
    path: str | Path,
    *,
    kind: str | None = None,
    imported_by: str = "system",
    settings: Settings | None = None,
    progress: Progress | None = None,
    display_name: str | None = None,
) -> ImportResult:
    """Import one file as one batch; the caller's session commits (or rolls back) it."""
    # Hundreds of thousands of row lists would trigger full cycle collections (a third of
    # the import time); nothing here makes cycles, and the rows are freed before it resumes.
    with paused_gc():
        return _import_file(
            session,
            Path(path),
            kind=kind,
            imported_by=imported_by,
            settings=settings,
            progress=progress,
            display_name=display_name,
        )


def _import_file(
    session: Session,
    path: Path,
    *,
    kind: str | None,
    imported_by: str,
    settings: Settings | None,
    progress: Progress | None,
    display_name: str | None,
) -> ImportResult:
    started = time.perf_counter()
    settings = settings or get_settings()
    path = Path(path)
    name = display_name or path.name
    source = open_source(path, kind=kind)
    src_kind: SourceKind
    if kind is None:
        src_kind, _, _ = detect_kind(source.headers)
    else:
        src_kind = get_kind(kind)
    result = ImportResult(file=name, kind=src_kind.key, kind_title=src_kind.title, status="failed")
    result.encoding = getattr(source, "encoding", None)
    digest = file_hash(path)
    earlier = session.scalar(
        select(ImportBatch).where(
            ImportBatch.kind == src_kind.key, ImportBatch.content_hash == digest
        )
    )
    if earlier is not None:
        result.status, result.batch_id = "duplicate", earlier.id
        result.message = f"该文件已于 {earlier.imported_at:%Y-%m-%d %H:%M} 导入（批次 {earlier.id}），本次未做任何更改。"
        return result
    # Columns the importer only stores come typed from Arrow when clean; the registry and
    # complaints (whose blanks text extraction fills) are read as Python values.
    arrow = src_kind.key not in ("enterprises", "complaints")
    try:
        validator = Validator(
            src_kind, source.headers, file=name, header_row=source.header_row, arrow=arrow
        )
    except HeaderError as exc:
        result.errors = list(exc.errors)
        result.message = "表头不符合要求，文件未导入。"
        return result
    result.unmatched_headers = validator.unmatched_headers
    keys = [c.key for c in src_kind.columns]
    parts: dict[str, list[Any]] = {k: [] for k in keys}  # per batch: a list or an Arrow array
    row_numbers: list[int] = []
    rejected_rows: dict[int, list[Any]] = {}
    for batch in iter_validated(source, validator):
        result.rows_in += batch.rows_in
        result.errors.extend(batch.errors)
        rejected_rows.update(batch.rejected_rows)
        row_numbers.extend(batch.row_numbers)
        for k in keys:
            parts[k].append(batch.columns[k])
        if progress:
            progress("validate", result.rows_in)
    result.rejected = len(rejected_rows)
    n = len(row_numbers)
    result.imported = n

    batch_row = ImportBatch(
        kind=src_kind.key,
        file_name=name,
        content_hash=digest,
        encoding=result.encoding,
        rows_in=result.rows_in,
        rows_imported=n,
        rows_rejected=result.rejected,
        imported_by=imported_by,
    )
    session.add(batch_row)
    session.flush()
    result.batch_id = batch_row.id

    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    schema = arrow_schema(src_kind.key)
    # Typed once: the same arrays find exact repeats and are written to the lake. A column
    # that came typed from Arrow in every batch is never made into Python values.
    typed: dict[str, Any] = {}
    columns: dict[str, list[Any]] = {}
    for k in keys:
        chunks = parts.pop(k)
        if all(isinstance(c, list) for c in chunks):
            columns[k] = [v for c in chunks for v in c] if len(chunks) != 1 else chunks[0]
            typed[k] = pa.array(columns[k], schema.field(k).type)
        else:
            typed[k] = pa.concat_arrays(
                [
                    c if isinstance(c, pa.Array) else pa.array(c, schema.field(k).type)
                    for c in chunks
                ]
            )
    pairs = None
    signature: dict[str, Any] = dict(typed)
    if src_kind.key != "enterprises" and src_kind.about_enterprise and n:
        # the (code, name) pair of each row, found once: resolution and repeats both use it
        pairs = _distinct_pairs(
            columns.get("credit_code", [None] * n),
            columns.get("enterprise_name", [None] * n),
            typed,
        )
        signature.pop("credit_code", None)
        signature.pop("enterprise_name", None)
        signature["ww_pair"] = pairs[2]
    duplicates = _mark_duplicates(signature, row_numbers)
    result.duplicates = sum(d is not None for d in duplicates)
    ids: Any  # Arrow int64, null where the row waits for review or is about no enterprise
    methods: Any
    if src_kind.key == "enterprises":
        ids = pa.array(_upsert_registry(session, columns, n, batch_row.id, result), pa.int64())
        methods = ["registry"] * n
    elif src_kind.about_enterprise:
        ids, methods = _resolve_rows(
            session, columns, row_numbers, batch_row.id, result, typed, pairs
        )
    else:
        ids, methods = pa.nulls(n, pa.int64()), ["none"] * n
    if progress:
        progress("resolve", n)
    extra: dict[str, list[Any]] = {}
    if src_kind.key == "complaints":
        extra = _extract_complaints(columns, n)
        result.extracted = sum(1 for v in extra["extracted_fields"] if v)
        # blanks filled from the text: those columns are typed again
        for k in ("months_owed", "workers", "amount"):
            if k in typed:
                typed[k] = pa.array(columns[k], schema.field(k).type)
    result.touched = set(pc.unique(ids).drop_null().to_pylist())

    data: dict[str, Any] = {**typed, **extra}
    data["enterprise_id"] = ids
    data["batch_id"] = pa.array(np.full(n, batch_row.id, dtype=np.int64))
    data["row_no"] = row_numbers
    data["match_method"] = methods
    data["duplicate_of"] = duplicates
    table = pa.Table.from_arrays(
        [
            data[f.name]
            if isinstance(data.get(f.name), pa.Array)
            else pa.array(data.get(f.name, [None] * n), f.type)
            for f in schema
        ],
        schema=schema,
    )
    lake_file = batch_path(settings.lake_dir, src_kind.key, batch_row.id)
    write_batch(lake_file, table)
    batch_row.lake_path = str(lake_file.resolve())
    batch_row.rows_review = result.review
    batch_row.enterprises_created = result.enterprises_created
    if rejected_rows:
        settings.rejected_dir.mkdir(parents=True, exist_ok=True)
        rej = settings.rejected_dir / f"批次{batch_row.id:06d}-{Path(name).stem}-退回.csv"
        write_rejected(rej, result.errors, rejected_rows, headers=source.headers)
        result.rejected_path = batch_row.rejected_path = str(rej.resolve())
    result.status = "imported"
    result.seconds = time.perf_counter() - started
    batch_row.summary = {k: v for k, v in result.to_dict().items() if k != "errors"}
    try:
        session.flush()
    except Exception:
        lake_file.unlink(missing_ok=True)  # the batch row is the commit point: no row, no file
        raise
    return result
