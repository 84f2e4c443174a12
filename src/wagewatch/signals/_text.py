"""Text normalisation shared by the catalogue, the readers and the validator."""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "IGNORED_HEADERS",
    "header_keys",
    "header_scale",
    "normalize_header",
    "normalize_token",
]

# Brackets NFKC leaves alone (or maps to themselves); the ASCII ones come from full-width forms.
_OPEN = "([【〔<《{"
_CLOSE = ")]】〕>》}"
_TRAILING_GROUPS = re.compile(
    r"^(?P<base>.*?)(?P<groups>(?:[" + re.escape(_OPEN) + r"][^" + re.escape(_CLOSE) + r"]*["
    r"" + re.escape(_CLOSE) + r"])+)$"
)
_SLASH_UNIT = re.compile(r"^(?P<base>.+?)/(?P<unit>(?:万|亿|千)?元|人|个月|月|次|天)$")
# Required-field markers and decorations offices put on template headers.
_MARKS = str.maketrans("", "", "*★☆※▲△●◆#:")
_SPACE = re.compile(r"\s+")

# Headers that are part of a file's layout, never data: a row counter and our own error column.
IGNORED_HEADERS = frozenset({"序号", "行号", "错误原因", "no", "no.", "编号序号"})


def normalize_header(text: object) -> str:
    """Fold a header to a comparison key: half-width, no spaces or markers, lower case."""
    s = unicodedata.normalize("NFKC", str(text))
    s = _SPACE.sub("", s).translate(_MARKS)
    return s.lower()


def header_keys(text: object) -> tuple[str, str]:
    """Return (full key, key without trailing bracketed notes or units) for a header."""
    full = normalize_header(text)
    base = full
    m = _TRAILING_GROUPS.match(full)
    if m and m.group("base"):
        base = m.group("base")
    else:
        m2 = _SLASH_UNIT.match(full)
        if m2:
            base = m2.group("base")
    return full, base


def header_scale(text: object) -> int:
    """Multiplier implied by a unit in the header: 万元 → 10000, 亿元 → 10^8, else 1."""
    full = normalize_header(text)
    if "亿元" in full:
        return 100_000_000
    if "万元" in full:
        return 10_000
    if "千元" in full:
        return 1_000
    return 1


def normalize_token(value: str) -> str:
    """Fold a cell value for lookup in a small vocabulary (enums, yes/no)."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", value)).casefold()
