"""Who owes the wages: a named company, project department, shop, foreman or boss."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .model import Evidence
from .people import NAME, SURNAMES
from .text import OWED, Family, Text

__all__ = ["read_employer"]

ORG_SUFFIX = Family(
    "org_suffix",
    "The end of an organisation's name: 有限公司, 集团, 项目部, 厂, 酒店, 超市, 驿站 ….",
    r"股份有限公司|有限责任公司|有限公司|集团公司|分公司|公司|集团|项目经理部|项目部|工程部|工程处|经营部"
    r"|门市部|营业部|工程队|施工队|劳务队|车队|大酒店|酒店|饭店|宾馆|餐厅|餐馆|饭馆|超市|商场|购物广场"
    r"|驿站|站点|驾校|网点|工作室|事务所|学校|幼儿园|培训机构|商行|合作社|农场|养殖场|煤矿|会所|门诊|诊所|置业"
    r"|美容院|养老院|敬老院|医院|卫生院|福利院|作坊|企业|厂(?![房里区长内子家商方规矿])|店(?![长里铺面规员主门])|站(?![长点台])",
)
PROJECT_OWES = Family(
    "project_owes",
    "A named project as the subject that owes: 泰和城二期项目拖欠.",
    r"项目(?=(?:一直|已经|已|长期|至今|还|仍)?(?:拖欠|欠))",
)
TITLED_PERSON = Family(
    "titled_person",
    "A foreman or boss named with a title: 包工头刘某某, 老板叫何某, 被告人赵某.",
    r"(?P<title>包工头|工头|老板娘|老板|班组长|带班的|带班|负责人|项目经理|经理|老总|厂长|店长|站长"
    r"|法人代表|法定代表人|法人|承包人|分包商|分包人|被告人|被告|被申请人|经营者|实际控制人|董事长|工长"
    r"|队长|领班|雇主)(?:是|叫|名叫|为|:)?(?P<name>" + NAME + ")",
)
PERSON_OWES = Family(
    "person_owes",
    "An anonymised person as the subject that owes: 孙某拖欠.",
    rf"(?P<name>[{SURNAMES}]某{{1,2}})(?=(?:一直|已经|已|仍|长期|至今|还)?(?:拖欠|欠|拒不支付|未支付|不给))",
)
ANAPHOR_OWES = Family(
    "anaphor_owes",
    "A back-reference that owes (该公司拖欠, 公司一直拖着, 项目部欠): credits the last named organisation.",
    r"(?:该|这家|那家|本)?(?:公司|企业|厂里|厂子|工厂|厂|项目部|单位|酒店|饭店|超市|店里|站点|矿上|总包单位)"
    r"(?=.{0,4}?(?:拖欠|欠|拖|未发|没发|不给|没给|未支付|拒不支付))",
)
_BOUNDARY = (
    "受雇于 总承包单位为 分包单位为 单位为 名称为 名称 厂名叫 公司叫 名叫 叫做 入职 就职 任职 应聘 进入 位于 就是 原在 "
    "现在 所在的 所在 辖区内 辖区 园区内 走访 排查 核实 查明 经查 关于 举报 起诉 被告单位 被申请人 申请人 被告 原告 "
    "报告 上报 前往 来到 经营 拖欠 反映 投诉 一家 这家 那家 这个 那个 我们 他们 "
    "在 到 于 为 是 叫 系 被 给 对 向 与 及 由 的 了 即 欠 称 其 我 该 去 进 帮 替 跟 找 号 省 之 原 但 就 "
    "也 都 又 还 再 已 将 从 自 把 让 使 请 据 将 由 以 离职时 入职时 要求 如果 开始 认为 表示 发现 听说 "
    "一个 一份 个 份"
).split()
# 和 joins two parties ("我和老板") but also sits inside names (泰和, 和平): stop only at 我和/他和.
_BOUNDARY += ["我和", "他和", "她和", "其和", "和我", "公司和"]
_BOUNDARY_SORTED = sorted(set(_BOUNDARY), key=len, reverse=True)
_INNER_PAREN = re.compile(r"[(（](?:集团|中国|控股|股份|上海|北京|深圳|广州|天津|香港)[)）]")
_NAME_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z]")
# Function characters never inside a name; they end the leftward scan like a boundary word.
_NOT_IN_NAME = set("说没不了是要把被让给就都也还又会能可吗呢吧啊时后满")
_ADMIN = re.compile(
    r"^(?:[\u4e00-\u9fff]{1,6}?(?:省|自治区|市|区|县|镇|乡|街道|村|社区|新区|开发区|园区|工业园))+"
)
_GENERIC = re.compile(
    r"电子|服装|家具|物流|装修|装饰|建筑|劳务|建设|工程|物业|餐饮|食品|纺织|机械|五金|鞋业|皮具|砖|砂石|塑料"
    r"|包装|印刷|化工|汽修|汽车|科技|贸易|商贸|保安|保洁|快递|外卖|教育|培训|美容|文化|传媒|网络|信息|投资"
    r"|置业|房地产|开发|混凝土|钢结构|木业|制衣|电器|配件|模具|玩具|灯饰|箱包|纸箱|建材|医疗|咨询|管理|服务"
    r"|人力资源|运输|分包|制品|加工|制造|实业|发展|精密|材料|设备|机电|环保|能源|农业|养殖|个体|私人|早餐"
    r"|奶茶|烧烤|火锅|搅拌|理发|洗车|修理|汽配|零部件|生产|工艺|服饰|家政|搬家|装卸|安装|水电|施工|总|分|小|大"
    r"|黑|新|老|有限|责任|股份|集团|公司|工厂|餐|饭|酒|鞋|煤|矿|商|店|厂|家|地产|楼|区|部|项目|总包|这|那"
)
_BOSS_TITLES = {
    "老板",
    "老板娘",
    "厂长",
    "店长",
    "站长",
    "法人",
    "法人代表",
    "法定代表人",
    "负责人",
    "经理",
    "老总",
    "经营者",
    "实际控制人",
    "董事长",
    "雇主",
}
_NOT_EMPLOYER = re.compile(
    r"法院|检察院|人社局|政府|派出所|公安|监察|管委会|仲裁|信访|住建局|劳动局|本院|记者站"
)
_UPSTREAM_AFTER = re.compile(r"^(?:开发的|开发建设的|开发商|投资的)")
_UPSTREAM_BEFORE = re.compile(
    r"(?:开发商|建设单位|甲方|业主|发包方)(?:为|是)?$|(?:承包|承揽|承接)了?$"
)
# The defendant or respondent is, by the court's own wording, the party liable to pay.
_LIABLE_TITLES = {"被告人", "被告", "被申请人"}
# "被告人黄某某经营的某电子厂": the person runs the organisation named right after.
_RUNS = re.compile(r"(?:经营|开办|开设|开|承包|负责)的?")
# Real complaints name a handful of parties; beyond this the text is not a complaint.
_MAX_CANDIDATES = 200
_FULL_NAME_END = re.compile(r"^(?:[,，。(（:;!?\s]|拖欠|欠|一直|是|的|等|$)")


@dataclass(frozen=True)
class _Cand:
    name: str
    start: int
    end: int
    score: float
    is_org: bool
    title: str
    rule: str


def _org_start(norm: str, end: int) -> int:
    j = end
    while j > 0 and end - j < 30:
        inner = _INNER_PAREN.search(norm, max(0, j - 6), j)
        if inner and inner.end() == j:
            j = inner.start()  # XX(集团)有限公司: the bracket belongs to the name
            continue
        if not _NAME_CHAR.match(norm[j - 1]) or norm[j - 1] in _NOT_IN_NAME:
            break
        if any(norm.endswith(w, 0, j) for w in _BOUNDARY_SORTED):
            break
        j -= 1
    return j


def _distinct(body: str, suffix: str) -> bool:
    """True when a name body is more than place words and an industry (一家电子厂 is not a name)."""
    if body == "某":
        return suffix not in {"公司", "企业", "厂", "店", "站", "集团", "分公司"}
    rest = _ADMIN.sub("", body)
    if "某" in body:
        return len(_GENERIC.sub("", rest.replace("某", ""))) >= 1 or len(body) >= 3
    return len(_GENERIC.sub("", rest)) >= 2


def _orgs(t: Text) -> list[_Cand]:
    norm = t.norm
    out: list[_Cand] = []
    taken_until = -1
    for m in ORG_SUFFIX.finditer(norm):
        if m.start() < taken_until or ORG_SUFFIX.regex.match(norm, m.end()):
            continue  # 某置业|公司: let the longer name end at the later suffix
        start = _org_start(norm, m.start())
        body = norm[start : m.start()]
        if not body or not _distinct(body, m.group()):
            continue
        name = norm[start : m.end()]
        if _NOT_EMPLOYER.search(name):
            continue
        out.append(
            _Cand(t.original[start : m.end()], start, m.end(), 2.0, True, "", ORG_SUFFIX.name)
        )
        taken_until = m.end()
    for m in PROJECT_OWES.finditer(norm):
        start = _org_start(norm, m.start())
        body = norm[start : m.start()]
        if body and _distinct(body, m.group()):
            out.append(
                _Cand(t.original[start : m.end()], start, m.end(), 2.0, True, "", PROJECT_OWES.name)
            )
    return out


def _persons(t: Text) -> list[_Cand]:
    norm = t.norm
    out: list[_Cand] = []
    for m in TITLED_PERSON.finditer(norm):
        name = m["name"]
        if "某" not in name:
            after = norm[m.end("name") : m.end("name") + 2]
            if not _FULL_NAME_END.match(after):
                # Try the two-character reading: 包工头王建军 vs 老板张三说.
                name = name[:2]
                if not _FULL_NAME_END.match(norm[m.start("name") + 2 : m.start("name") + 4]):
                    continue
        s = m.start("name")
        out.append(
            _Cand(
                t.original[s : s + len(name)],
                s,
                s + len(name),
                1.0,
                False,
                m["title"],
                TITLED_PERSON.name,
            )
        )
    for m in PERSON_OWES.finditer(norm):
        before = norm[max(0, m.start() - 4) : m.start()]
        if re.search(r"原告|申请人|工人|员工|农民工|我叫|本人|反映人|来电人|诉求人", before):
            continue
        out.append(
            _Cand(
                t.original[m.start() : m.end()],
                m.start(),
                m.end(),
                1.0,
                False,
                "",
                PERSON_OWES.name,
            )
        )
    return out


def _owes_after(t: Text, c: _Cand) -> bool:
    i = t.clause_index(c.start)
    tail = t.masked[c.end : min(t.clauses[i].end, c.end + 10)]
    return bool(
        re.match(r"^.{0,8}?(?:拖欠|欠|拒不支付|未支付|没有支付|不给|没给|未发|没发|拖着)", tail)
    )


def _score(t: Text, cands: list[_Cand]) -> list[_Cand]:
    scored: list[_Cand] = []
    for c in cands:
        s = c.score
        i = t.clause_index(c.start)
        if _owes_after(t, c):
            s += 3
        elif t.clause_has(i, OWED):
            s += 1
        elif i + 1 < len(t.clauses) and re.match(
            r"^(?:并|后|便|又|还|且)?(?:拖欠|欠)", t.clause_text(i + 1)
        ):
            s += 2  # "被告人X经营Y期间，拖欠…": the next clause has no subject of its own
        before = t.norm[max(0, c.start - 8) : c.start]
        if _UPSTREAM_AFTER.search(t.norm[c.end : c.end + 6]) or _UPSTREAM_BEFORE.search(before):
            s -= 1.5
        if c.title in _LIABLE_TITLES:
            s += 1
        scored.append(replace(c, score=s))
    return scored


def read_employer(t: Text) -> tuple[str | None, Evidence | None]:
    """The party owing the wages as written in the text, or None if it is not named."""
    orgs = _orgs(t)[:_MAX_CANDIDATES]
    # "一家超市（名称：惠民购物广场）": the bracketed name is the real one.
    for a in list(orgs):
        for b in list(orgs):
            gap = t.norm[a.end : b.start]
            if a is not b and re.fullmatch(r"[(（](?:名称|即|原名|简称)?[:：]?", gap):
                orgs.remove(a)
                orgs[orgs.index(b)] = replace(b, score=b.score + 0.5)
                break
    cands = _score(t, (orgs + _persons(t))[:_MAX_CANDIDATES])
    for m in ANAPHOR_OWES.finditer(t.masked):
        if any(c.start <= m.start() < c.end for c in cands):
            continue  # "某劳务公司拖欠": part of a name, not a back-reference
        prior = [c for c in cands if c.is_org and c.end <= m.start()]
        if prior:
            last = max(prior, key=lambda c: c.end)
            cands[cands.index(last)] = replace(last, score=last.score + 3)
    cands = _boss_speaks_for_org(t, cands)
    if not cands:
        return None, None
    best = max(cands, key=lambda c: (c.score, c.is_org, -c.start))
    if best.score <= 0:
        return None, None
    return best.name, Evidence(best.name, best.start, best.end, best.rule)


def _boss_speaks_for_org(t: Text, cands: list[_Cand]) -> list[_Cand]:
    """'XX公司老板黄某拖欠', 'X经营的某厂': credit the organisation, not its boss."""
    orgs = [i for i, c in enumerate(cands) if c.is_org and c.score > 0]
    if not orgs:
        return cands
    scores = [c.score for c in cands]
    persons = [i for i, c in enumerate(cands) if not c.is_org]
    org_at = {cands[o].start: o for o in orgs}
    runs: dict[str, int] = {}
    for j in persons:
        m = _RUNS.match(t.norm, cands[j].end)
        if m and m.end() in org_at:
            runs.setdefault(cands[j].name, org_at[m.end()])
    bosses = {cands[j].name for j in persons if cands[j].title in _BOSS_TITLES}
    for i in persons:
        name = cands[i].name
        if name not in runs and name not in bosses:
            continue
        host = runs[name] if name in runs else max(orgs, key=lambda o: scores[o])
        scores[host] = max(scores[host], cands[i].score + 1)
        scores[i] = cands[i].score - 2
    return [replace(c, score=s) for c, s in zip(cands, scores, strict=True)]
