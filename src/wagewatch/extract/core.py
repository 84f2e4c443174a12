"""extract(): one Chinese complaint text in, the six contract fields with evidence out."""

from __future__ import annotations

from .amount import read_amount
from .arrears import read_arrears
from .employer import read_employer
from .flags import read_flags
from .model import Evidence, Extraction
from .months import read_months
from .normalize import normalize
from .text import Text
from .workers import read_workers

__all__ = ["extract"]


def extract(text: str) -> Extraction:
    """Read months owed, workers, amount, employer, flags and whether wages are owed."""
    t = Text(text, normalize(text))
    arrears, arrears_ev = read_arrears(t)
    evidence: dict[str, Evidence] = {}
    if arrears_ev is not None:
        evidence["is_wage_arrears"] = arrears_ev
    if not arrears:
        # Not a wage claim (a question, a notice, a settled case): nothing is owed to report.
        return Extraction(None, None, None, None, (), False, evidence)
    months, months_ev = read_months(t)
    workers, workers_ev = read_workers(t)
    amount, amount_ev = read_amount(t, workers)
    employer, employer_ev = read_employer(t)
    for key, ev in (
        ("months_owed", months_ev),
        ("workers", workers_ev),
        ("amount_yuan", amount_ev),
        ("employer_name", employer_ev),
    ):
        if ev is not None:
            evidence[key] = ev
    flags = read_flags(t, workers, workers_ev)
    for flag, ev in flags.items():
        evidence[f"flags.{flag}"] = ev
    return Extraction(months, workers, amount, employer, tuple(sorted(flags)), True, evidence)
