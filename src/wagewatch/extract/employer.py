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
    r"|美容院|养老院|敬老院|医院|卫生院|福利院|作坊|企业|厂(?![房里区长内子家商方规矿])"
    # 闭店, 关店, 进店 are verbs on a shop, not the end of its name.
    r"|(?<![闭关开进到回离驻守看])店(?![长里铺面规员主门])|站(?![长点台])"
    # Shops named by trade (business_endings): 面馆, 茶馆, 车行, 琴行, KTV, 网吧.
    r"|面馆|菜馆|茶馆|酒馆|粉馆|车行|琴行|商号|酒楼|茶楼|饭庄|酒家|食府|分部|分店|分厂|门市"
    r"|KTV|ktv|网吧|俱乐部|健身房|影楼|歌厅|酒吧|浴场",
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
    "An anonymised person as the subject that owes: 孙某拖欠, 蒋某某共拖欠, 孔某以资金断裂为由拖欠.",
    rf"(?P<name>[{SURNAMES}]某{{1,2}})(?=(?:一直|已经|已|仍|长期|至今|还|共|共计|累计|先后|恶意|故意)?"
    r"(?:拖欠|欠|拒不支付|未支付|不给|拒付)|以[^，。,]{1,20}为由)",
)
NAMING = Family(
    "naming",
    "The employer's name introduced as such: 厂名叫X, 这家名为“X”的店铺, 现在叫X, 名字叫X.",
    r"(?:厂名|店名|公司名|名字|名称|全称|招牌|厂子|公司|店|厂)(?:叫做|叫|是|为)[:：]?[“「『\"]?$"
    r"|(?:名叫|叫做|名为|现在叫|现名|更名为)[:：]?[“「『\"]?$",
)
BOSS_OF_ORG = Family(
    "boss_of_org",
    "A person presented as the organisation's boss: 丁某某，系X公司实际经营人; 钱某作为X公司负责人.",
    r"(?:的)?(?:实际)?(?:经营人|经营者|负责人|法定代表人|法人代表|法人|老板娘|老板|实际控制人"
    r"|控制人|股东|董事长|总经理|厂长|店长)",
)
ANAPHOR_OWES = Family(
    "anaphor_owes",
    "A back-reference that owes (该公司拖欠, 公司一直拖着, 项目部欠): credits the last named organisation.",
    r"(?:该|这家|那家|本)?(?:公司|企业|厂里|厂子|工厂|厂|项目部|单位|酒店|饭店|超市|店里|站点|矿上|总包单位"
    r"|面馆|饭馆|餐馆|车行|门店|工作室|医院|学校|幼儿园|驾校|机构|店)"
    r"(?=[^，。；;,!?！？]{0,12}?(?:拖欠|欠|拖|未发|没发|不给|没给|未支付|拒不支付))",
)
_BOUNDARY = (
    "受雇于 总承包单位为 分包单位为 单位为 名称为 名称 厂名叫 公司叫 名叫 叫做 入职 就职 任职 应聘 进入 位于 就是 原在 "
    "现在 所在的 所在 辖区内 辖区 园区内 走访 排查 核实 查明 经查 关于 举报 起诉 被告单位 被申请人 申请人 被告 原告 "
    "报告 上报 前往 来到 经营 拖欠 反映 投诉 一家 这家 那家 这个 那个 我们 他们 "
    "在 到 于 为 是 叫 系 被 给 对 向 与 及 由 的 了 即 欠 称 其 我 该 去 进 帮 替 跟 找 号 省 之 原 但 就 "
    "也 都 又 还 再 已 将 从 自 把 让 使 请 据 将 由 以 离职时 入职时 要求 如果 开始 认为 表示 发现 听说 "
    "一个 一份 个 份 送往 送到 送至 前往 赶往 住进 转往 转到 转至 到了 回到 去了 进了 来到 走进 "
    "总包单位 总包方 总承包单位 总承包方 分包单位 承建方 施工方 建设单位 发包方 开发商 甲方 了解到 获悉 "
    "一间 这间 那间 一所 一座 因为 因 这些 那些 裁决 判决 判令 责令 督促 约谈 协调 处罚 查处 "
    "施工单位 用人单位 劳务分包单位 劳务分包方"
).split()
# 和 joins two parties ("我和老板") but also sits inside names (泰和, 和平): stop only at 我和/他和.
_BOUNDARY += ["我和", "他和", "她和", "其和", "和我", "公司和"]
_BOUNDARY_SORTED = sorted(set(_BOUNDARY), key=len, reverse=True)
# One regex for "which boundary word ends here": the leftmost start is the longest word.
_BOUNDARY_END = re.compile("(?:" + "|".join(map(re.escape, _BOUNDARY_SORTED)) + ")$")
_LONGEST_BOUNDARY = max(map(len, _BOUNDARY_SORTED))


