"""Result types of the complaint-text extractor."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

__all__ = ["CONTRACT_KEYS", "FLAGS", "Evidence", "Extraction"]

FLAGS = ("casualty", "construction", "extreme", "fled", "group")
CONTRACT_KEYS = (
    "months_owed",
    "workers",
    "amount_yuan",
    "employer_name",
    "flags",
    "is_wage_arrears",
)


@dataclass(frozen=True)
class Evidence:
    """The phrase of the input text that supports one field, and the rule that read it."""

    phrase: str
    start: int
    end: int
    rule: str

    def to_dict(self) -> dict[str, Any]:
        """Return the evidence as a JSON-ready dict."""
        return {"phrase": self.phrase, "start": self.start, "end": self.end, "rule": self.rule}


@dataclass(frozen=True)
class Extraction:
    """The fields read from one complaint text, each backed by evidence where it is not null.

    Evidence keys are the field names (``months_owed``, ``workers``, ``amount_yuan``,
    ``employer_name``, ``is_wage_arrears``) and ``flags.<flag>`` for each flag raised.
    """

    months_owed: float | None
    workers: int | None
    amount_yuan: float | None
    employer_name: str | None
    flags: tuple[str, ...]
    is_wage_arrears: bool
    evidence: dict[str, Evidence] = field(default_factory=dict)

    def to_contract(self) -> dict[str, Any]:
        """Return exactly the six contract keys, JSON-ready (whole numbers as int)."""
        return {
            "months_owed": _plain(self.months_owed),
            "workers": self.workers,
            "amount_yuan": _plain(self.amount_yuan),
            "employer_name": self.employer_name,
            "flags": sorted(self.flags),
            "is_wage_arrears": self.is_wage_arrears,
        }


def _plain(value: float | None) -> float | int | None:
    """3.0 → 3, so JSON reads "months_owed": 3; 3.5 stays 3.5."""
    if value is not None and math.isfinite(value) and value == int(value):
        return int(value)
    return value
