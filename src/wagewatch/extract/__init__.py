"""wagewatch.extract: Chinese complaint text → months owed, workers, amount, employer, flags.

Pure: no database, no network, no models; rules are named regex families and functions,
each documented where it is defined, and every field carries the evidence that set it.
"""

from .core import extract
from .evaluate import EvaluationReport, Miss, evaluate_file, field_matches
from .lines import ExtractInputError, extract_lines
from .model import CONTRACT_KEYS, FLAGS, Evidence, Extraction

__all__ = [
    "CONTRACT_KEYS",
    "FLAGS",
    "EvaluationReport",
    "Evidence",
    "ExtractInputError",
    "Extraction",
    "Miss",
    "evaluate_file",
    "extract",
    "extract_lines",
    "field_matches",
]