def _boundary_ending_at(norm: str, j: int) -> str | None:
    """The longest boundary word that ends at ``j``, if any."""
    m = _BOUNDARY_END.search(norm, max(0, j - _LONGEST_BOUNDARY), j)
    return m.group() if m else None


_INNER_PAREN = re.compile(r"[(（](?:集团|中国|控股|股份|上海|北京|深圳|广州|天津|香港)[)）]")
_NAME_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z]")
# Function characters never inside a name; they end the leftward scan like a boundary word.
_NOT_IN_NAME = set("说没不了是要把被让给就都也还又会能可吗呢吧啊时后满")
_ADMIN = re.compile(
    r"^(?:[\u4e00-\u9fff]{1,6}?(?:省|自治区|市|区|县|镇|乡|街道|村|社区|新区|开发区|园区|工业园))+"
)
_GENERIC = re.compile(
    r"玻璃|陶瓷|水泥|石材|木器|印染|橡胶|造纸|米线|面包|蛋糕|花|药|电子|服装|家具|物流|装修|装饰|建筑|劳务|建设|工程|物业|餐饮|食品|纺织|机械|五金|鞋业|皮具|砖|砂石|塑料"
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
    r"(?:开发商|建设单位|甲方|业主|发包方|总包单位|总包方|总承包单位|总承包方|总包)(?:为|是)?$"
    r"|(?:承包|承揽|承接)了?$"
)
# "丁某某，系X公司实际经营人", "钱某某作为X公司负责人": the name right before the org.
_BOSS_LEAD = re.compile(rf"(?P<name>{NAME})[，,]?(?:系|是|为|作为|身为|担任|任)$")
_COMPANY_END = re.compile(r"(?:公司|集团|项目部|经理部|队|工程处|工程部)$")
_SITE_AFTER = re.compile(r"(?:改造|扩建|新建|改扩建|迁建|建设|装修)?(?:项目|工程|工地)")
_SUBCONTRACTED_TO = re.compile(r"(?:分包给|转包给|包给|分包方为|分包单位为|分包单位是)了?$")
# The defendant or respondent is, by the court's own wording, the party liable to pay.
_LIABLE_TITLES = {"被告人", "被告", "被申请人"}
# "被告人黄某某经营的某电子厂": the person runs the organisation named right after.
_RUNS = re.compile(r"(?:在|于|曾|先后|期间)?(?:经营|开办|开设|开|承包|负责)的?")
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


_CLOSE_QUOTES = {"”": "“", "」": "「", "』": "『", '"': '"', "’": "‘"}
_QUOTES = re.compile(r"[“”「」『』\"‘’]")

# Single-character function words that shop names do contain (好再来面馆, 又一村酒家, 也好超市);
# the lenient scan passes them when the strict scan leaves too short a name.
_LENIENT = set("再又还也就都将从自原之号满会能可")


_STRONG_SINGLE = set("的在叫是于到进去为即系")


def _strong_boundary(norm: str, j: int) -> bool:
    """True when a name may start at ``j``: punctuation, the text start, a clear boundary word, or
    the end of a place (昆明市官渡区|味之源餐饮店)."""
    if j == 0 or not _NAME_CHAR.match(norm[j - 1]) or norm[j - 1] in "省市区县镇乡路街":
        return True
    hit = _boundary_ending_at(norm, j)
    return hit is not None and (len(hit) > 1 or hit in _STRONG_SINGLE)


def _org_start(norm: str, end: int) -> tuple[int, bool]:
    """Start of the name ending at ``end``, and whether the scan stopped at a function word that
    shop names do contain (再, 又, 也 …)."""
    j = end
    while j > 0 and end - j < 30:
        inner = _INNER_PAREN.search(norm, max(0, j - 6), j)
        if inner and inner.end() == j:
            j = inner.start()  # XX(集团)有限公司: the bracket belongs to the name
            continue
        ch = norm[j - 1]
        if ch in _CLOSE_QUOTES:
            k = norm.rfind(_CLOSE_QUOTES[ch], max(0, j - 16), j - 1)
            if k >= 0 and all(_NAME_CHAR.match(c) for c in norm[k + 1 : j - 1]):
                return k, False  # “老灶台”饭店, “阿香”米线店: the quoted brand is the name
            break
        if not _NAME_CHAR.match(ch):
            break
        hit = _boundary_ending_at(norm, j)
        if ch in _NOT_IN_NAME or hit is not None:
            return j, ch in _LENIENT and (hit is None or hit in _LENIENT)
        j -= 1
    return j, False


