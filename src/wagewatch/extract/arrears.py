"""Is this text a claim that wages or labour pay are owed now?"""

from __future__ import annotations

import re

from .amount import NOT_WAGES
from .model import Evidence
from .numerals import QTY, parse_quantity
from .text import OWED, WAGE, WEAK_OWED, Family, Text

__all__ = ["read_arrears"]

OWED_PERSON = Family(
    "owed_person",
    "Owing a person, which in a complaint means pay: 欠我, 拖欠其, 欠我们, 讨薪.",
    r"讨薪|欠薪|讨要工|被欠|欠(?:了)?(?:我|俺|他|她|其|我们|大家|工人|员工|原告|申请人)|拖欠(?:了)?(?:我|俺|他|她|其|我们|大家)"
    r"|一分钱|分文|涉及.{0,8}工资|(?:元|块|钱).{0,8}(?:不给|没给|未付|没付|不付)",
)
FLIGHT_WITH_PAY = Family(
    "flight_with_pay",
    "The boss ran off and pay is mentioned: 老板卷钱跑了…血汗钱 is an arrears claim without a verb of owing.",
    r"跑路|跑了|失联|失踪|逃匿|潜逃|联系不上|卷钱|卷款|携款|消失|不知去向|下落不明",
)
HYPOTHETICAL = Family(
    "hypothetical",
    "A question about what would count as arrears, not a claim: 如果…, 这算拖欠吗, 是否属于.",
    r"如果|假如|要是|算不算|这算|是否|是不是|属于|会不会|能不能算|怎么算",
)
GENERAL_QUESTION = Family(
    "general_question",
    "A legal question in general terms (请问单位拖欠工资，可以…吗), when no one says it happened to them.",
    r"请问|可以|能否|应该|怎么办|法律依据|哪些",
)
_FIRST_PERSON = re.compile(r"我|俺|本人|咱")
# A complainant speaking for themselves; "我县/我市" are the authority's own voice.
_FIRST_PERSON_COMPLAINT = re.compile(
    r"我(?![县市区省局镇国院委州乡街])|俺|本人|来电人|诉求人|反映人|来信人|投诉人|举报人"
)
RESOLVED = Family(
    "resolved",
    "The arrears were settled: 已结清, 全部到账, 拿到手, 追回了, 问题已解决, 已经发了, 全部发放到位,"
    " 已兑现, 已拿到, 全部要了回来, 打到卡上.",
    r"已(?:经)?(?:全部|足额|如数)?(?:结清|付清|到账|拿到|领到|收到|兑付|兑现|解决|发放到位|补发|追回|讨回|要回)"
    r"|全部(?:结清|付清|到账|拿到|领到|收到|支付|兑付|兑现|发放|补发|追回|讨回|要回|拿回)"
    r"|(?:全部|足额|如数)?(?:发放|支付|兑现|结清|付清|补发|清偿)到位|(?:要|讨|拿|追)了回来"
    r"|打到(?:了)?(?:我的?|我们的?)?(?:卡|银行卡|账户)(?:上|里)"
    r"|(?:全部|都|已经?|终于)(?:已经?)?到位"
    r"|支付全部|追回了|拿回了|讨回了|拿到手|当场支付|已经发了|现已发放|已发放|已足额|和解协议|已为.{0,12}支付",
)
THANKS = Family(
    "thanks", "Gratitude for a resolved case: 感谢, 谢谢, 点赞, 锦旗.", r"感谢|谢谢|点赞|锦旗|致谢"
)
COURT = Family(
    "court_report",
    "A court or prosecution report, where later repayment does not undo the arrears.",
    r"被告|判处|法院|公诉|拒不支付劳动报酬|仲裁|本院|检察|审理",
)
NOTICE = Family(
    "notice",
    "Policy, statistics and campaign notices about arrears in general.",
    r"通知|专项行动|推进会|条例|宣传|今年以来|全市共|全区共|全县共|共为|累计为|保证金制度|实名制|专用账户"
    r"|根治欠薪|专项检查|提醒|明确规定|应当按|依法|确保",
)
SPECIFIC = Family(
    "specific_complaint",
    "Signs of one concrete complaint: a complainant, a party, a counted crew (27名, 二十余名),"
    " a named organisation that owes (某建筑劳务公司…拖欠).",
    r"我(?![县市区省局镇国院委])|俺|本人|来电人|诉求人|反映人|投诉|反映|被告|原告|申请人|包工头|老板"
    rf"|(?<![第共计达约])(?:{QTY})(?:名|位)(?!单)"
    r"|(?:公司|厂|项目部|店|超市|酒店|饭店|工作室|馆|站)[^。；;]{0,25}?拖欠[^。；;]{0,15}?(?:工资|工钱|劳务费|薪|报酬)",
)
STATISTICS = Family(
    "statistics",
    "A summary of many cases (全市共办理欠薪案件326件，为2841名劳动者追回工资): no single employer owes.",
    rf"(?:案件|纠纷|线索|问题)(?:{QTY})(?:件|起|条)|(?:{QTY})(?:件|起|条)(?:欠薪|工资|劳资)?(?:案件|纠纷|线索)"
    rf"|(?:为|帮助|帮|替)(?:{QTY})(?:名|人|位)(?:劳动者|农民工|职工|员工|工人)?"
    r"(?:追回|追发|讨回|挽回|追讨|结清|支付|补发|发放|讨薪)"
    r"|结案率|办结率|化解率",
)
#: A question whether something counts as arrears (这样算拖欠工资吗, 这属于拖欠工资吗) or is
#: lawful (不给加班费合法吗): the practice asked about is not money owed now.
CLASSIFY_QUESTION = Family(
    "classify_question",
    "A question whether a practice counts as arrears or is lawful: 算拖欠工资吗, 属于拖欠吗,"
    " 算不算欠薪, 合法吗, 违不违法.",
    r"(?:算|算是|属于|构成|算不算|属不属于|是不是|是否)(?:是)?(?:恶意)?(?:拖欠|欠薪|克扣|违法)"
    r"|合法吗|违法吗|合理吗|合规吗|违不违法|合不合法|合不合理|是否合法|是否违法",
)
#: "没给我们交社保", "不给交": the owing verb governs a contribution (交, 缴), not pay.
_CONTRIBUTION_AFTER = re.compile(
    r"(?:我们?|俺们?|他们?|她们?|员工|职工|工人|其|她|他|大家)?(?:交|缴|买|办理|续交|续缴)"
)
#: The resolved debt is another debt: 总包说工程款早已付清 does not settle the wages.
_OTHER_DEBT_NEAR = re.compile(r"工程款|货款|材料款|押金|保证金|进度款|借款|房租|租金")
# A month count or a sum inside an owing clause makes it a statement of money owed now.
_OWED_FIGURE = re.compile(r"(?:\d|[一二两三四五六七八九十半几])个(?:多|半)?月|\d+元|万元|千元")
DENIAL = Family(
    "verified_denial",
    "Verification found no wage debt: 经核实…并未拖欠, 系借款纠纷.",
    r"并未拖欠|并没有拖欠|不存在拖欠|未拖欠|系.{0,6}纠纷|不属于欠薪|并非欠薪|不属于拖欠",
)


