"""A synthetic district: townships, industries and a registry of enterprises with real-looking names."""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt

from wagewatch.simulate.ids import credit_code, person_name, phone

__all__ = [
    "INDUSTRIES",
    "NAME_VARIANTS",
    "District",
    "Industry",
    "Name",
    "Registry",
    "build_registry",
    "make_district",
    "variant",
]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Industry:
    """An industry of the district: share of firms, words used in names, wage level, risk."""

    name: str
    share: float
    words: tuple[str, ...]
    wage: int  # typical monthly wage per worker, yuan
    risk: float  # relative chance of deteriorating
    platform: bool  # wages reported through the 工资支付监管平台 (建设领域)
    outsourcing: float  # share of firms relying on labour outsourcing


# Construction, transport and water conservancy together are 15% of firms, as in most districts.
INDUSTRIES: tuple[Industry, ...] = (
    Industry("建筑业", 0.09, ("建筑工程", "建设工程", "建筑劳务", "装饰工程", "市政工程",
             "建筑安装工程", "钢结构工程"), 7000, 2.4, True, 0.35),
    Industry("交通运输业", 0.04, ("交通建设工程", "路桥工程", "运输", "客运", "汽车运输"),
             6500, 1.5, True, 0.15),
    Industry("水利工程", 0.02, ("水利工程", "水利水电工程", "河道工程", "水务工程"), 6600, 1.6,
             True, 0.2),
    Industry("制造业", 0.29, ("机械制造", "精密机械", "汽车配件", "塑料制品", "五金制品",
             "新材料科技", "机电设备", "模具", "包装材料", "食品"), 5600, 1.0, False, 0.06),
    Industry("批发零售", 0.13, ("商贸", "贸易", "百货", "超市", "建材"), 4800, 0.7, False, 0.02),
    Industry("餐饮住宿", 0.10, ("餐饮管理", "餐饮服务", "酒店管理", "酒店"), 4300, 1.2, False,
             0.05),
    Industry("物流仓储", 0.07, ("物流", "供应链管理", "仓储服务", "货运代理"), 5900, 1.0, False,
             0.12),
    Industry("纺织服装", 0.08, ("服饰", "纺织", "制衣", "针织"), 4700, 1.3, False, 0.05),
    Industry("电子信息", 0.07, ("电子科技", "信息技术", "光电科技", "智能科技", "电子"), 6500,
             0.7, False, 0.05),
    Industry("物业保洁", 0.06, ("物业管理", "保洁服务", "环境卫生管理", "物业服务"), 4000, 0.9,
             False, 0.3),
    Industry("商务服务", 0.05, ("人力资源", "企业管理咨询", "劳务派遣", "商务服务"), 5200, 0.8,
             False, 0.2),
)  # fmt: skip

_DISTRICTS = (
    # province (short), city (short), district, province code, city code
    ("浙江", "宁川", "青溪区", "33", "12"),
    ("江苏", "临江", "滨湖区", "32", "14"),
    ("湖北", "云州", "北湖区", "42", "16"),
    ("广东", "海州", "新城区", "44", "21"),
    ("河南", "安平", "南湖区", "41", "18"),
    ("江西", "江州", "临川区", "36", "13"),
    ("福建", "永宁", "西陵区", "35", "11"),
    ("四川", "平江", "东城区", "51", "19"),
)
_STREETS = (
    "城东街道", "城西街道", "城南街道", "城北街道", "中山街道", "人民街道", "新华街道",
    "文昌街道", "滨江街道", "鼓楼街道", "东湖街道", "解放街道",
)  # fmt: skip
_TOWNS = (
    "白沙镇", "马桥镇", "青龙镇", "石湖镇", "双桥镇", "黄渡镇", "金桥镇", "柳河镇", "太平镇",
    "永安镇", "花桥镇", "龙泉镇", "杨柳镇", "新塘镇", "三江镇",
)  # fmt: skip
_PARKS = ("经济开发区", "高新技术产业园区", "临港工业园区", "现代物流园区")
_ROADS = (
    "工业路", "建设路", "人民路", "兴业大道", "科技路", "长江路", "黄河路", "解放路", "迎宾大道",
    "创业路", "振兴路", "滨江路", "开发大道", "纬一路", "经二路", "环城东路", "湖滨路",
)  # fmt: skip
TRADE_CHARS = "".join(
    dict.fromkeys(
        "宏达远鑫盛华兴恒信嘉瑞祥利丰源泰安顺通明新永金宝德福隆昌成创辉鼎卓越正天海宇博腾晟凯"
        "旭锦欣俊豪荣佳和美伟力立众诚益升东方圣亿联合汇广志强胜龙凤星光阳春晨润泽中大茂富贵康"
        "乐裕邦骏翔鸿运亨鹏程百川万家国浩科兆威精工汇丰融硕铭帆航蓝图"
    )
)
_PROJECT_PLACES = ("城南", "滨江", "东湖", "新城", "北站", "老城", "中心城区", "高铁新区", "西岸")
_PROJECT_TYPES = (
    "安置房二期工程", "小学新建工程", "道路改造工程", "污水管网工程", "商住楼项目",
    "人民医院迁建工程", "河道综合整治工程", "标准厂房工程", "大桥工程", "棚户区改造项目",
    "安置小区三期工程", "体育中心工程", "供水管网改造工程",
)  # fmt: skip

