"""How many workers are owed: counts, "me and N others", couples, a single complainant."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Evidence
from .numerals import QTY, parse_quantity
from .people import SURNAMES
from .text import AUDIENCE_DAJIA, OWED, WE_WORKERS, Family, Text, reply_start

__all__ = ["read_workers"]

_PERSON_NOUN = (
    r"人|工人|工友|员工|农民工|兄弟|老乡|师傅|伙计|同事|小工|工|姐妹|职工|店员|服务员|保安|保洁|司机"
    r"|骑手|劳动者|务工|男子|女子|老人家"
)
# 十几个老职工, 三个女工: an adjective may sit between the count and the noun.
_PERSON_PREFIX = r"(?:老|新|小|女|男|临时|普通|一线|年轻|外地|本地)?"
HEADCOUNT = Family(
    "headcount",
    "A number with a people classifier: 27名员工, 二十多名农民工 (20), 十几个工友 (10), 近百人 (100).",
    rf"(?P<n>{QTY})(?P<cl>名|位|个|号人|人)",
)
NOUN_THEN_COUNT = Family(
    "noun_then_count",
    "Count after the noun: 雇佣工人28名, 涉及员工约60人.",
    rf"(?:工人|员工|农民工|职工|劳动者|工友|人员|务工人员)(?:约|共|共计|达|有|合计|总计)?(?P<n>{QTY})(?:名|人)",
)
ME_AND_OTHERS = Family(
    "me_and_others",
    "The complainant or a named worker plus others: 我和三位工友 (4), 其本人及另外11名工友 (12),"
    " 老周和他的28名工友 (29), 张师傅与其余6名工友 (7).",
    rf"(?:我|俺|本人|其本人|其|她|他|来电人|老[{SURNAMES}]|小[{SURNAMES}]"
    rf"|[{SURNAMES}](?:师傅|大姐|大哥|大叔|大爷|大妈|阿姨|女士|先生|某某|某))"
    r"(?:和|与|及|跟|同|连同|还有|以及|带着|带领)"
    r"(?:他|她|其|我|自己)?(?:的)?(?:另外|其他|其余|另)?(?:的)?"
    rf"(?:同村|同乡|同厂|同事|工友|老乡)?(?:的)?(?P<n>{QTY})(?:名|位|个)",
)
FAMILY = Family(
    "family_count",
    "A family working together: 我们一家三口 (3), 全家四口 (4).",
    r"(?:一家|全家|一家子)(?P<n>[两二三四五六七八九\d])口",
)
COUPLE = Family(
    "couple",
    "Two complainants: 两口子, 夫妻俩, 我和我老公.",
    r"两口子|夫妻俩|夫妻二人|夫妻两人|我们俩|我俩|俺俩|我们两个|(?:我|俺|[\u4e00-\u9fff]{1,2}[大爷叔婶姨])?"
    r"(?:和|与|跟)(?:我|俺)?(?:老公|老婆|爱人|丈夫|妻子|媳妇|对象|老伴)",
)
NAMED_SINGLE = Family(
    "named_single_worker",
    "One named worker owed: 拖欠工人张某工资.",
    rf"(?:拖欠|欠|支付)(?:工人|员工|农民工|原告|申请人)?[{SURNAMES}]某{{1,2}}(?:的)?(?:工资|工钱|劳务费|劳动报酬)",
)
SINGLE_COMPLAINANT = Family(
    "single_complainant",
    "A first-person or single complainant (我, 本人, 来电人, 原告) with no plural in sight → 1.",
    r"我|本人|俺|来电人|诉求人|反映人|市民|申请人|原告|投诉人|当事人|来信人|举报人|一名",
)
PLURAL = Family(
    "plural_workers",
    "Plural workers without a usable number (我们, 工友们, 大家, 几十个): no single count.",
    rf"{WE_WORKERS}|{AUDIENCE_DAJIA}|大伙|工友们|工人们|农民工们|员工们|等人|班组(?!长|负责人)|一行|一群|全厂|集体"
    r"|(?:几十|数十|十几|好几|几)(?:个|名|号|位)?(?:人|工人|工友|员工|农民工|兄弟)|多名|我们这些|他们几个"
    r"|众多|较多",
)
THIRD_PERSON_WORKERS = Family(
    "third_person_workers",
    "Workers spoken of without a count (员工, 农民工): a report about others, not one complainant.",
    r"工人|员工|农民工|职工|工友|劳动者",
)
_NOT_PEOPLE_AFTER = re.compile(r"^(?:额|下|义|字|称|单|次|牌|片|数|置|于|民|均|员工资|岁)")
_NON_WORKER = re.compile(
    r"^(?:的)?(?:民警|警察|警力|干部|工作人员|执法|嫌疑人|被告|律师|记者|消防|领导|购房|业主|家属|孩子|小孩"
    r"|学生|代表|村民|群众|医生|护士|乘客|顾客|股东|被害人)"
)


_SELF_DESCRIPTION = re.compile(r"(?:是|作为|系|身为|为)$")


@dataclass(frozen=True)
class _Cand:
    value: int
    start: int
    end: int
    rule: str


def _headcounts(t: Text) -> list[_Cand]:
    norm = t.norm
    out: list[_Cand] = []
    for m in HEADCOUNT.finditer(norm):
        after = norm[m.end() : m.end() + 6]
        if m.start() > 0 and norm[m.start() - 1] in "数几好多":
            continue
        if _SELF_DESCRIPTION.search(norm, max(0, m.start() - 3), m.start()) and m["n"] in "一1":
            continue  # 我是一名环卫工人: who the writer is, not how many are owed
        if _NOT_PEOPLE_AFTER.search(after) or _NON_WORKER.search(after):
            continue
        if m["cl"] == "个" and not re.match(rf"{_PERSON_PREFIX}(?:{_PERSON_NOUN})", after):
            continue
        n = parse_quantity(m["n"])
        if n is None or n != int(n) or not 0 < n < 100000:
            continue
        out.append(_Cand(int(n), m.start(), m.end(), HEADCOUNT.name))
    for m in NOUN_THEN_COUNT.finditer(norm):
        n = parse_quantity(m["n"])
        if n is not None and n == int(n) and 0 < n < 100000:
            out.append(_Cand(int(n), m.start(), m.end(), NOUN_THEN_COUNT.name))
    for m in ME_AND_OTHERS.finditer(norm):
        n = parse_quantity(m["n"])
        if n is not None and n == int(n) and 0 < n < 100000:
            out.append(_Cand(int(n) + 1, m.start(), m.end(), ME_AND_OTHERS.name))
    for m in FAMILY.finditer(norm):
        n = parse_quantity(m["n"])
        if n is not None and 2 <= n <= 9:
            out.append(_Cand(int(n), m.start(), m.end(), FAMILY.name))
    return out


def _near_owed(t: Text, pos: int) -> bool:
    i = t.clause_index(pos)
    sentence = t.clauses[i].sentence
    for j in (i - 1, i, i + 1):
        if 0 <= j < len(t.clauses) and t.clauses[j].sentence == sentence:
            if t.clause_has(j, OWED):
                return True
    return False


def read_workers(t: Text) -> tuple[int | None, Evidence | None]:
    """Number of workers owed, or None when the text gives no usable count."""
    cands = _headcounts(t)
    if cands:
        near = [c for c in cands if _near_owed(t, c.start)]
        best = max(near or cands, key=lambda c: (c.value, -c.start))
        return best.value, Evidence(
            t.original[best.start : best.end], best.start, best.end, best.rule
        )
    for fam, value in ((COUPLE, 2), (NAMED_SINGLE, 1)):
        m = fam.search(t.norm)
        if m:
            return value, Evidence(t.original[m.start() : m.end()], m.start(), m.end(), fam.name)
    own = t.norm[: reply_start(t.norm)]  # an official reply speaks for the office
    if PLURAL.search(own):
        return None, None
    m = SINGLE_COMPLAINANT.search(own)
    if m:
        return 1, Evidence(
            t.original[m.start() : m.end()], m.start(), m.end(), SINGLE_COMPLAINANT.name
        )
    if THIRD_PERSON_WORKERS.search(t.norm):
        return None, None
    # Chinese drops the subject: "干了一个多月，老板一分钱没给" is one person speaking.
    m = OWED.search(t.masked)
    if m:
        return 1, Evidence(
            t.original[m.start() : m.end()], m.start(), m.end(), "implicit_first_person"
        )
    return None, None
