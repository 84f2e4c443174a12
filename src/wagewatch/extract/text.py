"""Named rule families shared by the field readers, and the clause structure of a text."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

__all__ = [
    "Clause",
    "Family",
    "NEGATED_OWED",
    "OWED",
    "PAID",
    "WAGE",
    "WEAK_OWED",
    "WORK",
    "AUDIENCE_DAJIA",
    "WE_WORKERS",
    "Text",
    "reply_start",
]


@dataclass(frozen=True)
class Family:
    """A named regex family: one rule of the extractor, documented where it is defined."""

    name: str
    doc: str
    pattern: str
    regex: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "regex", re.compile(self.pattern))

    def search(self, text: str) -> re.Match[str] | None:
        """First match in ``text``."""
        return self.regex.search(text)

    def finditer(self, text: str) -> list[re.Match[str]]:
        """All non-overlapping matches in ``text``."""
        return list(self.regex.finditer(text))


WAGE = Family(
    "wage_word",
    "Words for wages and labour pay, colloquial ones included (工钱, 血汗钱, 人工费).",
    r"工资|工钱|薪水|薪资|薪酬|欠薪|讨薪|劳务费|劳动报酬|劳务报酬|报酬|人工费|工费|血汗钱|辛苦钱"
    r"|课时费|提成|加班费|绩效|工价|月薪|底薪|生活费|工人钱|钱"
    # 开支 is northern dialect for payday (俩月没开支): a wage word only after a negation.
    r"|(?<=[没未不])开支|(?<=没有)开支",
)

OWED = Family(
    "owed_cue",
    "Verbs that say pay is due and unpaid (拖欠, 未发, 不给, 没拿到, 讨薪 …).",
    r"拖欠|拖(?!拉|鞋|车)|欠(?!缴|费|税|款|条)|未发|没发|不发|未付|没付|未支付|没有支付|拒不支付|拒绝支付"
    r"|未结|没结|不结|不给|没给|没有给|没有发|没再发|未领|没领|拿不到|没拿到|没有拿到|领不到|要不到"
    r"|讨不到|无着落|没着落|没有着落|没了着落|未按时|未足额|扣发|克扣|缓发|一分钱|分文|讨薪|讨要|索要|追讨|讨工钱"
    r"|(?<![已经])(?<!代为)(?<!全部)(?<!实际)(?<!按时)(?<!足额)支付(?!了)|不认账|赖账|扣(?:了|掉|押|着)?(?:我|俺|其|他|她)|还没发|没发放|不及时|未及时|不按时|没按时|未予支付|未予发放|涉及.{0,8}(?:工资|欠薪)"
    # Regional and spoken phrasings (owed_spoken): 没开支, 没有按时发, 压着不给, 一直拖, 迟迟不付.
    r"|(?:没|未|不|没有)开支|没有按时|压着|迟迟(?:不|未|没)|没结过|未结算|不结算|不付|发不出|开不出|没见着|没见到"
    r"|没影|不再发|不再给|停发|没有再发|未再发",
)
#: Owing cues that only say pay was late (拖到, 不按时): in a question whether that counts as
#: arrears (这样算拖欠工资吗), they describe the situation asked about, not money owed now.
WEAK_OWED = re.compile(
    r"^(?:拖|不及时|未及时|不按时|没按时|未按时|没有按时|迟迟(?:不|未|没)|支付|未结算|不结算)$"
)

NEGATED_OWED = Family(
    "negated_owed",
    "Statements that nothing is owed (没有拖欠, 不存在拖欠, 未发现欠薪); masked before reading cues.",
    r"(?:没有发现|没发现|尚未发现|未见|没有|未|不存在|无|没|并未|并没有|不|未发现|没有发生|基本无|未发生|杜绝|零)"
    r"(?:任何)?(?:拖欠|欠薪)(?:工资|农民工工资|问题|情况|现象|隐患)*",
)

PAID = Family(
    "paid_cue",
    "Verbs of payment already made (已支付, 只发了, 结清, 垫付); amounts and months they govern are not owed.",
    r"已支付|已经支付|已付|已发|已经发|已结清|已经结清|结清了|付清了|全部到账|已到账|拿到手|全部支付"
    r"|支付了|发了|给了|付了|只发|只给|只付|仅支付|仅发|仅付|实际发放|实际只发|代为支付|垫付|退出|追回"
    r"|兑付|偿还|发放了|已发放|按时发|按月发放|按时足额|结清|预支|借支|才发|兑现|发放到位|支付到位",
)

WORK = Family(
    "work_verb",
    "Verbs of working somewhere for a time (干了, 上班, 务工, 担任); they mark months worked, not owed.",
    r"干了|做了|工作了|上了|干活|做工|上班|务工|打工|任职|担任|从事|入职|在职|干到|修了|跟着|工作",
)


#: "大家" as the readers or officials addressed (求大家帮帮忙, 大家注意避雷), not a crew.
AUDIENCE_DAJIA = r"(?<![求请谢诉醒望烦托])大家(?!好|注意|帮帮|帮忙|评评|看看|避雷|转发|小心|说说|给点|支招|指点|千万|别|不要|一定要|可以)"
#: "我们" that is not a crew of workers: the household (我们家), the class (我们打工的, 我们老百姓),
#: or the official answering (我们将, 我们会).
WE_WORKERS = (
    r"(?:我们|俺们|咱们)(?!家|全家|打工的|老百姓|普通|这边|将|会|已|正在|也将|立即|马上|一定)"
)

#: Where an official reply starts in a message-board post or a work order (回复：, 办理结果：);
#: from there on the voice is the office's, not the complainant's.
REPLY_START = re.compile(
    r"(?:回复内容|回复|答复|办理结果|处理结果|办理情况|处理情况|回复意见)[:：]"
)


def reply_start(norm: str) -> int:
    """Offset where an official reply begins, or the text length when there is none."""
    m = REPLY_START.search(norm)
    return m.start() if m and m.start() > 0 else len(norm)


@dataclass(frozen=True)
class Clause:
    """A span between commas or stops, and the index of the sentence that holds it."""

    start: int
    end: int
    sentence: int


# A comma between digits groups thousands (13,500元) and does not end a clause.
_CLAUSE_END = re.compile(r"(?<!\d),|,(?!\d{3}(?!\d))|[，;；:：。!！?？\n]|(?<!\d)\.|\.(?!\d)")
_SENTENCE_END = set("。!！?？;；\n")


CAMPAIGN = Family(
    "campaign_term",
    "Institutional names that contain 欠薪 but claim nothing (根治欠薪, 欠薪保障金); masked like negations.",
    r"根治欠薪|治理欠薪|欠薪治理|防范欠薪|欠薪预警|欠薪保障金|欠薪举报|欠薪案件|治欠|清欠|欠薪问题线索"
    r"|欠薪隐患|欠薪风险|欠薪排查|欠薪线索|欠薪专项|欠薪投诉举报",
)


class Text:
    """A normalised text, its negation-masked twin, and its clauses."""

    def __init__(self, original: str, norm: str) -> None:
        self.original = original
        self.norm = norm
        chars = list(norm)
        for m in [*NEGATED_OWED.finditer(norm), *CAMPAIGN.finditer(norm)]:
            chars[m.start() : m.end()] = "□" * (m.end() - m.start())
        self.masked = "".join(chars)
        self.clauses = self._split(norm)
        self._starts = [c.start for c in self.clauses]
        self._sentence_text: dict[int, str] = {}
        self._sentence_hits: dict[tuple[int, str], bool] = {}
        self._clause_hits: dict[tuple[int, str], bool] = {}
        self._sentence_clauses: dict[int, list[int]] = {}
        for i, c in enumerate(self.clauses):
            self._sentence_clauses.setdefault(c.sentence, []).append(i)

    @staticmethod
    def _split(norm: str) -> list[Clause]:
        clauses: list[Clause] = []
        start = 0
        sentence = 0
        for m in _CLAUSE_END.finditer(norm):
            if m.start() > start:
                clauses.append(Clause(start, m.start(), sentence))
            if m.group() in _SENTENCE_END:
                sentence += 1
            start = m.end()
        if start < len(norm):
            clauses.append(Clause(start, len(norm), sentence))
        return clauses

    def clause_index(self, pos: int) -> int:
        """Index of the clause holding ``pos`` (the nearest one before it at a boundary)."""
        return max(0, bisect.bisect_right(self._starts, pos) - 1)

    def sentence_clauses(self, i: int) -> list[int]:
        """Indices of the clauses in the same sentence as clause ``i``."""
        return self._sentence_clauses[self.clauses[i].sentence]

    def sentence_text(self, i: int) -> str:
        """The masked text of the sentence holding clause ``i``, without its punctuation."""
        key = self.clauses[i].sentence
        if key not in self._sentence_text:
            self._sentence_text[key] = "".join(
                self.clause_text(j) for j in self.sentence_clauses(i)
            )
        return self._sentence_text[key]

    def clause_has(self, i: int, family: Family) -> bool:
        """True when masked clause ``i`` matches ``family`` (cached per clause)."""
        key = (i, family.name)
        if key not in self._clause_hits:
            self._clause_hits[key] = family.search(self.clause_text(i)) is not None
        return self._clause_hits[key]

    def sentence_has(self, i: int, family: Family) -> bool:
        """True when the sentence holding clause ``i`` matches ``family`` (cached per sentence)."""
        key = (self.clauses[i].sentence, family.name)
        if key not in self._sentence_hits:
            self._sentence_hits[key] = family.search(self.sentence_text(i)) is not None
        return self._sentence_hits[key]

    def clause_text(self, i: int, masked: bool = True) -> str:
        """The text of clause ``i``."""
        c = self.clauses[i]
        return (self.masked if masked else self.norm)[c.start : c.end]