_BONUS = re.compile(r"年终奖|奖金|分红|报销")


def _owed_wage_clause(t: Text, i: int) -> re.Match[str] | None:
    text = t.clause_text(i)
    cues = [c for c in OWED.finditer(text) if not _CONTRIBUTION_AFTER.match(text, c.end())]
    if not cues:
        return None
    m = cues[0]
    # The wage word may sit in another clause of the sentence: "只发了两个月工资，其余的一直拖欠".
    if not WAGE.search(text) and (NOT_WAGES.search(text) or _BONUS.search(text)):
        return None
    has_wage = WAGE.search(text) or t.sentence_has(i, WAGE)
    if not has_wage and not OWED_PERSON.search(text):
        return None
    return m


def _statistics(t: Text) -> re.Match[str] | None:
    """The first summary-of-many-cases phrase; "一起欠薪案件" (one case) is not a statistic."""
    for m in STATISTICS.finditer(t.norm):
        counts = re.findall(rf"{QTY}", m.group())
        if counts and all(parse_quantity(c) in (None, 1.0) for c in counts):
            continue
        return m
    return None


def _settles_other_debt(t: Text, m: re.Match[str]) -> bool:
    """A resolution phrase about 工程款, 货款 or 押金 rather than wages."""
    i = t.clause_index(m.start())
    clause = t.clause_text(i, masked=False)
    return bool(_OTHER_DEBT_NEAR.search(clause)) and not WAGE.search(
        re.sub(r"工程款|货款|材料款|进度款|借款", "", clause)
    )