def _lenient_start(norm: str, end: int) -> int | None:
    """好再来面馆, 又一村饭馆: pass 再/又/也 inside a short name, but only up to a clear start."""
    j = end
    while j > 0 and end - j <= 5:
        if _strong_boundary(norm, j) and j < end - 1:
            hit = _boundary_ending_at(norm, j)
            if hit is None or hit not in _LENIENT:
                return j
        ch = norm[j - 1]
        if not _NAME_CHAR.match(ch) or (ch in _NOT_IN_NAME and ch not in _LENIENT):
            return None
        hit = _boundary_ending_at(norm, j)
        if hit is not None and hit not in _LENIENT:
            return None
        j -= 1
    return None


def _distinct(body: str, suffix: str) -> bool:
    """True when a name body is more than place words and an industry (一家电子厂 is not a name)."""
    body = _QUOTES.sub("", body)
    if body == "某":
        return suffix not in {"公司", "企业", "厂", "店", "站", "集团", "分公司"}
    rest = _ADMIN.sub("", body)
    if "某" in body:
        return len(_GENERIC.sub("", rest.replace("某", ""))) >= 1 or len(body) >= 3
    left = _GENERIC.sub("", rest)
    if len(left) >= 2:
        return True
    # 万家纺织: a two-character brand one of whose characters is also an industry word (家, 新).
    core = _GENERIC_MULTI.sub("", rest)
    return len(left) == 1 and len(core) == 2 and core[0] not in _NOT_A_BRAND_START


_GENERIC_MULTI = re.compile("|".join(w for w in _GENERIC.pattern.split("|") if len(w) > 1))
_NOT_A_BRAND_START = set("这那一每某各本该此总分")


def _orgs(t: Text) -> list[_Cand]:
    norm = t.norm
    out: list[_Cand] = []
    taken_until = -1
    for m in ORG_SUFFIX.finditer(norm):
        if m.start() < taken_until or ORG_SUFFIX.regex.match(norm, m.end()):
            continue  # 某置业|公司: let the longer name end at the later suffix
        start, soft_stop = _org_start(norm, m.start())
        body = norm[start : m.start()]
        if soft_stop:
            alt = _lenient_start(norm, m.start())
            if alt is not None and alt < start and _distinct(norm[alt : m.start()], m.group()):
                start, body = alt, norm[alt : m.start()]
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
        start, _ = _org_start(norm, m.start())
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
        if c.is_org and _SITE_AFTER.match(t.norm, c.end) and not _COMPANY_END.search(c.name):
            s -= 1.5  # "在城西污水处理厂改造工程干活": the factory is the site of the work
        if c.is_org and _SUBCONTRACTED_TO.search(before):
            s += 1  # "劳务分包给了X": X employs the crew
        if c.title in _LIABLE_TITLES:
            s += 1
        scored.append(replace(c, score=s))
    return scored


def read_employer(t: Text) -> tuple[str | None, Evidence | None]:
    """The party owing the wages as written in the text, or None if it is not named."""
    orgs = _bracketed(t, _orgs(t)[:_MAX_CANDIDATES]) + _quoted_names(t) + _role_named(t)
    orgs = _prefer_real_over_anonymised([_named(t, c) for c in orgs])
    cands = _score(t, (orgs + _persons(t))[:_MAX_CANDIDATES])
    for m in ANAPHOR_OWES.finditer(t.masked):
        if any(c.start <= m.start() < c.end for c in cands):
            continue  # "某劳务公司拖欠": part of a name, not a back-reference
        prior = [c for c in cands if c.is_org and c.end <= m.start()]
        # "站点还欠我们": the last organisation of the same kind (…站点), else the last one.
        noun = re.sub(r"^(?:该|这家|那家|本)|(?:里|子|上)$", "", m.group())
        same_kind = [c for c in prior if noun and _kind_of(c.name).endswith(noun[-1])]
        pool = same_kind or prior
        if pool:
            last = max(pool, key=lambda c: c.end)
            cands[cands.index(last)] = replace(last, score=last.score + 3)
    cands = _named_absorbs_description(t, _boss_speaks_for_org(t, cands))
    if not cands:
        return None, None
    best = max(cands, key=lambda c: (c.score, c.is_org, -c.start))
    if best.score <= 0:
        return None, None
    return best.name, Evidence(best.name, best.start, best.end, best.rule)


