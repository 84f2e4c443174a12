"""Months of wages owed: durations, calendar ranges, month lists, and worked-minus-paid."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Evidence
from .numerals import CN_DIGITS, QTY, parse_quantity
from .text import OWED, PAID, WORK, Family, Text

__all__ = ["read_months"]

MONTH_COUNT = Family(
    "month_count",
    "A count of months: 3个月, 三个月, 两个多月 (2), 三个半月 (3.5), 5个来月 (5).",
    rf"(?P<n>{QTY})个(?P<more>多|来)?(?P<half>半)?月",
)
COLLOQUIAL_MONTHS = Family(
    "colloquial_months",
    "Spoken counts without 个: 仨月, 俩月, 两月 (never calendar months).",
    rf"(?<![\d{CN_DIGITS}])(?P<n>[仨俩两])(?P<half>半)?月",
)
HALF_MONTH = Family(
    "half_month", "半个月, 半个多月 = 0.5 month.", rf"(?<![\d{CN_DIGITS}])半个多?月"
)
QUARTER = Family(
    "quarter",
    "Quarters of pay: 上个季度 (3), 一个季度 (3), 两个季度 (6).",
    rf"(?P<n>上|{QTY})个?季度",
)
YEAR_COUNT = Family(
    "year_count",
    "Years of pay: 一年多 (12), 一年半 (18), 两年 (24); calendar years (2023年) are not counts.",
    rf"(?<![\d{CN_DIGITS}])(?P<n>{QTY})个?年(?P<more>多|半)?(?![级龄前后底初度代终份薪假轻纪内])",
)
HALF_YEAR = Family(
    "half_year",
    "半年, 近半年, 大半年 = 6 months; 上半年/下半年 are calendar halves.",
    r"(?<![上下])(?:大|多|近)?半年(?!度)",
)
WHOLE_YEAR = Family("whole_year", "全年, 一整年, 整年 = 12 months.", r"全年|一整年|整年")
LAST_MONTH = Family(
    "last_month",
    "上个月的工资 = 1 month.",
    r"上个?月(?:的|份的?)?(?:工资|工钱|薪)",
)
RELATIVE_MONTH_LIST = Family(
    "relative_month_list",
    "上上个月和上个月的工资 = 2 months.",
    r"上上个?月(?:的)?(?:工资|工钱)?(?:和|、|及|跟|与)上个?月",
)

_CN_MONTH = r"1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九]"
_YEAR = r"(?:(?P<y{i}>\d{{4}}|[去今前明])年)?"
MONTH_RANGE = Family(
    "month_range",
    "An inclusive calendar range: 2023年5月至8月 (4), 从3月到10月 (8), 去年11月到今年2月 (4).",
    _YEAR.format(i=1)
    + rf"(?P<m1>{_CN_MONTH})月份?(?:\d{{1,2}}[日号])?(?:开始|起|初|底|中旬|下旬|上旬)?"
    + r"(?:至|到|一直到|~|-|—|－|–)"
    + _YEAR.format(i=2)
    + rf"(?P<m2>{_CN_MONTH})月",
)
DOTTED_RANGE = Family(
    "dotted_range",
    "A range written with dots or dashes: 2023.5-2023.8 (4), 2023/11至2024/2 (4).",
    r"(?P<y1>\d{4})[./-](?P<m1>1[0-2]|0?[1-9])(?:[./-]\d{1,2})?(?!\d)\s*(?:至|到|~|—|－|–|-)\s*"
    r"(?P<y2>\d{4})[./-](?P<m2>1[0-2]|0?[1-9])(?!\d)",
)
FROM_UNTIL = Family(
    "from_until_range",
    "A range split across clauses around the owing verb: 从2022年11月开始…不再发工资，一直拖到2023年4月"
    " (6); 被告自2022年10月起未发放原告工资，至2023年1月原告离职时 (4).",
    r"(?:从|自|由)?(?:(?P<y1>\d{4}|[去今前明])年)?"
    rf"(?P<m1>{_CN_MONTH})月份?(?:\d{{1,2}}[日号])?(?:开始|起|以来)"
    # the middle never holds a second start: 自2022年3月起在被告处工作，自12月起未支付…至2月
    r"(?P<mid>(?:(?!(?:\d{1,2}|[一二三四五六七八九十]{1,2})月份?(?:\d{1,2}[日号])?(?:开始|起))"
    r"[^!?！？]){1,60}?)"
    r"(?:一直|直)?(?:拖到|拖至|到|至|直到|截至|截止到?)(?:(?P<y2>\d{4}|[去今前明])年)?"
    rf"(?P<m2>{_CN_MONTH})月(?!\d)",
)
SINGLE_MONTH = Family(
    "single_month",
    "One calendar month of pay: 10月份工资 (1), 2024年4月的工资 (1), 4月份绩效工资 (1).",
    rf"(?<![\d至到~\-—－–、和及与])(?:\d{{4}}年)?(?:{_CN_MONTH})月份?(?:的)?"
    r"(?=(?:绩效|基本)?(?:工资|工钱|薪水|薪资|提成|绩效))",
)
MONTH_LIST = Family(
    "month_list",
    "Listed calendar months: 3月、4月工资 (2), 12月和1月 (2).",
    rf"(?:{_CN_MONTH})月份?(?:[、和及与](?:\d{{4}}年)?(?:{_CN_MONTH})月份?)+",
)

BLOCK = Family(
    "months_not_owed",
    "Durations that are not wage arrears: sentences, probation, stoppage, promises, waiting."
    " Read next to the figure (10 characters before, 8 after), except the clause-wide ones.",
    r"徒刑|拘役|缓刑|判处|刑期|试用期|合同期|停产|停工|停业|工期|社保|房租|房贷|期限|以内|之内|内付清"
    r"|内结清|后发|后再发|后给|后付|等了|过了|过去了|休假|产假|病假|租期|学期|贷款"
    r"|逾期|利息|违约|合同",
)
BLOCK_CLAUSE = Family(
    "months_not_owed_clause",
    "Clause-wide signs that a duration is not the arrears: promises, plans, one of several people.",
    r"承诺|说好|答应|保证|将于|准备|计划|最多的|最长的|有的|其中",
)
# "这笔钱是我们全家一年的生活来源": a duration that qualifies another noun.
_NOT_PAY_NOUN_AFTER = re.compile(r"的(?:生活来源|生活|收入|积蓄|房租|学费|利息|时间|口粮)")
NOTHING_PAID = Family(
    "nothing_paid",
    "Nothing at all was paid for the time worked (一分钱没给, 分文未付, 从没发过).",
    r"一分钱|分文|一分没|都没发|全没发|从没发|没发过|一直没发|一直没有发|都没有发",
)
_WORK_JUST_BEFORE = re.compile(
    r"(?:干了|做了|工作了|上了|干|做|工作|上班|打工了?|务工|修了|跑了|开了)(?:快|近|将近|有|了)?$"
)
_PAID_JUST_BEFORE = re.compile(r"(?:只|仅|才|已经?|前)?(?:发|给|付|支付|结|拿)了?(?:前|头)?$")
_NEG_PAY_JUST_BEFORE = re.compile(
    r"(?:不|没|未|没有|拒不)(?:给|再)?(?:我|俺|其|他|她|我们)?(?:发|给|付|支付|结|拿)了?$"
    # 欠发, 拖发, 缓发: a payment held back, not made (已欠发3个月).
    r"|(?:欠|拖|缓|扣|停|迟)发了?$"
)
BARE_DURATION = Family(
    "bare_duration",
    "A clause that is only a duration (已经两个多月了, 都快两个月了, 到现在快半年了): the age of the"
    " arrears stated earlier in the sentence.",
    r"^(?:到现在|到今天|至今|现在|已经|已|都|快|有|差不多|将近|近|整整|足足|快要|眼看)*"
    rf"(?:[\d{CN_DIGITS}几]+个(?:多|半)?月|半个多?月|[仨俩两]月|半年|大半年|[\d{CN_DIGITS}]+年多?|一年半)"
    r"(?:多)?(?:了|啦|之久)?$",
)
_BARE_DURATION = BARE_DURATION.regex
# "请求裁决被申请人支付2023年8月至11月拖欠工资": a demand to pay, not a payment made.
_DEMAND = re.compile(r"请求|要求|判令|裁决|责令|督促|诉求|希望|应当|应予|尽快|立即|限期")
_SINCE = re.compile(r"开始|起|以来|之后|后来|从")
_CN_MONTH_VALUE = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_REL_YEAR = {"去": -1, "今": 0, "前": -2, "明": 1}


@dataclass(frozen=True)
class _Cand:
    value: float
    start: int
    end: int
    rule: str
    is_range: bool


def _month_number(s: str) -> int:
    if s.isdigit():
        return int(s)
    if s.startswith("十"):
        return 10 + _CN_MONTH_VALUE.get(s[1:], 0) if len(s) > 1 else 10
    return _CN_MONTH_VALUE[s]


def _range_value(m: re.Match[str]) -> float | None:
    m1, m2 = _month_number(m["m1"]), _month_number(m["m2"])
    y1, y2 = m["y1"], m["y2"]
    comparable = y1 is not None and y2 is not None and (y1.isdigit() == y2.isdigit())
    if comparable:
        a = int(y1) if y1.isdigit() else _REL_YEAR[y1]
        b = int(y2) if y2.isdigit() else _REL_YEAR[y2]
        count = (b - a) * 12 + m2 - m1 + 1
    else:
        count = m2 - m1 + 1 if m2 >= m1 else m2 + 12 - m1 + 1
    return float(count) if 0 < count <= 36 else None


def _candidates(norm: str, masked: str) -> list[_Cand]:
    out: list[_Cand] = []
    for m in MONTH_COUNT.finditer(norm):
        n = parse_quantity(m["n"])
        if n is not None and 0 < n <= 60:
            out.append(
                _Cand(n + (0.5 if m["half"] else 0), m.start(), m.end(), MONTH_COUNT.name, False)
            )
    for m in COLLOQUIAL_MONTHS.finditer(norm):
        n = parse_quantity(m["n"])
        if n is not None:
            out.append(
                _Cand(
                    n + (0.5 if m["half"] else 0), m.start(), m.end(), COLLOQUIAL_MONTHS.name, False
                )
            )
    for m in HALF_MONTH.finditer(norm):
        out.append(_Cand(0.5, m.start(), m.end(), HALF_MONTH.name, False))
    for m in YEAR_COUNT.finditer(norm):
        n = parse_quantity(m["n"])
        if n is None or not 0 < n <= 10 or m["n"].isdigit() and len(m["n"]) > 2:
            continue
        months = n * 12 + (6 if m["more"] == "半" else 0)
        out.append(_Cand(months, m.start(), m.end(), YEAR_COUNT.name, False))
    for m in HALF_YEAR.finditer(norm):
        out.append(_Cand(6.0, m.start(), m.end(), HALF_YEAR.name, False))
    for m in WHOLE_YEAR.finditer(norm):
        out.append(_Cand(12.0, m.start(), m.end(), WHOLE_YEAR.name, False))
    for m in QUARTER.finditer(norm):
        q = 1.0 if m["n"] == "上" else parse_quantity(m["n"])
        if q is not None and 0 < q <= 8:
            out.append(_Cand(3 * q, m.start(), m.end(), QUARTER.name, False))
    for m in LAST_MONTH.finditer(norm):
        out.append(_Cand(1.0, m.start(), m.end(), LAST_MONTH.name, False))
    for m in RELATIVE_MONTH_LIST.finditer(norm):
        out = [c for c in out if not m.start() <= c.start < m.end()]
        out.append(_Cand(2.0, m.start(), m.end(), RELATIVE_MONTH_LIST.name, False))
    for m in MONTH_RANGE.finditer(norm):
        v = _range_value(m)
        if v is not None:
            out.append(_Cand(v, m.start(), m.end(), MONTH_RANGE.name, True))
    for m in DOTTED_RANGE.finditer(norm):
        v = _range_value(m)
        if v is not None:
            out.append(_Cand(v, m.start(), m.end(), DOTTED_RANGE.name, True))
    for m in MONTH_LIST.finditer(norm):
        count = len(re.findall(r"月", m.group()))
        out.append(_Cand(float(count), m.start(), m.end(), MONTH_LIST.name, True))
    for m in FROM_UNTIL.finditer(norm):
        if m["mid"].count("。") > 1 or not OWED.search(masked[m.start("mid") : m.end("mid")]):
            continue
        v = _range_value(m)
        if v is not None:
            out.append(_Cand(v, m.start(), m.end(), FROM_UNTIL.name, True))
    calendar = [(c.start, c.end) for c in out if c.is_range]
    for m in SINGLE_MONTH.finditer(norm):
        if not any(a <= m.start() < b or a < m.end() <= b for a, b in calendar):
            out.append(_Cand(1.0, m.start(), m.end(), SINGLE_MONTH.name, True))
    return [
        c
        for c in out
        if c.is_range or c.rule == LAST_MONTH.name or not _NOT_PAY_NOUN_AFTER.match(norm, c.end)
    ]


def _role(t: Text, c: _Cand) -> tuple[str, float]:
    """Classify one candidate as owed (with a strength), worked, paid, blocked or other."""
    i = t.clause_index(c.start)
    clause = t.clauses[i]
    before = t.masked[max(clause.start, c.start - 12) : c.start]
    near_start = max(clause.start, c.start - 10)
    # "鸿达鞋厂停产已被拖欠两个月工资": a block word before the owing verb is about something else.
    owing = [m.end() for m in OWED.regex.finditer(t.masked, near_start, c.start)]
    near = t.masked[max([near_start, *owing]) : min(clause.end, c.end + 8)]
    if BLOCK.search(near) or t.clause_has(i, BLOCK_CLAUSE):
        return "blocked", 0
    if c.rule == FROM_UNTIL.name:
        return "owed", 2.5  # built only around an owing verb
    paid_verb = (
        _PAID_JUST_BEFORE.search(before[-6:])
        and not _NEG_PAY_JUST_BEFORE.search(before[-6:])
        and not _DEMAND.search(before)
    )
    if paid_verb or (t.clause_has(i, PAID) and not t.clause_has(i, OWED)):
        return "paid", 0
    worked_now = bool(_WORK_JUST_BEFORE.search(before[-6:]))
    if t.clause_has(i, OWED):
        if worked_now and not t.clause_has(i, NOTHING_PAID):
            return "worked", 0
        return "owed", 3
    if t.clause_has(i, WORK):
        return "worked", 0
    # Look ahead in the same sentence: "2019年3月至9月期间，被告人…，拖欠…".
    for j in range(i + 1, min(i + 3, len(t.clauses))):
        if t.clauses[j].sentence != clause.sentence:
            break
        if t.clause_has(j, BLOCK) or t.clause_has(j, BLOCK_CLAUSE):
            break
        if t.clause_has(j, OWED):
            return ("owed", 2) if c.is_range or j == i + 1 else ("other", 0)
        if t.clause_has(j, WORK):
            if c.is_range:
                return "worked", 0
            break
    # Look back one clause: "欠我3万元工钱不给，已经一年了".
    if not c.is_range and i > 0 and t.clauses[i - 1].sentence == clause.sentence:
        if t.clause_has(i - 1, OWED) and not _blocked_clause(t, i - 1):
            return "owed", 1.5
    # A bare duration ("都快两个月了") after the owing clause, however far back in the sentence.
    if not c.is_range and _BARE_DURATION.match(t.clause_text(i)):
        for j in range(i - 1, -1, -1):
            if t.clauses[j].sentence != clause.sentence:
                break
            if t.clause_has(j, OWED) and not _blocked_clause(t, j):
                return "owed", 1.5
    return "other", 0


def _blocked_clause(t: Text, i: int) -> bool:
    return t.clause_has(i, BLOCK) or t.clause_has(i, BLOCK_CLAUSE)


def read_months(t: Text) -> tuple[float | None, Evidence | None]:
    """Months of wages owed, or None when the text gives no reliable figure."""
    cands = _candidates(t.norm, t.masked)
    roles = [(c, *_role(t, c)) for c in cands]
    owed = [(c, s) for c, r, s in roles if r == "owed"]
    if owed:
        best, _ = max(owed, key=lambda cs: (cs[1], not cs[0].is_range, -cs[0].start))
        # "欠我三个月工资…（回复）已向您支付一个月工资": a later payment reduces the months owed.
        later_paid = [
            c for c, r, _ in roles if r == "paid" and c.start > best.end and c.value < best.value
        ]
        if later_paid and not best.is_range:
            p = max(later_paid, key=lambda c: c.value)
            ev = Evidence(
                t.original[best.start : p.end], best.start, p.end, "owed_minus_paid_later"
            )
            return best.value - p.value, ev
        return best.value, _evidence(t, best, best.rule)
    worked = [c for c, r, _ in roles if r == "worked"]
    paid = [c for c, r, _ in roles if r == "paid"]
    if worked:
        w = max(worked, key=lambda c: c.value)
        if paid:
            p = max(paid, key=lambda c: c.value)
            if w.value > p.value:
                start, end = min(w.start, p.start), max(w.end, p.end)
                ev = Evidence(t.original[start:end], start, end, "worked_minus_paid")
                return w.value - p.value, ev
        elif any(
            not _SINCE.search(t.sentence_text(t.clause_index(m.start())))
            for m in NOTHING_PAID.finditer(t.masked)
        ):
            # "干了两年…从去年腊月开始就没发过": nothing paid since a date, not for the whole time.
            return w.value, _evidence(t, w, "worked_nothing_paid")
    return None, None


def _evidence(t: Text, c: _Cand, rule: str) -> Evidence:
    return Evidence(t.original[c.start : c.end], c.start, c.end, rule)
