"""Score the extractor against a labelled corpus (JSON Lines with "expected")."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .core import extract
from .model import CONTRACT_KEYS

__all__ = ["EvaluationReport", "Miss", "evaluate_file", "field_matches"]

SPLITS = ("heldout", "train", "all")
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)


def _employer_key(name: str) -> str:
    return _PUNCT.sub("", name)


def field_matches(key: str, got: Any, expected: Any) -> bool:
    """The corpus scoring rule for one field (numbers within 1e-6, names by containment)."""
    if got is None or expected is None:
        return got is None and expected is None
    if key == "flags":
        return set(got) == set(expected)
    if key == "employer_name":
        a, b = _employer_key(str(got)), _employer_key(str(expected))
        if a == b:
            return True
        short, long_ = sorted((a, b), key=len)
        return len(short) >= 4 and short in long_
    if key == "is_wage_arrears":
        return bool(got) is bool(expected)
    return math.isclose(float(got), float(expected), rel_tol=0.0, abs_tol=1e-6)


@dataclass(frozen=True)
class Miss:
    """One field the extractor got wrong on one corpus item."""

    id: str
    field: str
    got: Any
    expected: Any
    text: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "id": self.id,
            "field": self.field,
            "got": self.got,
            "expected": self.expected,
            "text": self.text,
        }


@dataclass
class EvaluationReport:
    """Per-field accuracy over one split of a corpus, the mean of the fields, and every miss."""

    split: str
    n: int
    accuracy: dict[str, float]
    misses: list[Miss] = field(default_factory=list)

    @property
    def mean(self) -> float:
        """Mean of the six per-field accuracies."""
        return sum(self.accuracy.values()) / len(self.accuracy) if self.accuracy else 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "split": self.split,
            "n": self.n,
            "accuracy": dict(self.accuracy),
            "mean": self.mean,
            "misses": [m.to_dict() for m in self.misses],
        }


def evaluate_file(path: str | Path, split: str = "heldout") -> EvaluationReport:
    """Run the extractor on every item of ``split`` ("heldout", "train" or "all") and score it."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}: use heldout, train or all")
    items = []
    with Path(path).open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                item = json.loads(line)
                if split == "all" or item["split"] == split:
                    items.append(item)
    correct = dict.fromkeys(CONTRACT_KEYS, 0)
    misses: list[Miss] = []
    for item in items:
        got = extract(item["text"]).to_contract()
        for key in CONTRACT_KEYS:
            if field_matches(key, got[key], item["expected"][key]):
                correct[key] += 1
            else:
                misses.append(Miss(item["id"], key, got[key], item["expected"][key], item["text"]))
    n = len(items)
    accuracy = {k: (correct[k] / n if n else 0.0) for k in CONTRACT_KEYS}
    return EvaluationReport(split, n, accuracy, misses)