_BRACKET = re.compile(
    r"[(（](?P<label>(?:名称|名字|店名|厂名|公司名|全称|即|原名|简称)?(?:叫做|叫|是|为)?[:：]?)"
    r"(?P<name>[\u4e00-\u9fffA-Za-z0-9·]{2,24}?)(?=[)）,，;；])"
)
_BRACKET_HOST = re.compile(
    r"(?:公司|厂|店|门店|网点|站点|站|超市|酒店|饭店|机构|工作室|商场|中心|医院|学校|单位|装饰|餐馆|饭馆"
    r"|平台|品牌)$"
)
_NOT_A_NAME_INSIDE = re.compile(
    r"^(?:经营者|负责人|法人|老板|电话|联系|地址|位于|现已|已|系|该|下称|以下简称|简称|约|共|\d)"
)


# "一家婚庆公司（喜洋洋婚庆礼仪有限公司）": the outer name is only a description.
_DETERMINER_BEFORE = re.compile(r"(?:一家|一间|一个|这家|那家|某)$")


def _bracketed(t: Text, orgs: list[_Cand]) -> list[_Cand]:
    """'一家超市（名称：惠民购物广场）', '某快递网点（中通快递城北分部）': the bracketed name is the
    real one when the outer one is generic or anonymised, or the bracket says it names it;
    '华润万家超市（解放路店）' keeps the outer name, the bracket being a branch."""
    norm = t.norm
    out = list(orgs)
    for m in _BRACKET.finditer(norm):
        host_text = norm[max(0, m.start() - 8) : m.start()]
        if not _BRACKET_HOST.search(host_text) or _NOT_A_NAME_INSIDE.search(m["name"]):
            continue
        outer = next((c for c in out if c.end == m.start()), None)
        labelled = bool(m["label"])
        inner_full = ORG_SUFFIX.regex.search(m["name"][-6:]) is not None
        outer_real = (
            outer is not None
            and "某" not in outer.name
            and not _DETERMINER_BEFORE.search(norm, max(0, outer.start - 2), outer.start)
            and not (inner_full and len(m["name"]) > len(outer.name))
        )
        if outer_real and not labelled:
            out = [c for c in out if not (c.start >= m.start("name") and c.end <= m.end("name"))]
            continue
        inner = next((c for c in out if c.start == m.start("name")), None)
        if outer is not None:
            out.remove(outer)
        if inner is not None:
            out[out.index(inner)] = replace(inner, score=inner.score + 0.5)
        else:
            s, e = m.start("name"), m.end("name")
            out.append(_Cand(t.original[s:e], s, e, 2.5, True, "", "bracketed_name"))
    return out


QUOTED_NAME = Family(
    "quoted_name",
    "A quoted brand named as the workplace: 这家名为“好运来”的超市 (好运来超市), 店名叫“丝域造型”.",
    r"(?:名为|名叫|叫做|店名叫|厂名叫|名字叫|店名为|名称为|招牌是)[“「『\"](?P<name>[^”」』\"，。]{2,16})[”」』\"]"
    r"(?:的(?P<kind>超市|饭店|酒店|餐馆|面馆|工厂|厂|商店|店铺|店|公司|作坊|工作室))?",
)
_KIND_SUFFIX = {"店铺": "店", "工厂": "厂", "商店": "店"}


ROLE_NAMED = Family(
    "role_named",
    "A party named by its role, without a suffix: 总包方中天建设拖欠, 施工方鼎力建工未支付.",
    r"(?:总包方|总包单位|总承包方|施工方|施工单位|分包方|劳务分包方|承建方|用人单位|项目方)(?:为|是)?"
    r"(?P<name>[\u4e00-\u9fffA-Za-z]{2,10}?)"
    r"(?=(?:一直|至今|仍|还|已|长期|共)?(?:拖欠|欠|未支付|拒不支付|不支付|未付|不给))",
)


