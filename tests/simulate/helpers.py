"""Helpers shared by the simulator tests."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

END = date(2024, 12, 31)


def read_truth(out: Path, name: str) -> list[dict[str, str]]:
    """Rows of a truth CSV as dicts."""
    with (out / "truth" / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
