"""Is this text a claim that wages or labour pay are owed now?"""

from __future__ import annotations

import re

from .amount import NOT_WAGES
from .model import Evidence
from .text import OWED, WAGE, Family, Text

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
RESOLVED = Family(
    "resolved",
    "The arrears were settled: 已结清, 全部到账, 拿到手, 追回了, 问题已解决, 已经发了.",
    r"已(?:经)?(?:全部)?(?:结清|付清|到账|拿到|兑付|解决|发放到位)|全部(?:结清|付清|到账|拿到|支付|兑付)"
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
    "Signs of one concrete complaint: a complainant, a party, a counted crew.",
    r"我(?![县市区省局镇国院委])|俺|本人|来电人|诉求人|反映人|投诉|反映|被告|原告|申请人|\d+名|包工头|老板",
)
DENIAL = Family(
    "verified_denial",
    "Verification found no wage debt: 经核实…并未拖欠, 系借款纠纷.",
    r"并未拖欠|并没有拖欠|不存在拖欠|未拖欠|系.{0,6}纠纷|不属于欠薪|并非欠薪|不属于拖欠",
)


_BONUS = re.compile(r"年终奖|奖金|分红|报销")


def _owed_wage_clause(t: Text, i: int) -> re.Match[str] | None:
    text = t.clause_text(i)
    m = OWED.search(text)
    if not m:
        return None
    # The wage word may sit in another clause of the sentence: "只发了两个月工资，其余的一直拖欠".
    if not WAGE.search(text) and (NOT_WAGES.search(text) or _BONUS.search(text)):
        return None
    has_wage = WAGE.search(text) or t.sentence_has(i, WAGE)
    if not has_wage and not OWED_PERSON.search(text):
        return None
    return m


def _sentence_is_question(t: Text, i: int) -> bool:
    end = t.clauses[t.sentence_clauses(i)[-1]].end
    return end < len(t.norm) and t.norm[end] in "?？" or t.sentence_text(i).endswith("吗")


def read_arrears(t: Text) -> tuple[bool, Evidence | None]:
    """True with the owing phrase as evidence, or False (with the overriding phrase if any)."""
    owed: list[tuple[int, re.Match[str]]] = []
    for i in range(len(t.clauses)):
        m = _owed_wage_clause(t, i)
        if m is None:
            continue
        clause = t.clause_text(i)
        if _sentence_is_question(t, i) and (
            HYPOTHETICAL.search(clause)
            or (GENERAL_QUESTION.search(clause) and not _FIRST_PERSON.search(t.sentence_text(i)))
        ):
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
    resolved = [(t.clause_index(m.start()), m) for m in RESOLVED.finditer(t.norm)]
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
