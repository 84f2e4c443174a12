"""Risk flags: fled, extreme, group, construction, casualty."""

from __future__ import annotations

import re

from .model import Evidence
from .text import AUDIENCE_DAJIA, Family, Text

__all__ = ["FLAG_RULES", "read_flags"]

FLED = Family(
    "fled",
    "The employer ran or cannot be reached: 跑路, 失联, 逃匿, 联系不上, 电话关机, 拉黑, 去向不明,"
    " 更换联系方式.",
    r"跑路|跑了(?![\d一二三四五六七八九十几两好]|趟|次)|失联|失踪|逃匿|潜逃|联系不上|联系不到|联系不了|找不到人"
    r"|人也找不到|找不到他|电话关机|手机关机|关机|打不通|拉黑|不知去向|去向不明|下落不明|人去楼空|卷钱|卷款"
    r"|携款|卷走|卷跑|消失|逃跑|逃离|逃走|隐匿|躲起来|藏起来|溜了|跑掉|不见踪影|失去联系|关闭手机"
    # changed_contact: 更换联系方式, 换了手机号, 变更手机号码, 注销微信.
    r"|(?:更换|变更|换了|换掉|改了|注销|停用)(?:了)?(?:新的?)?(?:手机号码|手机号|手机|电话号码|电话|联系方式|号码|微信)",
)
EXTREME = Family(
    "extreme",
    "Extreme protest, done or threatened: 爬塔吊, 跳楼, 喝药, 横幅, 堵路, 自焚.",
    r"爬[^，。；;,!?！？]{0,24}塔吊|上.{0,3}塔吊|塔吊上|跳楼|要跳|跳河|跳桥|扬言跳|喝药|农药|服毒|横幅|堵路|堵门|堵大门|围堵"
    r"|拦车|封路|自焚|浇汽油|爬上楼顶|爬到楼顶|楼顶|轻生|自杀|以死相逼|割腕",
)
CASUALTY = Family(
    "casualty",
    "Death or injury: 死亡, 身亡, 受伤, 工伤, 骨折, 打伤, 住院.",
    r"死亡|身亡|去世|遇难|丧生|受伤|轻伤|重伤|摔伤|摔下|骨折|工伤|伤亡|打伤|致伤|住院|抢救|殴打|被打|砍伤"
    r"|烧伤|致残|残疾|轻微伤|送医|送到医院|送往医院|伤势",
)
CONSTRUCTION = Family(
    "construction",
    "Construction work: 工地, 项目, 包工头, 施工, 劳务 (not 劳务派遣), 工程, 装修.",
    r"工地|项目|包工头|工头|施工|劳务(?!派遣|关系|报酬|费)|建筑|工程(?!师)|塔吊|钢筋|瓦工|泥工|架子工|脚手架"
    # 木工 is building work unless its sentence is about a factory (家具厂做木工): see _FACTORY_TRADE.
    r"|木工"
    r"|楼盘|在建|装修|装饰|水电安装|棚改|安置房|自建房|隧道|修路|修了.{0,6}路|市政(?!府)|土方|外墙|保温|砌筑"
    r"|粉刷|挖掘机|混凝土|钢结构|模板|建工|中建|中铁|房建|盖房|厂房"
    r"|建设(?:集团|有限|工程|公司|股份|\(集团\))",
)
GROUP = Family(
    "group",
    "A crew rather than one person: 工友们, 大家, 班组, 几十个工人, 多名, 聚集, 一行.",
    rf"工友们|工人们|农民工们|员工们|{AUDIENCE_DAJIA}|大伙|我们这些|班组(?!长|负责人)|集体(?:停工|讨薪|上访|维权)"
    # spoken ranges of people (七八个人, 三四十个工人): a crew even without one number
    r"|(?<![\d一二三四五六七八九十])[二三四五六七八九两][三四五六七八九十]十?(?:来)?(?:个|名|号|位)"
    r"(?:人|工人|工友|员工|农民工|兄弟|老乡)"
    r"|(?:几十|数十|几百|数百|上百|十几|好几十)(?:个|名|号|位)?(?:人|工人|工友|员工|农民工|兄弟)"
    r"|一群|群体|多名|全厂|全体|聚集|一行|众多|较多|一批",
)
_NEGATED = re.compile(r"(?:未造成|没有造成|未发生|没有发生|未有|没有|并未|未|没|无)(?:人员|任何)?$")

FLAG_RULES = {"fled": FLED, "extreme": EXTREME, "casualty": CASUALTY, "construction": CONSTRUCTION}


# Trades shared by building sites and factories count as construction only away from a factory.
_FACTORY_TRADE = re.compile(r"木工|油漆工|电焊")


def _in_factory(t: Text, m: re.Match[str]) -> bool:
    if not _FACTORY_TRADE.fullmatch(m.group()):
        return False
    return "厂" in t.sentence_text(t.clause_index(m.start()))


def _first(t: Text, fam: Family) -> Evidence | None:
    for m in fam.finditer(t.norm):
        if _NEGATED.search(t.norm[max(0, m.start() - 5) : m.start()]):
            continue
        if fam is CONSTRUCTION and _in_factory(t, m):
            continue
        return Evidence(t.original[m.start() : m.end()], m.start(), m.end(), fam.name)
    return None


def read_flags(
    t: Text, workers: int | None, workers_ev: Evidence | None = None
) -> dict[str, Evidence]:
    """Flags raised by the text, each with the phrase that raised it."""
    out: dict[str, Evidence] = {}
    for flag, fam in FLAG_RULES.items():
        ev = _first(t, fam)
        if ev is not None:
            out[flag] = ev
    if workers is not None and workers >= 3:
        span = workers_ev or Evidence("", 0, 0, "")
        out["group"] = Evidence(span.phrase, span.start, span.end, "three_or_more_workers")
    else:
        ev = _first(t, GROUP)
        if ev is not None and (workers is None or workers >= 3):
            out["group"] = ev
    return out
