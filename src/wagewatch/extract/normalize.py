"""Length-preserving normalisation, so every span found in the normal form is a span of the input."""

from __future__ import annotations

from functools import lru_cache

import opencc

__all__ = ["normalize"]

_T2S = opencc.OpenCC("t2s")

# Same-length typos and variants seen in complaints (拼音输入法 slips, dialect).
_TYPOS = {
    "公资": "工资",
    "工姿": "工资",
    "工咨": "工资",
    "功资": "工资",
    "欠心": "欠薪",
    "拖久": "拖欠",
    "托欠": "拖欠",
    "施欠": "拖欠",
    "包公头": "包工头",
    "包工投": "包工头",
    "联係": "联系",
}


def _width(ch: str) -> str:
    code = ord(ch)
    if 0xFF01 <= code <= 0xFF5E:
        return chr(code - 0xFEE0)
    if code == 0x3000:
        return " "
    return ch


@lru_cache(maxsize=4096)
def _t2s_char(ch: str) -> str:
    out = str(_T2S.convert(ch))
    return out if len(out) == 1 else ch


def _t2s(text: str) -> str:
    converted = str(_T2S.convert(text))
    if len(converted) == len(text):
        return converted
    # Phrase conversions may change length; fall back to character by character.
    return "".join(_t2s_char(ch) for ch in text)


def normalize(text: str) -> str:
    """Return simplified, half-width text of exactly the same length as ``text``."""
    half = "".join(_width(ch) for ch in text)
    simple = _t2s(half)
    for wrong, right in _TYPOS.items():
        simple = simple.replace(wrong, right)
    # 1.2w / 3k: colloquial ten-thousand and thousand after a digit.
    chars = list(simple)
    for i in range(1, len(chars)):
        if chars[i] in "wW" and chars[i - 1].isdigit():
            chars[i] = "万"
        elif chars[i] in "kK" and chars[i - 1].isdigit():
            chars[i] = "千"
    return "".join(chars)