# How another office may write the same name; each keeps it the same enterprise.
NAME_VARIANTS = ("bracket", "suffix", "region", "space")
_FORMS = ("有限公司", "有限责任公司", "股份有限公司")
_FORM_WEIGHTS = (0.67, 0.27, 0.06)


@dataclass(frozen=True)
class District:
    """The simulated district: where it is, its townships and the region codes of its firms."""

    province: str
    city: str
    name: str
    region_code: str
    other_region_codes: tuple[str, ...]
    townships: tuple[str, ...]

    @property
    def short(self) -> str:
        """The district's name without 区, as used in case numbers and park names."""
        return self.name.removesuffix("区")


def make_district(rng: random.Random) -> District:
    """Pick a district and 8 to 12 townships (streets, towns and one or two parks)."""
    province, city, name, prov, city_code = rng.choice(_DISTRICTS)
    own = rng.randint(2, 12)
    region = f"{prov}{city_code}{own:02d}"
    others = [f"{prov}{city_code}00"] + [
        f"{prov}{city_code}{d:02d}" for d in rng.sample([d for d in range(2, 13) if d != own], 3)
    ]
    others += [
        f"{rng.choice(('31', '32', '33', '44', '11'))}0{rng.randint(1, 9)}0{rng.randint(1, 9)}"
    ]
    count = rng.randint(8, 12)
    parks = rng.randint(1, 2)
    streets = rng.randint(3, min(5, count - parks - 3))
    towns = count - parks - streets
    short = name.removesuffix("区")
    townships = (
        rng.sample(_STREETS, streets)
        + rng.sample(_TOWNS, towns)
        + [short + p for p in rng.sample(_PARKS, parks)]
    )
    return District(province, city, name, region, tuple(others), tuple(townships))


@dataclass(frozen=True, slots=True)
class Name:
    """An enterprise name in parts, so variants can be written the way other offices do."""

    region: str  # "宁川", "宁川市", "浙江" or ""
    bracketed: bool  # 宏达（宁川）建筑工程有限公司
    trade: str  # 字号
    word: str  # 行业用语
    form: str  # 有限公司 …
    suffix: str = ""  # 青溪分公司, 城南安置房二期工程项目部

    def text(self, *, half_width: bool = False) -> str:
        """Compose the name, optionally with half-width brackets."""
        if self.bracketed and self.region:
            o, c = ("(", ")") if half_width else ("（", "）")
            return f"{self.trade}{o}{self.region}{c}{self.word}{self.form}{self.suffix}"
        return f"{self.region}{self.trade}{self.word}{self.form}{self.suffix}"

    @property
    def canonical(self) -> str:
        """The registered name."""
        return self.text()

    @property
    def key(self) -> str:
        """What makes two names the same enterprise once region and legal form are folded."""
        return self.trade + self.word + self.suffix


