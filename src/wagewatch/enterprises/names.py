"""Company-name normalisation: width, brackets, punctuation, region prefixes, legal-form suffixes.

A Chinese enterprise name is 行政区划 + 字号 + 行业 + 组织形式 (+ 分支机构). We split it into
those parts so that matching can fold what does not distinguish two enterprises (width,
bracket style, 有限公司 vs 有限责任公司, a region prefix written or not) and keep what does
(字号, 行业用语, numbers, 分公司/项目部). The canonical suffix for every company form is 公司.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

__all__ = [
    "CANONICAL_FORM",
    "INDUSTRY_WORDS",
    "PROVINCE_NAMES",
    "NameParts",
    "name_key",
    "normalise_name",
    "regions_compatible",
    "split_name",
]

CANONICAL_FORM = "公司"

PROVINCE_NAMES = (
    "北京",
    "天津",
    "河北",
    "山西",
    "内蒙古",
    "辽宁",
    "吉林",
    "黑龙江",
    "上海",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "广西",
    "海南",
    "重庆",
    "四川",
    "贵州",
    "云南",
    "西藏",
    "陕西",
    "甘肃",
    "青海",
    "宁夏",
    "新疆",
    "台湾",
    "香港",
    "澳门",
)

# 行业用语: where a trade name (字号) ends. Compact on purpose; a word missing here only makes
# the trade name longer, which makes fuzzy matching stricter, never looser.
INDUSTRY_WORDS = tuple(
    sorted(
        set(
            """
            建筑 建设 建工 工程 劳务 装饰 装潢 安装 市政 园林 绿化 路桥 桥梁 隧道 钢结构 幕墙 防水
            消防 机电 水电 电力 电气 电子 电器 科技 技术 信息 网络 软件 数据 智能 通信 通讯 实业
            投资 控股 集团 股份 发展 管理 咨询 服务 贸易 商贸 商务 进出口 物流 运输 货运 快递 供应链
            仓储 物业 置业 房地产 地产 开发 餐饮 食品 酒店 宾馆 超市 百货 商场 机械 设备 制造 汽车
            汽配 模具 五金 塑料 塑胶 橡胶 化工 材料 建材 混凝土 钢铁 金属 纺织 服装 服饰 鞋业 家具
            印刷 包装 纸业 医疗 医药 生物 健康 养老 家政 保洁 保安 人力资源 人力 劳动 教育 培训 文化
            传媒 广告 旅游 农业 林业 渔业 养殖 种植 能源 环保 环境 光电 精密 制品 工贸 经贸 企业
            矿业 石油 燃气 水务 清洁 美容 娱乐 体育 影视 艺术 设计 规划 勘察 测绘 检测 租赁 金融
            担保 保险 电商 电子商务 互联网 照明 陶瓷 玻璃 水泥 木业 门窗 船舶 航运 港口 航空 工业
            钢材 五金 机床 仪器 仪表 光学 新材料 新能源 生态 环卫 农产品 水产 蔬菜 果业 茶业 酒业
            """.split()
        ),
        key=lambda w: (-len(w), w),
    )
)
_INDUSTRY_RE = re.compile("|".join(INDUSTRY_WORDS))

# 分支机构 markers: a name carrying one names a branch, never its parent.
_BRANCH_RE = re.compile(
    r"分公司|分厂|分店|分行|支行|分所|分部|分中心|分社|分院|项目经理部|项目部|指挥部|"
    r"营业部|经营部|门市部|服务部|办事处|工程处|工区|门店|直营店|加盟店"
)

_OPEN = "([{【〔〖「『《〈"
_CLOSE = ")]}】〕〗」』》〉"
_OPEN_SET = frozenset(_OPEN)
_BRACKET_RE = re.compile(
    f"[{re.escape(_OPEN)}]([^{re.escape(_OPEN + _CLOSE)}]*)[{re.escape(_CLOSE)}]"
)
_JUNK_RE = re.compile(r"[^0-9A-Z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")

_PROVINCE_RE = re.compile(
    "^(?P<r>"
    + "|".join(sorted(PROVINCE_NAMES, key=len, reverse=True))
    + r")(?:维吾尔自治区|壮族自治区|回族自治区|特别行政区|自治区|省|市(?![政场民容]))?"
)
# "…市/…区/…县" prefixes. The look-aheads keep 市政、市场、区域、区块链、县域 in the name.
_LOCAL_RE = re.compile(
    r"^(?P<r>[\u4e00-\u9fff]{2,4}?)(?:新区|自治州|自治县|市(?![政场民容])|区(?![域块])|县(?![域城]))"
)
# Words ending in 市/区 that are not places: 华联超市、智慧城市、五金门市部、产业园区 …
_NOT_PLACE = frozenset(
    "超市 城市 都市 门市 夜市 菜市 集市 股市 花市 早市 社区 小区 园区 校区 厂区 景区 街区 "
    "矿区 营区 展区 专区 片区 库区 牧区 林区 湖区 辖区 分区 工区 商区".split()
)
_REGION_ONLY = frozenset({"中国", "中华"})

# 组织形式, longest first; 分公司 is a branch, not a form, hence the look-behind.
_FORM_RE = re.compile(
    r"(?<!分)(?:股份有限责任公司|股份有限公司|有限责任公司|有限公司|股份公司|责任公司|公司)"
    r"|(?:有限责任|有限)$"
)
_NUMERAL_RE = re.compile(r"[0-9A-Z零〇一二三四五六七八九十百千]")


class NameParts(NamedTuple):
    """A company name split into region tokens, body, canonical form and branch."""

    region: tuple[str, ...]  # 上海市宝山区 → ("上海", "宝山"); bracketed regions included
    body: str  # 字号 + 行业, without region, punctuation or form
    form: str  # CANONICAL_FORM when a company form was found, else ""
    branch: str  # text after the form: 宝山分公司, XX项目部 …
    trade: str  # 字号: body up to the first industry word (at least two characters)
    normalised: str  # body + form + branch: what normalise_name returns
    full: str  # the normalised name with its region tokens in front (上海宝山XX公司)

    @property
    def branch_markers(self) -> tuple[str, ...]:
        """分支机构 markers anywhere in the name (分公司, 项目部 …)."""
        return tuple(_BRANCH_RE.findall(self.normalised))

    @property
    def numerals(self) -> tuple[str, ...]:
        """Digits, Latin letters and Chinese numerals in order: 第一 and 第二 are different names."""
        return tuple(_NUMERAL_RE.findall(self.normalised))

    @property
    def industry_words(self) -> frozenset[str]:
        """The industry words (行业用语) found after the trade name."""
        return frozenset(_INDUSTRY_RE.findall(self.body, len(self.trade)))


def _no_body(rest: str) -> bool:
    """True when fewer than two characters come before the company form (or the end)."""
    return len(rest) < 2 or bool(_FORM_RE.match(rest) or _FORM_RE.match(rest, 1))


_PROVINCE_FIRST = frozenset(p[0] for p in PROVINCE_NAMES)
_LOCAL_MARKS = frozenset("市区县州")


def _strip_region(text: str, tokens: list[str], *, keep_body: bool = True) -> str:
    """Remove leading region names into tokens; keep at least two characters of body."""
    while True:
        m = _PROVINCE_RE.match(text) if text[:1] in _PROVINCE_FIRST else None
        if m is None and not _LOCAL_MARKS.isdisjoint(text[2:7]):
            m = _LOCAL_RE.match(text)
            if m is not None and text[m.end() - 2 : m.end()] in _NOT_PLACE:
                return text
        if m is None:
            return text
        rest = text[m.end() :]
        if keep_body and _no_body(rest):
            return text
        tokens.append(m.group("r"))
        text = rest


def _bracket(m: re.Match[str], tokens: list[str]) -> str:
    content = _JUNK_RE.sub("", m.group(1))
    if content in _REGION_ONLY:
        tokens.append(content)
        return ""
    found: list[str] = []
    if content and not _strip_region(content, found, keep_body=False):
        tokens.extend(found)
        return ""
    return content


def split_name(name: str) -> NameParts:
    """Split a company name into region, body, canonical form, branch and trade name."""
    text = unicodedata.normalize("NFKC", name).upper()
    region: list[str] = []
    bracketed: list[str] = []
    if not _OPEN_SET.isdisjoint(text):
        previous = None
        while previous != text:  # innermost brackets first
            previous = text
            text = _BRACKET_RE.sub(lambda m: _bracket(m, bracketed), text)
    text = _JUNK_RE.sub("", text)
    text = _strip_region(text, region)
    region.extend(bracketed)

    m = _FORM_RE.search(text)
    if m is None:
        body, form, branch = text, "", ""
    else:
        body, form, branch = text[: m.start()], CANONICAL_FORM, text[m.end() :]
    hit = _INDUSTRY_RE.search(body, 2)
    trade = body[: hit.start()] if hit else body
    regions = tuple(region) if len(region) < 2 else tuple(dict.fromkeys(region))
    normalised = body + form + branch
    return NameParts(regions, body, form, branch, trade, normalised, "".join(regions) + normalised)


_split_cached = lru_cache(maxsize=1 << 17)(split_name)


def normalise_name(name: str) -> str:
    """Fold a company name for comparison: 上海宏达建筑工程有限公司 → 宏达建筑工程公司."""
    return _split_cached(name).normalised


def name_key(name: str) -> str:
    """Blocking key: the trade name (字号), e.g. 宏达 for 上海宏达建筑工程有限公司."""
    return _split_cached(name).trade


def regions_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """True unless both names carry regions and neither set contains the other (上海 vs 北京)."""
    sa, sb = set(a), set(b)
    return sa <= sb or sb <= sa
