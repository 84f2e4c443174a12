"""Chinese and Arabic quantities, including approximate ones (二十多, 十几万, 近百)."""

from __future__ import annotations

import math
import re

import cn2an

__all__ = ["CN_DIGITS", "QTY", "parse_quantity"]

CN_DIGITS = "零〇一二三四五六七八九十百千万亿两俩仨壹贰叁肆伍陆柒捌玖拾佰仟"
#: A run of characters that may spell a quantity; ``parse_quantity`` decides if it does.
QTY = rf"(?:\d{{1,3}}(?:,\d{{3}})+(?!\d)|\d+(?:\.\d+)?|[{CN_DIGITS}几])[\d.{CN_DIGITS}几多余来]*"

_APPROX = re.compile(r"[多余来]")
_PLAIN_DIGITS = set("零〇一二三四五六七八九两壹贰叁肆伍陆柒捌玖")
_UNITS = set("十百千万亿拾佰仟")


def parse_quantity(run: str) -> float | None:
    """Read a quantity run such as ``13万余``, ``二十多``, ``十几万`` or ``1.5万``; None if vague."""
    s = run.replace("仨", "三").replace("俩", "两").replace(",", "")
    s = _APPROX.sub("", s)
    if not s or s.startswith("几"):
        return None  # 几十, 几千: no lower bound worth reporting
    if "几" in s:
        if s.index("几") > 0 and s[s.index("几") - 1] in "十拾":
            s = s.replace("几", "", 1)  # 十几 → 十, 二十几万 → 二十万
        else:
            return None
        if "几" in s:
            return None
    for a, b in zip(s, s[1:], strict=False):
        # 两三万, 七八个: a spoken range, not one number.
        if a in _PLAIN_DIGITS and b in _PLAIN_DIGITS and a not in "零〇" and b not in "零〇":
            return None
    if s[0] in "百千万亿佰仟":
        s = "一" + s  # 近百, 上千, 百余
    if s.endswith("."):
        s = s[:-1]
    if len(s) > 20:
        return None  # a phone or ID number, never a quantity in a complaint
    try:
        value = float(cn2an.cn2an(s, "smart"))
    except (ValueError, KeyError, IndexError, TypeError, OverflowError):
        return None
    return value if math.isfinite(value) else None
