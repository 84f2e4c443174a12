"""Yuan owed: the group total, net of payments, never 工程款, 货款, fines or rates."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Evidence
from .numerals import QTY, parse_quantity
from .text import OWED, PAID, WAGE, Family, Text

__all__ = ["read_amount"]

MONEY = Family(
    "money",
    "A sum of money: 13万余元, 1.5万, 12万多, 3000多元, 十几万, 两万六千块, 柒万叁仟元.",
    rf"(?P<n>{QTY})(?:左右)?(?P<yuan>元|块|圆)?",
)
NOT_WAGES = Family(
    "not_wages",
    "Money that is not wages: 工程款, 货款, 罚款/罚金, 押金, 赔偿, 医药费, 生活费 already advanced.",
    r"工程款|货款|材料款|罚款|罚金|罚|押金|保证金|违约金|赔偿|补偿|医药费|借款|借了|房租|学费|生活费|利息"
    r"|诉讼费|受理费|房款|公积金|医保|奖励|物业费|运费|租金|定金|订金|首付|贷款|社保|造价|合同价|总价|产值|营业额"
    r"|工程量|标的|营收|保险|追回|资金|款项|投资|预付|余额|垫资|报销|车费|路费|话费",
)
RATE = Family(
    "rate",
    "A pay rate, not a debt: 月工资5000元, 日工资350元, 每人每月7000元, 一天两百.",
    r"(?:(?<![个半多来\d一二三四五六七八九十份])月工资|月薪|日工资|日薪|每天|一天|每日|每月|每个月|时薪|每小时|底薪|工资标准|最低工资|月收入|工价"
    r"|单价|转正工资|试用期|基本工资)(?:工资|为|是|约|只有|才|按|定为|的)?$",
)
PER_PERSON = Family(
    "per_person",
    "A per-head figure: 每人15000元, 人均约9000元.",
    r"每人|人均|每个人|每名|每位",
)
REMAINING = Family(
    "remaining",
    "What is still owed after part payment: 尚欠, 还欠, 仍欠, 剩余, 剩下.",
    r"尚欠|还欠|仍欠|剩余|剩下|余下|仍有|还差|还剩|尚有|欠付",
)
PER_PERSON_RANGE = Family(
    "per_person_range",
    "Per-person spreads are not a figure: 每人少则8000元、多则2万元, 少的几千多的两三万.",
    r"少则|多则|最少的?|最多的?|少的|多的|不等",
)
WAGE_ITEMS_SUM = Family(
    "wage_items_sum",
    "Listed items of pay owed add up: 工资共21000元及加班费3000元 (24000); never 补偿金 or 押金.",
    r"(?:及|和|、|以及|外加|另有|另欠|还有|加上)(?:拖欠|欠)?(?:的)?"
    r"(?:加班费|提成|绩效工资|绩效|奖金|课时费|劳务费|工资|工钱|餐补|全勤奖)(?:共|共计|合计)?"
    rf"(?P<n>{QTY})(?P<yuan>元|块)",
)
TOTAL = Family(
    "total",
    "A total: 共计, 合计, 总计, 一共, 总额, 累计.",
    r"共计|合计|总计|一共|总额|总共|累计|共|达|总计约",
)
_MEASURE_AFTER = re.compile(
    r"^(?:平|吨|亩|人|名|个|件|台|套|次|户|字|米|公里|股|份|张|斤|箱|辆|头|只|条|平方|方)"
)


# How far back in a clause the cue words for a sum are looked for.
_WINDOW = 40


@dataclass(frozen=True)
class _Cand:
    value: float
    start: int
    end: int
    score: float
    per_person: bool
    rule: str


def _nearest_noun_is_wage(before: str, after: str) -> bool | None:
    """True if the nearest money noun is a wage word, False if it is not wages, None if none."""
    last_wage = max((m.end() for m in WAGE.finditer(before)), default=-1)
    last_not = max((m.end() for m in NOT_WAGES.finditer(before)), default=-1)
    head = "" if after[:1] in "待等将于在" else after[:5]  # 剩余7000元待资金到位后支付
    m_not = NOT_WAGES.search(head)
    m_wage = WAGE.search(head)
    if m_not and m_not.start() <= 2 and (not m_wage or m_not.start() < m_wage.start()):
        return False
    if m_wage and m_wage.start() <= 2:
        return True
    if last_not > last_wage:
        return False
    if last_wage >= 0:
        return True
    return None


def _candidates(t: Text) -> list[_Cand]:
    norm = t.norm
    out: list[_Cand] = []
    for m in MONEY.finditer(norm):
        run = m["n"]
        if not m["yuan"] and "万" not in run:
            continue
        after = norm[m.end() : m.end() + 6]
        if not m["yuan"] and _MEASURE_AFTER.search(after):
            continue
        if re.match(r"[/每]?(?:月|天|日|小时)", after):
            continue  # 5000元/月
        if m.start() > 0 and norm[m.start() - 1] in "数几":
            continue  # 数万元, 几千块: no figure to report
        if not m["yuan"] and re.fullmatch(r"[十百千万亿拾佰仟]+", run):
            continue  # 华润万家, 百佳: a unit character in a name, not a sum
        value = parse_quantity(run)
        if value is None or not 50 <= value < 1e12:
            continue
        i = t.clause_index(m.start())
        c = t.clauses[i]
        head = c.start
        if i > 0 and head > 0 and t.norm[head - 1] in ":：":
            head = t.clauses[i - 1].start  # "拖欠金额：5600元": the label is part of the phrase
        before = t.masked[max(head, m.start() - _WINDOW) : m.start()]
        clause_after = t.masked[m.end() : c.end]
        if RATE.search(before[-8:]) or RATE.search(_strip_wage(before[-8:])):
            continue
        wage = _nearest_noun_is_wage(before, clause_after)
        if wage is False:
            continue
        owed_at = max((x.end() for x in OWED.finditer(before)), default=-1)
        paid_at = max((x.end() for x in PAID.finditer(before)), default=-1)
        if paid_at > owed_at:
            continue
        if re.match(r"^(?:已|已经|都|全部)?(?:到账|发放|付清|结清|支付)", clause_after):
            continue
        per_person = bool(PER_PERSON.search(before[-10:]))
        if per_person and ("不等" in clause_after or re.search(r"(?:至|到|-)$", before)):
            continue
        if PER_PERSON_RANGE.search(before[-4:]) or PER_PERSON_RANGE.search(clause_after[:3]):
            continue
        extra = WAGE_ITEMS_SUM.regex.match(norm, m.end())
        if extra is not None and m["yuan"]:
            more = parse_quantity(extra["n"])
            if more is not None:
                value += more
        score = 0.0
        if t.clause_has(i, OWED) or OWED.search(before):
            score += 2
        elif _neighbour_owed(t, i):
            score += 1
        if REMAINING.search(before[-10:]):
            score += 5  # what is left after a payment beats the total before it
        if TOTAL.search(before[-6:]):
            score += 1
        if wage:
            score += 1
        if score < 1:
            continue
        out.append(_Cand(value, m.start(), m.end(), score, per_person, MONEY.name))
    return out


def _strip_wage(s: str) -> str:
    return re.sub(r"(?:工资|工钱)$", "", s)


def _neighbour_owed(t: Text, i: int) -> bool:
    sentence = t.clauses[i].sentence
    for j in (i - 1, i + 1):
        if 0 <= j < len(t.clauses) and t.clauses[j].sentence == sentence:
            if t.clause_has(j, OWED):
                return True
    return False


def read_amount(t: Text, workers: int | None) -> tuple[float | None, Evidence | None]:
    """Yuan owed, or None; a per-head figure is multiplied out only when no total is given."""
    cands = _candidates(t)
    totals = [c for c in cands if not c.per_person]
    if totals:
        best = max(totals, key=lambda c: (c.score, c.value))
        return best.value, _ev(t, best, best.rule)
    heads = [c for c in cands if c.per_person]
    if heads and workers is not None:
        best = max(heads, key=lambda c: (c.score, c.value))
        rule = "per_person_times_workers" if workers > 1 else "per_person"
        return best.value * workers, _ev(t, best, rule)
    return None, None


def _ev(t: Text, c: _Cand, rule: str) -> Evidence:
    return Evidence(t.original[c.start : c.end], c.start, c.end, rule)