def _sentence_is_question(t: Text, i: int) -> bool:
    end = t.clauses[t.sentence_clauses(i)[-1]].end
    return end < len(t.norm) and t.norm[end] in "?？" or t.sentence_text(i).endswith("吗")


def _strong_owed(t: Text, i: int) -> bool:
    """An owing clause that states money owed now, not merely that pay came late."""
    text = t.clause_text(i)
    if CLASSIFY_QUESTION.search(text):
        return False
    for m in OWED.finditer(text):
        if re.match(r"(?:了)?(?:我|俺|其|他|她|我们|员工|工人)", text[m.end() :]):
            return True  # 不给我发, 没给我们结
        if not WEAK_OWED.match(m.group()) and not _LEGALITY.search(t.sentence_text(i)):
            return True
    return bool(OWED_PERSON.search(text) or _OWED_FIGURE.search(text))


_LEGALITY = re.compile(r"合法|违法|合理|合规")


def read_arrears(t: Text) -> tuple[bool, Evidence | None]:
    """True with the owing phrase as evidence, or False (with the overriding phrase if any)."""
    owed: list[tuple[int, re.Match[str]]] = []
    for i in range(len(t.clauses)):
        m = _owed_wage_clause(t, i)
        if m is None:
            continue
        clause = t.clause_text(i)
        if _sentence_is_question(t, i):
            if HYPOTHETICAL.search(clause) or (
                GENERAL_QUESTION.search(clause) and not _FIRST_PERSON.search(t.sentence_text(i))
            ):
                continue
            if CLASSIFY_QUESTION.search(t.sentence_text(i)) and (
                CLASSIFY_QUESTION.search(clause) or not _strong_owed(t, i)
            ):
                # "每个月都晚一个星期才发工资，这样算拖欠工资吗？": the situation asked about.
                continue
        owed.append((i, m))
    if not owed:
        flight = FLIGHT_WITH_PAY.search(t.masked)
        if flight and re.search(r"工资|工钱|血汗钱|辛苦钱|薪", t.norm):
            m = flight
            return True, Evidence(
                t.original[m.start() : m.end()], m.start(), m.end(), FLIGHT_WITH_PAY.name
            )
        return False, None
    court = COURT.search(t.norm) is not None
    stats = _statistics(t)
    if stats and not _FIRST_PERSON_COMPLAINT.search(t.norm):
        return False, Evidence(
            t.original[stats.start() : stats.end()], stats.start(), stats.end(), STATISTICS.name
        )
    if NOTICE.search(t.norm) and not SPECIFIC.search(t.norm):
        m = NOTICE.search(t.norm)
        assert m is not None
        return False, Evidence(t.original[m.start() : m.end()], m.start(), m.end(), NOTICE.name)
    if not court and re.search(r"经核实|经查|核实|经调查", t.norm):
        for d in DENIAL.finditer(t.norm):
            i = t.clause_index(d.start())
            if not re.search(r"辩称|称", t.sentence_text(i)[:20]):
                return False, Evidence(
                    t.original[d.start() : d.end()], d.start(), d.end(), DENIAL.name
                )
    resolved = [
        (t.clause_index(m.start()), m)
        for m in RESOLVED.finditer(t.norm)
        if not _settles_other_debt(t, m)
    ]
    if resolved and not court:
        last_resolved = max(i for i, _ in resolved)
        still_owed = [i for i, _ in owed if i > last_resolved]
        if not still_owed or THANKS.search(t.norm):
            _, m = resolved[-1]
            return False, Evidence(
                t.original[m.start() : m.end()], m.start(), m.end(), RESOLVED.name
            )
    i, m = owed[0]
    c = t.clauses[i]
    return True, Evidence(t.original[c.start : c.end], c.start, c.end, "owed_wage_clause")
