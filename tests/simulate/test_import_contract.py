"""The simulated files as the platform's readers see them: kind, header row, accepted rows."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from wagewatch.signals.readers import detect_kind, open_source
from wagewatch.signals.validate import validate_file
from wagewatch.simulate import SimulationSummary

from .helpers import read_truth


def test_readers_find_the_header_row_and_recognise_every_file(
    district: tuple[Path, SimulationSummary],
) -> None:
    out, _ = district
    for spec in read_truth(out, "files.csv"):
        source = open_source(out / spec["file"])
        assert source.header_row == int(spec["header_row"]), spec["file"]
        kind, _, _ = detect_kind(source.headers)
        assert kind.key == spec["kind"], spec["file"]


def test_validator_accepts_clean_rows_and_rejects_malformed_ones(
    district: tuple[Path, SimulationSummary],
) -> None:
    out, _ = district
    truth: dict[str, dict[int, dict[str, str]]] = defaultdict(dict)
    for row in read_truth(out, "rows.csv"):
        truth[row["file"]][int(row["row"])] = row
    for spec in read_truth(out, "files.csv"):
        report = validate_file(out / spec["file"], kind=spec["kind"])
        accepted = {record["row"] for record in report.records()}
        rejected = set(report.rejected_rows)
        rows = truth[spec["file"]]
        skipped = {n for n, r in rows.items() if r["errors"] in ("blank_row", "summary_row")}
        malformed = {n for n, r in rows.items() if r["malformed"] == "1"}
        assert rejected == malformed, spec["file"]
        assert accepted == set(rows) - skipped - malformed, spec["file"]
