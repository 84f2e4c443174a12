"""Line-oriented input for the CLI: plain text or JSON Lines with a "text" key."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from .core import extract

__all__ = ["ExtractInputError", "extract_lines"]


class ExtractInputError(ValueError):
    """A malformed input line, named by its 1-based number."""

    def __init__(self, line_no: int, message: str) -> None:
        super().__init__(f"line {line_no}: {message}")
        self.line_no = line_no
        self.message = message


def extract_lines(lines: Iterable[str]) -> Iterator[dict[str, Any]]:
    """Yield one contract dict per non-blank line, in input order."""
    for line_no, raw in enumerate(lines, start=1):
        line = raw.strip()
        if line.startswith("\ufeff"):
            line = line[1:].strip()
        if not line:
            continue
        if line.startswith("{"):
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ExtractInputError(line_no, f"malformed JSON: {exc.msg}") from exc
            if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                raise ExtractInputError(line_no, 'JSON object without a string "text"')
            text = obj["text"]
        else:
            text = line
        yield extract(text).to_contract()
