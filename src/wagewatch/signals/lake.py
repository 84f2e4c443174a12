"""The signal lake: immutable Parquet batches, one folder per source kind.

A batch file is written under a temporary name and renamed into place before its batch row
is committed in the operational database; the facts engine reads only the files named by
committed batches, so a file left behind by a failed import never counts.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from wagewatch.signals.catalogue import Column, get_kind

__all__ = [
    "LINEAGE_COLUMNS",
    "LakeIndex",
    "arrow_schema",
    "batch_path",
    "empty_table",
    "lake_index",
    "lake_type",
    "write_batch",
]

# Columns every lake row carries besides the catalogue's: where it came from and whom it is about.
LINEAGE_COLUMNS: tuple[tuple[str, pa.DataType], ...] = (
    ("enterprise_id", pa.int64()),
    ("batch_id", pa.int64()),
    ("row_no", pa.int64()),
    ("match_method", pa.string()),
    ("duplicate_of", pa.int64()),  # an exact repeat of that row of the same file: counted once
)

# Fields filled by reading complaint text, with where each value came from.
EXTRACTED_COLUMNS: dict[str, tuple[tuple[str, pa.DataType], ...]] = {
    "complaints": (
        ("is_wage_arrears", pa.bool_()),
        ("flags", pa.string()),
        ("extracted_fields", pa.string()),
        ("extract_evidence", pa.string()),
    ),
}


def lake_type(col: Column) -> pa.DataType:
    """The Arrow type a catalogue column is stored as in the lake."""
    if col.type in ("date", "month"):
        return pa.date32()  # a month is stored as its first day
    if col.type == "int":
        return pa.int64()
    if col.type == "decimal":
        return pa.decimal128(18, col.places)  # money stays exact across engines
    if col.type == "bool":
        return pa.bool_()
    return pa.string()


def arrow_schema(kind: str) -> pa.Schema:
    """The lake schema of a source kind: catalogue columns, extracted fields, lineage."""
    fields = [pa.field(c.key, lake_type(c)) for c in get_kind(kind).columns]
    fields += [pa.field(n, t) for n, t in EXTRACTED_COLUMNS.get(kind, ())]
    fields += [pa.field(n, t) for n, t in LINEAGE_COLUMNS]
    return pa.schema(fields)


def empty_table(kind: str) -> pa.Table:
    """A table with the kind's lake schema and no rows."""
    return arrow_schema(kind).empty_table()


def batch_path(lake_dir: Path, kind: str, batch_id: int) -> Path:
    """Where batch `batch_id` of `kind` lives in the lake."""
    return lake_dir / kind / f"batch-{batch_id:08d}.parquet"


def to_table(kind: str, rows: Sequence[Mapping[str, Any]]) -> pa.Table:
    """Build a lake table from typed row dicts (missing keys are null)."""
    schema = arrow_schema(kind)
    columns = {f.name: [r.get(f.name) for r in rows] for f in schema}
    return pa.Table.from_pydict(columns, schema=schema)


def write_batch(path: Path, table: pa.Table) -> None:
    """Write a batch atomically: a temporary file renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".parquet.tmp")
    # zstd level 1: a batch written in a fraction of the default level's time, nearly as small
    pq.write_table(table, tmp, compression="zstd", compression_level=1)
    os.replace(tmp, path)


def read_batches(paths: Iterable[Path], kind: str) -> pa.Table:
    """Read committed batch files of one kind into one table (the lake schema)."""
    tables = [pq.read_table(p, schema=arrow_schema(kind)) for p in paths]
    if not tables:
        return empty_table(kind)
    return pa.concat_tables(tables)


class LakeIndex:
    """Where each enterprise's rows are in the lake: per kind, sorted by enterprise id.

    Built from the committed batch files the first time it is asked and extended with new
    batches as they are committed, so looking up one enterprise is a binary search, not a
    scan of every file. Thread-safe; one per process (`lake_index()`).
    """

    def __init__(self) -> None:
        """An empty index."""
        import threading

        self._lock = threading.Lock()
        self._kinds: dict[str, tuple[frozenset[int], pa.Table, Any]] = {}

    def _table(self, kind: str, batches: Sequence[tuple[int, str]], date_col: str | None) -> Any:
        import numpy as np
        import pyarrow.compute as pc

        wanted = frozenset(b for b, _ in batches)
        cached = self._kinds.get(kind)
        if cached is not None and cached[0] == wanted:
            return cached[1], cached[2]
        have = cached[0] if cached is not None and cached[0] <= wanted else frozenset()
        cols = ["enterprise_id", "batch_id", "row_no", "match_method"]
        if date_col:
            cols.append(date_col)
        parts = [cached[1]] if have and cached is not None else []
        for batch_id, path in batches:
            if batch_id in have or not Path(path).is_file():
                continue
            t = pq.read_table(path, columns=cols)
            if date_col is None:
                t = t.append_column("date", pa.nulls(t.num_rows, pa.date32()))
            else:
                t = t.rename_columns([*cols[:-1], "date"])
            parts.append(t.filter(pc.is_valid(t.column("enterprise_id"))))
        if parts:
            table = pa.concat_tables(parts)
        else:
            table = pa.table(
                {
                    "enterprise_id": pa.array([], pa.int64()),
                    "batch_id": pa.array([], pa.int64()),
                    "row_no": pa.array([], pa.int64()),
                    "match_method": pa.array([], pa.string()),
                    "date": pa.array([], pa.date32()),
                }
            )
        table = table.take(pc.sort_indices(table, [("enterprise_id", "ascending")]))
        keys = np.asarray(table.column("enterprise_id").to_numpy(zero_copy_only=False))
        self._kinds[kind] = (wanted, table, keys)
        return table, keys

    def rows(
        self,
        kind: str,
        batches: Sequence[tuple[int, str]],
        enterprise_id: int,
        date_col: str | None,
    ) -> list[dict[str, Any]]:
        """The rows of `kind` tied to `enterprise_id` by the importer, from these batches."""
        import numpy as np

        with self._lock:
            table, keys = self._table(kind, batches, date_col)
        lo = int(np.searchsorted(keys, enterprise_id, side="left"))
        hi = int(np.searchsorted(keys, enterprise_id, side="right"))
        return list(table.slice(lo, hi - lo).to_pylist())


_INDEX: LakeIndex | None = None


def lake_index() -> LakeIndex:
    """The process-wide lake index."""
    global _INDEX
    if _INDEX is None:
        _INDEX = LakeIndex()
    return _INDEX