def variant(name: Name, kind: str, city: str, rng: random.Random) -> str | None:
    """How another office writes the name under one variant kind; None when it does not apply."""
    if kind == "bracket":
        if not (name.bracketed and name.region):
            return None
        return name.text(half_width=True)
    if kind == "suffix":
        if name.form == "有限公司":
            return replace(name, form="有限责任公司").text()
        if name.form == "有限责任公司":
            return replace(name, form="有限公司").text()
        return None
    if kind == "region":
        if name.region:
            choices = ["", city + "市" if name.region == city else city]
            if name.region == city + "市":
                choices = ["", city]
            return replace(name, region=rng.choice(choices), bracketed=False).text()
        return replace(name, region=rng.choice((city, city + "市"))).text()
    if kind == "space":
        if rng.random() < 0.2:  # padded, as a cell copied from a Word table often is
            return f" {name.canonical} "
        return _insert_space(name, rng.choice((" ", " ", "\u3000", "  ")), rng)
    raise ValueError(kind)


def _insert_space(name: Name, mark: str, rng: random.Random) -> str:
    text = name.canonical
    # Between parts, never inside 字号 (a space there is a different name to a reader).
    joints = []
    if name.region and not name.bracketed:
        joints.append(len(name.region))
    head = len(text) - len(name.form + name.suffix)
    joints.append(head)
    joints.append(head - len(name.word))
    if name.suffix:
        joints.append(len(text) - len(name.suffix))
    at = rng.choice(joints)
    return text[:at] + mark + text[at:]


@dataclass
class Registry:
    """The true enterprises of the district (index i is enterprise id i + 1)."""

    district: District
    names: list[Name]
    codes: list[str]  # "" for a 项目部, which has no code of its own
    industry: IntArray
    township: IntArray
    employees: IntArray
    wage: IntArray  # monthly wage per worker
    payday: IntArray  # day of the month wages are due
    payroll: IntArray  # 0 not reported, 1 工资支付监管平台, 2 银行代发
    outsourcing: BoolArray
    parent: IntArray  # parent enterprise index, -1 for none
    in_registry: BoolArray
    legal_reps: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    projects: list[str] = field(default_factory=list)  # construction project, "" otherwise

    def __len__(self) -> int:
        return len(self.names)

    def industry_name(self, i: int) -> str:
        """Chinese industry of enterprise index i."""
        return INDUSTRIES[int(self.industry[i])].name

    def township_name(self, i: int) -> str:
        """Township of enterprise index i."""
        return self.district.townships[int(self.township[i])]


def _employees(rng: np.random.Generator, n: int) -> IntArray:
    """Heavy-tailed headcounts: most 5-100, some hundreds, a few 500-3000."""
    u = rng.random(n)
    small = np.exp(rng.normal(np.log(22.0), 0.75, n))
    mid = np.exp(rng.uniform(np.log(100.0), np.log(500.0), n))
    large = np.exp(rng.uniform(np.log(500.0), np.log(3000.0), n))
    out = np.where(u < 0.93, small, np.where(u < 0.99, mid, large))
    return np.clip(np.rint(out), 3, 3000).astype(np.int64)