def _role_named(t: Text) -> list[_Cand]:
    """Organisations named only by role (总包方中天建设拖欠…); a suffixed name is found elsewhere."""
    out: list[_Cand] = []
    for m in ROLE_NAMED.finditer(t.norm):
        name = m["name"]
        if ORG_SUFFIX.regex.search(name) or "某" == name[-1:] or _NOT_EMPLOYER.search(name):
            continue
        s, e = m.start("name"), m.end("name")
        out.append(_Cand(t.original[s:e], s, e, 2.0, True, "", ROLE_NAMED.name))
    return out


def _quoted_names(t: Text) -> list[_Cand]:
    """Quoted names after a naming verb; "名为“好运来”的超市" yields 好运来超市."""
    out: list[_Cand] = []
    for m in QUOTED_NAME.finditer(t.norm):
        s, e = m.start("name"), m.end("name")
        name = t.original[s:e]
        if ORG_SUFFIX.regex.search(m["name"] + "$") or not m["kind"]:
            pass  # the quoted text is already a full name, or nothing to add
        elif not ORG_SUFFIX.regex.search(m["name"][-4:]):
            name += _KIND_SUFFIX.get(m["kind"], m["kind"])
        out.append(_Cand(name, s, e, 2.0, True, "", QUOTED_NAME.name))
    return out


def _prefer_real_over_anonymised(orgs: list[_Cand]) -> list[_Cand]:
    """'顺丰园区某分拣站' in a title and '顺捷分拣站' in the body: the real name wins."""
    real_suffixes = {_suffix(c.name) for c in orgs if "某" not in c.name}
    return [
        replace(c, score=c.score - 1.5)
        if "某" in c.name and _suffix(c.name) in real_suffixes
        else c
        for c in orgs
    ]


def _kind_of(name: str) -> str:
    """The kind word an organisation's name ends with (公司, 站点, 厂…), quotes ignored."""
    return _QUOTES.sub("", name)


def _suffix(name: str) -> str:
    m = ORG_SUFFIX.regex.search(name)
    return m.group() if m else ""


def _is_named(t: Text, c: _Cand) -> bool:
    return c.rule == QUOTED_NAME.name or bool(NAMING.search(t.norm[max(0, c.start - 6) : c.start]))


def _named_absorbs_description(t: Text, cands: list[_Cand]) -> list[_Cand]:
    """'在某服装厂打工…厂名叫锦华服饰有限公司', '兰州拉面馆…这家名叫“金城牛肉面馆”的店铺': the workplace
    described first (anonymised, or of the same kind) is the one named later; the name wins."""
    named = [c for c in cands if c.is_org and _is_named(t, c)]
    if not named:
        return cands
    out = list(cands)
    for n in named:
        kind = _suffix(_QUOTES.sub("", n.name))
        for i, c in enumerate(out):
            if not c.is_org or c is n or c.start >= n.start or _is_named(t, c):
                continue
            if "某" in c.name or (kind and _suffix(c.name) == kind):
                j = out.index(n)
                out[j] = replace(out[j], score=max(out[j].score, c.score + 0.5))
                out[i] = replace(c, score=c.score - 2)
    return out


def _named(t: Text, c: _Cand) -> _Cand:
    """+2 for an organisation introduced by name (厂名叫X, 这家名为“X”的店铺)."""
    return replace(c, score=c.score + 2) if _is_named(t, c) else c


def _boss_speaks_for_org(t: Text, cands: list[_Cand]) -> list[_Cand]:
    """'XX公司老板黄某拖欠', 'X经营的某厂': credit the organisation, not its boss."""
    # An upstream party (总包单位X, 开发商X) scores below 1.5 and is nobody's boss's company.
    orgs = [i for i, c in enumerate(cands) if c.is_org and c.score >= 1.5]
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
    # "丁某某，系X公司实际经营人", "钱某作为某装饰公司负责人": the person is the org's boss.
    for o in orgs:
        if not BOSS_OF_ORG.regex.match(t.norm, cands[o].end):
            continue
        lead = _BOSS_LEAD.search(t.norm, max(0, cands[o].start - 12), cands[o].start)
        if lead is not None:
            runs.setdefault(t.original[lead.start("name") : lead.end("name")], o)
    for i in persons:
        name = cands[i].name
        if name not in runs and name not in bosses:
            continue
        host = runs[name] if name in runs else max(orgs, key=lambda o: scores[o])
        scores[host] = max(scores[host], cands[i].score + 1)
        scores[i] = cands[i].score - 2
    return [replace(c, score=s) for c, s in zip(cands, scores, strict=True)]