def build_registry(
    n: int, district: District, rng: random.Random, nrng: np.random.Generator, missing: float
) -> Registry:
    """Create n enterprises with unique names, valid codes, townships, sizes and wages."""
    shares = np.array([ind.share for ind in INDUSTRIES])
    industry = nrng.choice(len(INDUSTRIES), size=n, p=shares / shares.sum())
    parks = np.array([t.endswith(("开发区", "园区")) for t in district.townships])
    base = nrng.dirichlet(np.full(len(district.townships), 4.0))
    factory = np.array([i in (3, 6, 8) for i in range(len(INDUSTRIES))])  # 制造、物流、电子
    w_factory = np.where(parks, base * 4, base)
    township = np.where(
        factory[industry],
        nrng.choice(len(base), size=n, p=w_factory / w_factory.sum()),
        nrng.choice(len(base), size=n, p=base),
    ).astype(np.int64)
    employees = _employees(nrng, n)
    wage_noise = nrng.uniform(0.8, 1.25, n)
    payday = nrng.choice(np.array([5, 10, 15, 20, 25]), size=n, p=[0.15, 0.25, 0.35, 0.15, 0.10])
    bank_roll = nrng.random(n)
    outsourcing_roll = nrng.random(n)
    parent = np.full(n, -1, dtype=np.int64)
    in_registry = nrng.random(n) >= missing

    names: list[Name] = []
    codes: list[str] = []
    projects: list[str] = []
    seen: set[str] = set()
    used_codes: set[str] = set()
    city = district.city
    for i in range(n):
        ind = INDUSTRIES[int(industry[i])]
        project = ""
        if ind.platform:
            project = rng.choice(_PROJECT_PLACES) + rng.choice(_PROJECT_TYPES)
        roll = rng.random()
        name: Name | None = None
        if i > 20 and roll < 0.06:  # a branch or a 项目部 of an earlier company
            p = rng.randrange(i)
            if parent[p] < 0:
                pn = names[p]
                if ind.platform and INDUSTRIES[int(industry[p])].platform and roll < 0.02:
                    project = projects[p] or project
                    suffix = project + "项目部"
                else:
                    suffix = rng.choice(
                        (
                            district.townships[int(township[i])][:2] + "分公司",
                            district.short + "分公司",
                            "第一分公司",
                            "第二分公司",
                        )
                    )
                name = replace(pn, suffix=suffix)
                if name.key in seen:
                    name = None
                else:
                    parent[i] = p
                    industry[i] = industry[p]
                    employees[i] = max(3, int(employees[i]) // 3)
        while name is None:
            length = rng.choices((2, 3, 4), (0.75, 0.2, 0.05))[0]
            trade = "".join(rng.choice(TRADE_CHARS) for _ in range(length))
            style = rng.random()
            if style < 0.3:
                region, bracketed = "", False
            elif style < 0.75:
                region, bracketed = city, False
            elif style < 0.87:
                region, bracketed = city + "市", False
            elif style < 0.95:
                region, bracketed = city, True
            else:
                region, bracketed = district.province, False
            word = rng.choice(INDUSTRIES[int(industry[i])].words)
            form = rng.choices(_FORMS, _FORM_WEIGHTS)[0]
            candidate = Name(region, bracketed, trade, word, form)
            if candidate.key not in seen:
                name = candidate
        seen.add(name.key)
        names.append(name)
        projects.append(project)
        if name.suffix.endswith("项目部"):
            codes.append("")
            in_registry[i] = False  # a project department is not registered on its own
            continue
        region_code = (
            district.region_code if rng.random() < 0.88 else rng.choice(district.other_region_codes)
        )
        code = credit_code(rng, region_code)
        while code in used_codes:
            code = credit_code(rng, region_code)
        used_codes.add(code)
        codes.append(code)

    wages = np.array([ind.wage for ind in INDUSTRIES])[industry]
    wage = (np.rint(wages * wage_noise / 100) * 100).astype(np.int64)
    platform = np.array([ind.platform for ind in INDUSTRIES])[industry]
    payroll = np.where(platform, 1, np.where(bank_roll < 0.06, 2, 0)).astype(np.int64)
    outsourcing = outsourcing_roll < np.array([ind.outsourcing for ind in INDUSTRIES])[industry]
    legal_reps = [person_name(rng) for _ in range(n)]
    phones = [phone(rng) for _ in range(n)]
    addresses = [
        f"{district.townships[int(township[i])]}{rng.choice(_ROADS)}{rng.randint(1, 399)}号"
        for i in range(n)
    ]
    return Registry(
        district=district,
        names=names,
        codes=codes,
        industry=industry.astype(np.int64),
        township=township,
        employees=employees,
        wage=wage,
        payday=payday.astype(np.int64),
        payroll=payroll,
        outsourcing=outsourcing,
        parent=parent,
        in_registry=in_registry,
        legal_reps=legal_reps,
        phones=phones,
        addresses=addresses,
        projects=projects,
    )
