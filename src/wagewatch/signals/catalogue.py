"""Source-kind catalogue: which files offices send, their columns and what they feed."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from wagewatch.signals._text import IGNORED_HEADERS, header_keys, normalize_token

__all__ = [
    "BUILTIN_KINDS",
    "COLUMN_TYPES",
    "ENTERPRISE_KEYS",
    "Catalogue",
    "Choice",
    "Column",
    "ColumnType",
    "SourceKind",
    "UnknownKindError",
    "default_catalogue",
    "enterprise_columns",
    "get_kind",
    "kinds",
    "register_kind",
    "unregister_kind",
]

ColumnType = Literal["str", "int", "decimal", "date", "month", "bool", "enum"]
COLUMN_TYPES: tuple[ColumnType, ...] = ("str", "int", "decimal", "date", "month", "bool", "enum")

# The two columns that tie a row to an enterprise; at least one must be filled.
ENTERPRISE_KEYS = ("credit_code", "enterprise_name")

TYPE_LABELS: dict[str, str] = {
    "str": "文本",
    "int": "整数",
    "decimal": "数值",
    "date": "日期",
    "month": "年月",
    "bool": "是/否",
    "enum": "选项",
}


class UnknownKindError(KeyError):
    """No source kind is registered under this key."""

    def __str__(self) -> str:
        return f"未登记的数据来源类型：{self.args[0]}"


@dataclass(frozen=True)
class Choice:
    """One allowed value of an enum column: the stored code, its Chinese label, other spellings."""

    value: str
    label: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Column:
    """One column of a source file, as offices write it and as the platform stores it."""

    key: str
    header: str
    type: ColumnType = "str"
    required: bool = False
    aliases: tuple[str, ...] = ()
    pii: bool = False
    help: str = ""
    sample: str = ""
    choices: tuple[Choice, ...] = ()
    # Identifiers (credit codes, ID numbers, phones): spaces removed, full-width folded, upper case.
    identifier: bool = False
    # Unit written after numbers ("元", "人", "个月"); stripped when parsing, shown in the docs.
    unit: str = ""
    # Decimal places kept for decimals (the lake stores decimal(18, places)).
    places: int = 2

    def __post_init__(self) -> None:
        if self.type not in COLUMN_TYPES:
            raise ValueError(f"column {self.key}: unknown type {self.type!r}")
        if self.type == "enum" and not self.choices:
            raise ValueError(f"column {self.key}: an enum column needs choices")
        if self.type != "enum" and self.choices:
            raise ValueError(f"column {self.key}: only enum columns take choices")

    @property
    def names(self) -> tuple[str, ...]:
        """The canonical header followed by its aliases."""
        return (self.header, *self.aliases)

    def choice_index(self) -> dict[str, str]:
        """Map every folded spelling of an enum value (code, label, alias) to its code."""
        index: dict[str, str] = {}
        for choice in self.choices:
            for spelling in (choice.value, choice.label, *choice.aliases):
                token = normalize_token(spelling)
                other = index.setdefault(token, choice.value)
                if other != choice.value:
                    raise ValueError(
                        f"column {self.key}: {spelling!r} names {other} and {choice.value}"
                    )
        return index


@dataclass(frozen=True)
class SourceKind:
    """A kind of source file: its Chinese title, the offices that send it, columns and meaning."""

    key: str
    title: str
    offices: tuple[str, ...]
    columns: tuple[Column, ...]
    feeds: str
    description: str = ""
    # Groups of column keys of which each row must fill at least one.
    one_of: tuple[tuple[str, ...], ...] = ()
    header_index: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        keys = [c.key for c in self.columns]
        if len(set(keys)) != len(keys):
            raise ValueError(f"kind {self.key}: duplicate column keys")
        for group in self.one_of:
            for key in group:
                if key not in keys:
                    raise ValueError(f"kind {self.key}: one_of names unknown column {key}")
        index: dict[str, str] = {}
        for column in self.columns:
            column.choice_index()  # fail at registration, not at the first file
            for name in column.names:
                for token in dict.fromkeys(header_keys(name)):
                    if token in IGNORED_HEADERS:
                        raise ValueError(f"kind {self.key}: header {name!r} is reserved")
                    other = index.setdefault(token, column.key)
                    if other != column.key:
                        raise ValueError(
                            f"kind {self.key}: header {name!r} names both {other} and {column.key}"
                        )
        object.__setattr__(self, "header_index", index)

    def __repr__(self) -> str:
        return f"SourceKind({self.key!r})"

    @property
    def about_enterprise(self) -> bool:
        """True when every row names an enterprise (credit code or name)."""
        return ENTERPRISE_KEYS in self.one_of

    def column(self, key: str) -> Column:
        """Return the column with this key."""
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)

    def pii_columns(self) -> tuple[Column, ...]:
        """Columns holding personal data, to be masked outside the owning office."""
        return tuple(c for c in self.columns if c.pii)

    def sample_row(self) -> dict[str, str]:
        """A sample row keyed by Chinese header, for documentation and templates."""
        return {c.header: c.sample for c in self.columns}


class Catalogue:
    """A registry of source kinds; the built-ins are registered the same way a deployment's are."""

    def __init__(self, items: Iterable[SourceKind] = ()) -> None:
        self._kinds: dict[str, SourceKind] = {}
        for kind in items:
            self.register(kind)

    def register(self, kind: SourceKind, *, replace: bool = False) -> SourceKind:
        """Add a kind; refuses to shadow an existing key unless replace=True."""
        if kind.key in self._kinds and not replace:
            raise ValueError(f"source kind {kind.key!r} is already registered")
        self._kinds[kind.key] = kind
        return kind

    def unregister(self, key: str) -> None:
        """Remove a kind."""
        if key not in self._kinds:
            raise UnknownKindError(key)
        del self._kinds[key]

    def get(self, key: str) -> SourceKind:
        """Return the kind registered under key."""
        try:
            return self._kinds[key]
        except KeyError:
            raise UnknownKindError(key) from None

    def __contains__(self, key: object) -> bool:
        return key in self._kinds

    def __iter__(self) -> Iterator[SourceKind]:
        return iter(list(self._kinds.values()))

    def __len__(self) -> int:
        return len(self._kinds)

    def header_tokens(self) -> frozenset[str]:
        """Every folded header and alias of every kind (used to find the header row)."""
        return frozenset(t for kind in self._kinds.values() for t in kind.header_index)


_DEFAULT = Catalogue()


def default_catalogue() -> Catalogue:
    """The process-wide catalogue holding the built-in kinds and any a deployment registers."""
    return _DEFAULT


def register_kind(kind: SourceKind, *, replace: bool = False) -> SourceKind:
    """Register a source kind in the default catalogue."""
    return _DEFAULT.register(kind, replace=replace)


def unregister_kind(key: str) -> None:
    """Remove a source kind from the default catalogue."""
    _DEFAULT.unregister(key)


def get_kind(key: str) -> SourceKind:
    """Return a registered source kind by key."""
    return _DEFAULT.get(key)


def kinds() -> list[SourceKind]:
    """All registered source kinds, in registration order."""
    return list(_DEFAULT)


# --- building blocks --------------------------------------------------------------------------

_CREDIT_CODE_ALIASES = (
    "社会信用代码",
    "信用代码",
    "统一代码",
    "企业信用代码",
    "单位统一社会信用代码",
    "统一社会信用代码(纳税人识别号)",
    "纳税人识别号",
    "纳税人识别号/统一社会信用代码",
    "USCC",
)
_NAME_ALIASES = (
    "单位名称",
    "用人单位",
    "用人单位名称",
    "公司名称",
    "企业(单位)名称",
    "市场主体名称",
    "纳税人名称",
)


def enterprise_columns(
    name_aliases: tuple[str, ...] = (), *, name_required: bool = False
) -> tuple[Column, Column]:
    """The credit-code and name columns every enterprise-related kind starts with."""
    return (
        Column(
            key="credit_code",
            header="统一社会信用代码",
            aliases=_CREDIT_CODE_ALIASES,
            identifier=True,
            help="18位统一社会信用代码；与企业名称至少填写一项。校验位不通过的代码照常导入并标记。",
            sample="91330106MA2B3C4D5E",
        ),
        Column(
            key="enterprise_name",
            header="企业名称",
            required=name_required,
            aliases=tuple(dict.fromkeys((*_NAME_ALIASES, *name_aliases))),
            help="企业全称，以营业执照为准"
            + ("。" if name_required else "；与统一社会信用代码至少填写一项。"),
            sample="杭州示例建筑劳务有限公司",
        ),
    )


def _township(sample: str = "城南街道") -> Column:
    return Column(
        key="township",
        header="所属镇街",
        aliases=(
            "镇街",
            "街镇",
            "所属街镇",
            "所在镇街",
            "镇街园区",
            "所属镇街园区",
            "属地",
            "乡镇",
        ),
        help="企业所在的镇、街道或园区，用于属地分派。",
        sample=sample,
    )


def _industry(sample: str = "建筑业") -> Column:
    return Column(
        key="industry",
        header="所属行业",
        aliases=("行业", "行业类别", "行业门类", "国民经济行业", "行业分类"),
        help="国民经济行业门类或主管部门口径的行业，用于分派行业主管部门和行业聚集预警。",
        sample=sample,
    )


def _money(key: str, header: str, aliases: tuple[str, ...], help: str, sample: str) -> Column:
    return Column(
        key=key,
        header=header,
        type="decimal",
        aliases=aliases,
        unit="元",
        help=help + "可写千分位、￥ 符号或“万”；表头写“（万元）”时按万元换算。",
        sample=sample,
    )


_ENTERPRISE = ENTERPRISE_KEYS

# --- built-in kinds ---------------------------------------------------------------------------

ENTERPRISES = SourceKind(
    key="enterprises",
    title="企业名录",
    offices=("市场监管局", "社保中心"),
    description="辖区企业登记和参保信息，是把其他来源的记录对应到企业的基础。",
    columns=(
        *enterprise_columns(name_required=True),
        _township(),
        _industry(),
        Column(
            key="employees",
            header="用工人数",
            type="int",
            aliases=("职工人数", "从业人数", "参保人数", "员工人数", "用工规模", "在职人数"),
            unit="人",
            help="用工人数（参保人数或申报的从业人数）。",
            sample="120",
        ),
        Column(
            key="legal_representative",
            header="法定代表人",
            aliases=("法人代表", "法人", "负责人", "法定代表人(负责人)"),
            help="营业执照上的法定代表人或负责人。",
            sample="王建国",
        ),
        Column(
            key="contact_phone",
            header="联系电话",
            aliases=("联系方式", "电话", "手机", "手机号码", "企业联系电话"),
            pii=True,
            identifier=True,
            help="企业联系人电话，属于个人信息，仅对有权限的科室显示。",
            sample="13800000000",
        ),
        Column(
            key="address",
            header="经营地址",
            aliases=("地址", "住所", "注册地址", "经营场所", "生产经营地址", "企业地址"),
            help="实际经营地址。",
            sample="城南街道工业路18号",
        ),
        Column(
            key="outsourcing",
            header="是否使用劳务外包",
            type="bool",
            aliases=("劳务外包", "是否劳务外包", "是否外包", "外包", "有无劳务外包"),
            help="是否依靠劳务外包或劳务派遣用工（是/否）。",
            sample="否",
        ),
    ),
    one_of=(_ENTERPRISE,),
    feeds=(
        "每行是一家企业的登记信息。用工人数 → `employees`；是否使用劳务外包 → `outsourcing`；"
        "镇街、行业用于属地和行业主管部门分派，以及宣恩的行业聚集事实"
        "（`townships_affected`）。"
    ),
)

FEE_CATEGORIES = (
    Choice("tax", "税费", ("税", "税款", "欠税", "税收", "税务")),
    Choice(
        "social_insurance",
        "社保费",
        ("社保", "社会保险费", "社会保险", "欠缴社保", "养老保险费", "医疗保险费", "失业保险费"),
    ),
    Choice("loan", "贷款", ("欠贷", "贷款本息", "贷款利息", "欠息", "银行贷款", "借款")),
    Choice("water", "水费", ("水", "供水", "自来水", "污水处理费")),
    Choice("electricity", "电费", ("电", "供电", "用电")),
    Choice("gas", "燃气费", ("燃气", "天然气", "煤气", "气费")),
    Choice("telecom", "通信费", ("通信", "通讯费", "话费", "电信", "宽带费", "网络费")),
)

FEE_ARREARS = SourceKind(
    key="fee_arrears",
    title="欠税欠费",
    offices=("税务局", "社保中心", "银行", "供水公司", "供电公司", "燃气公司", "通信运营商"),
    description="企业欠缴税费、社保费、贷款本息和水电气通信费用的月度名单。",
    columns=(
        *enterprise_columns(("户名", "欠费单位", "欠费户名", "借款人")),
        Column(
            key="category",
            header="欠费类别",
            type="enum",
            required=True,
            choices=FEE_CATEGORIES,
            aliases=("欠费类型", "欠费种类", "费用类别", "费种", "类别", "欠费项目"),
            help="税费、社保费、贷款、水费、电费、燃气费、通信费之一。单一类别的文件可在导入时指定，"
            "不必逐行填写。",
            sample="电费",
        ),
        Column(
            key="month",
            header="所属月份",
            type="month",
            required=True,
            aliases=("欠费月份", "月份", "所属期", "费款所属期", "税款所属期", "账期", "欠费年月"),
            help="欠费所属的年月，如 2024-10、2024年10月、202410。",
            sample="2024-10",
        ),
        _money(
            "amount",
            "欠费金额（元）",
            ("欠费金额", "欠缴金额", "欠税金额", "欠款金额", "应缴未缴金额", "欠费", "金额"),
            "该月该类别欠缴的金额。",
            "12,345.60",
        ),
        Column(
            key="months_owed",
            header="连续欠费月数",
            type="decimal",
            aliases=("欠费月数", "累计欠费月数", "欠缴月数", "逾期月数"),
            unit="个月",
            help="来源直接给出的连续欠费月数（可选）；写天数时按30天折算为1个月。",
            sample="3",
        ),
        _township(),
    ),
    one_of=(_ENTERPRISE,),
    feeds=(
        "每行表示企业在某月某类费用欠缴的金额。按类别统计截至评估日连续欠缴的月数："
        "税费 → `tax_arrears_months`，社保费 → `social_insurance_arrears_months`，"
        "贷款 → `loan_arrears_months`，水费 → `water_arrears_months`，"
        "电费 → `electricity_arrears_months`，燃气费 → `gas_arrears_months`，"
        "通信费 → `telecom_arrears_months`；给出“连续欠费月数”时取两者较大者。"
        "七项的最大值即 `fee_arrears_months`。"
    ),
)

SI_DEFERRALS = SourceKind(
    key="si_deferrals",
    title="社保缓缴",
    offices=("社保中心", "税务局"),
    description="经批准缓缴社会保险费的企业名单。",
    columns=(
        *enterprise_columns(),
        Column(
            key="approved_date",
            header="批准日期",
            type="date",
            required=True,
            aliases=("缓缴批准日期", "审批日期", "核准日期", "办理日期", "申请日期"),
            help="缓缴获批的日期。",
            sample="2024-09-15",
        ),
        Column(
            key="start_month",
            header="缓缴起始月份",
            type="month",
            aliases=("缓缴开始月份", "缓缴起始年月", "起始月份", "缓缴期起"),
            help="缓缴期开始的年月。",
            sample="2024-09",
        ),
        Column(
            key="end_month",
            header="缓缴截止月份",
            type="month",
            aliases=("缓缴结束月份", "缓缴截止年月", "截止月份", "缓缴期止"),
            help="缓缴期结束的年月。",
            sample="2025-02",
        ),
        Column(
            key="insurance_types",
            header="缓缴险种",
            aliases=("险种",),
            help="缓缴的险种，如“养老、失业、工伤”。",
            sample="养老、失业、工伤",
        ),
        _money("amount", "缓缴金额（元）", ("缓缴金额",), "缓缴的金额。", "86,000"),
    ),
    one_of=(_ENTERPRISE,),
    feeds="每行是一次社保缓缴。批准日期在评估日前12个月内的行数 → `social_insurance_deferrals_12m`。",
)

WAGE_PAYMENTS = SourceKind(
    key="wage_payments",
    title="工资支付",
    offices=("工资支付监管平台", "银行代发工资"),
    description="按月的应发、实发工资记录（农民工工资专用账户、代发工资流水）。",
    columns=(
        *enterprise_columns(("施工单位", "总包单位", "用工单位")),
        Column(
            key="project_name",
            header="项目名称",
            aliases=("工程名称", "在建项目", "项目"),
            help="工程建设项目名称（建设领域填写）。",
            sample="城南安置房二期",
        ),
        Column(
            key="month",
            header="工资所属月份",
            type="month",
            required=True,
            aliases=("工资月份", "所属月份", "发放月份", "月份", "工资年月"),
            help="工资所属的年月。",
            sample="2024-10",
        ),
        Column(
            key="workers_due",
            header="应发人数",
            type="int",
            aliases=("应发工资人数", "在册人数", "应发放人数"),
            unit="人",
            help="应发工资的人数。",
            sample="86",
        ),
        Column(
            key="workers_paid",
            header="实发人数",
            type="int",
            aliases=("已发人数", "实发工资人数", "已发放人数"),
            unit="人",
            help="实际足额发放工资的人数。",
            sample="80",
        ),
        _money(
            "amount_due",
            "应发工资（元）",
            ("应发金额", "应发工资总额", "应付工资", "应发工资金额"),
            "应发工资总额。",
            "516,000.00",
        ),
        _money(
            "amount_paid",
            "实发工资（元）",
            ("实发金额", "实发工资总额", "已发金额", "已发工资", "实发工资金额"),
            "实际发放的工资总额。",
            "480,000.00",
        ),
        Column(
            key="due_date",
            header="约定支付日期",
            type="date",
            aliases=("应发日期", "工资支付日", "约定发放日期", "规定发薪日", "应付日期"),
            help="按劳动合同或制度应当支付的日期。",
            sample="2024-11-15",
        ),
        Column(
            key="paid_date",
            header="实际支付日期",
            type="date",
            aliases=("实发日期", "发放日期", "实际发放日期", "支付日期"),
            help="实际支付日期；尚未支付的留空。",
            sample="2024-11-20",
        ),
    ),
    one_of=(_ENTERPRISE,),
    feeds=(
        "每行是企业（或项目）某月的工资发放情况。实发少于应发（人数或金额）即为欠薪，"
        "按未付清的所属月份累计 `wage_arrears_months`，差额人数、金额 → `wage_arrears_workers`、"
        "`wage_arrears_amount`；实际支付日期晚于约定支付日期记为一次缓发 → `wage_delays_12m`；"
        "一段连续欠薪计为一宗 → `wage_arrears_cases_12m`。"
    ),
)

COMPLAINT_CHANNELS = (
    Choice("hotline_12345", "12345热线", ("12345", "12345政务服务热线", "市民热线", "市长热线")),
    Choice("hotline_12333", "12333热线", ("12333", "12333平台", "人社热线")),
    Choice(
        "state_council_platform",
        "国务院欠薪平台",
        ("国务院客户端", "全国根治欠薪线索反映平台", "欠薪线索反映平台", "国务院平台"),
    ),
    Choice("letters_visits", "来信来访", ("来信", "来访", "信访", "走访", "来电来访")),
    Choice("grid", "网格", ("网格员", "网格排查", "网格上报")),
    Choice("counter", "窗口受理", ("窗口", "现场投诉", "现场", "首问登记")),
    Choice("other", "其他", ("其它",)),
)

COMPLAINTS = SourceKind(
    key="complaints",
    title="投诉举报",
    offices=("12345热线", "12333热线", "国务院欠薪平台", "信访办", "网格", "劳动保障监察"),
    description="各渠道收到的欠薪投诉、举报和线索工单。",
    columns=(
        *enterprise_columns(
            ("被投诉单位", "被投诉企业", "被投诉人", "被反映单位", "涉事单位", "涉事企业")
        ),
        Column(
            key="received_date",
            header="受理日期",
            type="date",
            required=True,
            aliases=(
                "登记日期",
                "来电日期",
                "投诉日期",
                "反映日期",
                "收到日期",
                "工单日期",
                "受理时间",
                "来电时间",
                "登记时间",
                "投诉时间",
                "反映时间",
            ),
            help="收到或登记投诉的日期。",
            sample="2024-10-08",
        ),
        Column(
            key="channel",
            header="来源渠道",
            type="enum",
            required=True,
            choices=COMPLAINT_CHANNELS,
            aliases=("渠道", "投诉渠道", "来源", "线索来源", "受理渠道"),
            help="12345热线、12333热线、国务院欠薪平台、来信来访、网格、窗口受理或其他。",
            sample="12345热线",
        ),
        Column(
            key="ticket_no",
            header="工单编号",
            aliases=("工单号", "线索编号", "投诉编号", "案件编号"),
            help="来源系统的工单或线索编号，用于去重和回复。",
            sample="GD20241008000123",
        ),
        Column(
            key="text",
            header="诉求内容",
            required=True,
            aliases=(
                "反映内容",
                "投诉内容",
                "来电内容",
                "问题描述",
                "事项描述",
                "主要内容",
                "内容",
            ),
            help="投诉原文；未单独填写月数、人数、金额时从原文中提取。",
            sample="城南安置房二期工地拖欠我们12名工人3个月工资共约18万元",
        ),
        Column(
            key="complainant_name",
            header="投诉人姓名",
            aliases=("投诉人", "来电人", "反映人", "投诉人员"),
            pii=True,
            help="投诉人姓名（个人信息）。",
            sample="李四",
        ),
        Column(
            key="complainant_phone",
            header="联系电话",
            aliases=("投诉人电话", "来电号码", "联系方式", "手机号码", "投诉人联系电话"),
            pii=True,
            identifier=True,
            help="投诉人联系电话（个人信息）。",
            sample="13900000000",
        ),
        Column(
            key="complainant_id_number",
            header="身份证号码",
            aliases=("身份证号", "公民身份号码", "证件号码", "投诉人身份证号"),
            pii=True,
            identifier=True,
            help="投诉人身份证号码（个人信息）；Excel 中请设为文本格式，否则末几位会丢失。",
            sample="11010519491231002X",
        ),
        Column(
            key="months_owed",
            header="欠薪月数",
            type="decimal",
            aliases=("拖欠月数", "欠薪时长"),
            unit="个月",
            help="反映被拖欠工资的月数；写天数时按30天折算为1个月。",
            sample="3",
        ),
        Column(
            key="workers",
            header="涉及人数",
            type="int",
            aliases=("欠薪人数", "涉及人员", "人数"),
            unit="人",
            help="涉及的劳动者人数；“30余人”按30计。",
            sample="12",
        ),
        _money(
            "amount",
            "涉及金额（元）",
            ("欠薪金额", "拖欠金额", "涉及金额"),
            "反映的欠薪金额。",
            "180,000",
        ),
        _township(),
    ),
    one_of=(_ENTERPRISE,),
    feeds=(
        "每行是一件投诉或举报。受理日期在评估日前90天内的件数 → `wage_complaints_90d`；"
        "填写（或从诉求内容提取出）欠薪月数、人数、金额的，形成一项欠薪主张，"
        "在核实解决前计入 `wage_arrears_months`、`wage_arrears_workers`、`wage_arrears_amount`。"
    ),
)

EVENT_TYPES = (
    Choice("production_halt", "停产", ("停工停产", "已停产")),
    Choice("production_cut", "减产", ("限产", "半停产")),
    Choice("relocation", "搬迁", ("迁移", "外迁")),
    Choice("restructuring", "重组", ("改制", "兼并重组", "破产重整")),
    Choice("layoff", "裁员", ("经济性裁员",)),
    Choice("downsizing", "减员", ("大幅减员",)),
    Choice("abnormal_listing", "列入经营异常名录", ("经营异常", "经营异常名录", "异常名录")),
    Choice("closure_risk", "关停风险", ("存在关停风险", "可能关停")),
    Choice("sudden_closure", "突然关停", ("关停", "倒闭", "突然倒闭")),
    Choice("asset_seized", "资产查封", ("资产被查封", "查封", "冻结", "资产冻结")),
    Choice(
        "legal_rep_detained",
        "法人被管制",
        ("法人被采取管制措施", "法定代表人被羁押", "被采取强制措施"),
    ),
    Choice("economic_dispute", "经济纠纷", ("涉诉", "涉法涉诉", "债务纠纷")),
    Choice(
        "owner_absconded", "负责人失联", ("失联", "逃匿", "欠薪逃匿", "法人失联", "隐匿转移资产")
    ),
    Choice("outsourcing", "外包", ("劳务外包",)),
)

BUSINESS_EVENTS = SourceKind(
    key="business_events",
    title="经营异常、涉法涉诉",
    offices=("市场监管局", "发改委", "国资委", "公安局", "法院"),
    description="生产经营不稳定、资产查封、经济纠纷等企业异常状况通报。",
    columns=(
        *enterprise_columns(("涉事企业", "被执行人")),
        Column(
            key="event_date",
            header="发生日期",
            type="date",
            required=True,
            aliases=("日期", "发现日期", "通报日期", "立案日期", "查封日期", "事发日期"),
            help="异常发生或被发现的日期。",
            sample="2024-10-12",
        ),
        Column(
            key="event_type",
            header="异常类型",
            type="enum",
            required=True,
            choices=EVENT_TYPES,
            aliases=("异常情形", "异常类别", "情况类型", "类型"),
            help="停产、减产、搬迁、重组、裁员、减员、列入经营异常名录、关停风险、突然关停、"
            "资产查封、法人被管制、经济纠纷、负责人失联、外包之一。",
            sample="资产查封",
        ),
        Column(
            key="end_date",
            header="解除日期",
            type="date",
            aliases=("移出日期", "恢复日期", "解封日期", "消除日期"),
            help="异常解除的日期（如恢复生产、解除查封、移出异常名录）；仍在持续的留空。",
            sample="",
        ),
        Column(
            key="source_office",
            header="通报部门",
            aliases=("来源部门", "信息来源", "通报单位", "报送单位", "报送部门"),
            help="提供信息的部门。",
            sample="区法院",
        ),
        Column(
            key="description",
            header="情况说明",
            aliases=("异常情况", "具体情况", "详细情况", "情况描述", "备注"),
            help="简要情况。",
            sample="厂房及设备被法院查封",
        ),
    ),
    one_of=(_ENTERPRISE,),
    feeds=(
        "每行是一项在发生日期至解除日期之间持续的异常。停产、减产、搬迁、重组、裁员、减员、"
        "列入经营异常名录 → `business_anomaly`；关停风险 → `closure_risk`；突然关停 → "
        "`sudden_closure`；负责人失联 → `owner_absconded`；资产查封 → `asset_seized`；"
        "法人被管制 → `legal_rep_detained`；经济纠纷 → `economic_dispute`；外包 → `outsourcing`。"
    ),
)

CREDIT_BLACKLIST = SourceKind(
    key="credit_blacklist",
    title="失信名单",
    offices=("劳动保障监察", "发改委", "法院"),
    description="拖欠农民工工资失信联合惩戒对象名单及其他失信名单。",
    columns=(
        *enterprise_columns(("失信主体名称", "当事人名称")),
        Column(
            key="listed_date",
            header="列入日期",
            type="date",
            required=True,
            aliases=("列入时间", "认定日期", "发布日期", "列入失信名单日期"),
            help="列入失信名单的日期。",
            sample="2024-06-30",
        ),
        Column(
            key="removed_date",
            header="移出日期",
            type="date",
            aliases=("移出时间", "退出日期", "信用修复日期"),
            help="移出名单或完成信用修复的日期；仍在名单内的留空。",
            sample="",
        ),
        Column(
            key="departments",
            header="联合惩戒部门数",
            type="int",
            aliases=("联合惩戒单位数", "惩戒部门数", "联合惩戒部门数量"),
            unit="个",
            help="实施联合惩戒的部门数量。",
            sample="3",
        ),
        Column(
            key="list_name",
            header="名单类别",
            aliases=("名单名称", "名单类型"),
            help="如“拖欠农民工工资失信联合惩戒对象名单”。",
            sample="拖欠农民工工资失信联合惩戒对象名单",
        ),
        Column(
            key="deciding_office",
            header="认定部门",
            aliases=("认定单位", "列入部门", "作出决定部门"),
            help="作出列入决定的部门。",
            sample="区人社局",
        ),
    ),
    one_of=(_ENTERPRISE,),
    feeds=(
        "每行是一次列入。列入日期不晚于评估日且尚未移出 → `blacklisted`；"
        "联合惩戒部门数 → `joint_punishment_departments`（取在列记录的最大值）。"
    ),
)

INCIDENT_TYPES = (
    Choice("group_incident", "群体性事件", ("群体事件", "聚集", "群访", "集体上访")),
    Choice("collective_stoppage", "集体停工", ("停工", "罢工", "集体罢工")),
    Choice("extreme_protest", "极端讨薪", ("极端方式讨薪", "爬塔吊", "拉横幅")),
    Choice("public_opinion_hotspot", "舆情热点", ("舆情", "网络舆情", "负面舆情")),
    Choice(
        "casualty_or_major_crime",
        "伤亡或刑事案件",
        ("人员伤亡", "刑事案件", "治安案件", "重大刑事治安案件"),
    ),
    Choice("escalation_signs", "升级迹象", ("事态升级", "有升级迹象")),
)

INCIDENTS = SourceKind(
    key="incidents",
    title="事件与舆情",
    offices=("网信办", "公安局", "镇街"),
    description="因欠薪引发的群体性事件、极端讨薪、舆情和治安刑事案件。",
    columns=(
        *enterprise_columns(("涉事企业", "涉事单位")),
        Column(
            key="incident_date",
            header="发生日期",
            type="date",
            required=True,
            aliases=("事发日期", "发生时间", "发现日期", "日期"),
            help="事件发生或舆情发现的日期。",
            sample="2024-10-20",
        ),
        Column(
            key="incident_type",
            header="事件类型",
            type="enum",
            required=True,
            choices=INCIDENT_TYPES,
            aliases=("类型", "事件性质", "事件类别"),
            help="群体性事件、集体停工、极端讨薪、舆情热点、伤亡或刑事案件、升级迹象之一。",
            sample="集体停工",
        ),
        Column(
            key="workers",
            header="涉及人数",
            type="int",
            aliases=("参与人数", "人数", "涉及人员"),
            unit="人",
            help="参与或涉及的人数；“30余人”按30计。",
            sample="35",
        ),
        Column(
            key="leader_instruction",
            header="是否有领导批示",
            type="bool",
            aliases=("领导批示", "有无领导批示"),
            help="是否有领导批示（极端讨薪认定需“造成不良影响或有领导批示”）。",
            sample="否",
        ),
        _township("城北街道"),
        _industry(),
        Column(
            key="source_office",
            header="报送部门",
            aliases=("通报部门", "信息来源", "来源部门"),
            help="报送信息的部门。",
            sample="城北派出所",
        ),
        Column(
            key="description",
            header="事件概况",
            aliases=("情况说明", "简要情况", "舆情内容", "事件描述", "内容"),
            help="事件或舆情的简要情况。",
            sample="35名工人在项目部门口聚集讨要工资",
        ),
    ),
    one_of=(_ENTERPRISE,),
    feeds=(
        "每行是一起事件。群体性事件、集体停工 → `group_incident`；极端讨薪 → `extreme_protest`；"
        "舆情热点 → `public_opinion_hotspot`；伤亡或刑事案件 → `casualty_or_major_crime`；"
        "升级迹象 → `escalation_signs`。按行业汇总为宣恩的 `group_incidents`、"
        "`workers_involved`（涉及人数之和）、`townships_affected`（涉及镇街数）。"
    ),
)

INSPECTIONS = SourceKind(
    key="inspections",
    title="排查反馈",
    offices=("网格员", "劳动保障监察员", "镇街"),
    description="日常排摸、专项排查和定向排查的结果反馈。",
    columns=(
        *enterprise_columns(("排查单位", "被检查单位")),
        Column(
            key="visit_date",
            header="排查日期",
            type="date",
            required=True,
            aliases=("检查日期", "走访日期", "核查日期", "反馈日期", "排摸日期"),
            help="实地排查或核实的日期。",
            sample="2024-10-25",
        ),
        Column(
            key="task_no",
            header="排查任务编号",
            aliases=("任务编号", "定向排查编号", "推送编号"),
            help="定向排查任务的编号，用于回填到推送的任务。",
            sample="PC-2024-10-0031",
        ),
        Column(
            key="inspector",
            header="排查人",
            aliases=("检查人", "网格员", "监察员", "核查人"),
            help="排查人员姓名。",
            sample="赵网格",
        ),
        Column(
            key="found_arrears",
            header="是否存在欠薪",
            type="bool",
            required=True,
            aliases=("是否欠薪", "有无欠薪", "存在欠薪", "是否拖欠工资"),
            help="排查是否发现欠薪（是/否）。",
            sample="是",
        ),
        Column(
            key="months_owed",
            header="欠薪月数",
            type="decimal",
            aliases=("拖欠月数",),
            unit="个月",
            help="核实的欠薪月数；写天数时按30天折算为1个月。",
            sample="2",
        ),
        Column(
            key="workers",
            header="欠薪人数",
            type="int",
            aliases=("涉及人数", "拖欠人数"),
            unit="人",
            help="核实的欠薪人数。",
            sample="15",
        ),
        _money("amount", "欠薪金额（元）", ("拖欠金额", "涉及金额"), "核实的欠薪金额。", "96,000"),
        Column(
            key="settled",
            header="是否已解决",
            type="bool",
            aliases=("是否化解", "已解决", "是否办结", "是否解决"),
            help="欠薪是否已经解决（是/否）。",
            sample="否",
        ),
        Column(
            key="notes",
            header="情况说明",
            aliases=("排查情况", "备注", "处置情况"),
            help="排查和处置情况。",
            sample="企业承诺11月底前结清",
        ),
    ),
    one_of=(_ENTERPRISE,),
    feeds=(
        "每行是一次排查结果。发现欠薪且未解决的，以核实的月数、人数、金额更新"
        " `wage_arrears_months`、`wage_arrears_workers`、`wage_arrears_amount`；已解决的清除该企业"
        "此前的欠薪主张；发现欠薪计为一宗 → `wage_arrears_cases_12m`。"
        "带任务编号的行回填定向排查任务。"
    ),
)

ARBITRATION = SourceKind(
    key="arbitration",
    title="仲裁案件",
    offices=("劳动人事争议仲裁院",),
    description="劳动人事争议仲裁立案和结案信息。",
    columns=(
        *enterprise_columns(("被申请人", "被申请人名称", "被申请单位")),
        Column(
            key="case_no",
            header="案号",
            required=True,
            aliases=("仲裁案号", "案件编号", "立案号"),
            help="仲裁案号，用于去重。",
            sample="X劳人仲案字〔2024〕第312号",
        ),
        Column(
            key="filed_date",
            header="立案日期",
            type="date",
            required=True,
            aliases=("受理日期", "申请日期", "立案时间"),
            help="仲裁立案（受理）日期。",
            sample="2024-09-03",
        ),
        Column(
            key="applicant_name",
            header="申请人",
            aliases=("申请人姓名", "劳动者姓名"),
            pii=True,
            help="申请人姓名（个人信息）；多人时填第一申请人。",
            sample="张三",
        ),
        Column(
            key="workers",
            header="申请人数",
            type="int",
            aliases=("劳动者人数", "涉及人数"),
            unit="人",
            help="申请人（劳动者）人数。",
            sample="6",
        ),
        Column(
            key="wage_claim",
            header="是否涉及劳动报酬",
            type="bool",
            aliases=("涉及劳动报酬", "是否追索劳动报酬", "是否涉及工资", "是否欠薪"),
            help="请求事项是否包括追索劳动报酬（是/否）。",
            sample="是",
        ),
        Column(
            key="dispute_type",
            header="争议类型",
            aliases=("案由", "争议事项", "请求事项"),
            help="案由或争议类型。",
            sample="追索劳动报酬",
        ),
        _money(
            "amount",
            "标的金额（元）",
            ("标的额", "争议金额", "请求金额", "涉案金额"),
            "请求金额。",
            "42,000",
        ),
        Column(
            key="closed_date",
            header="结案日期",
            type="date",
            aliases=("结案时间", "审结日期"),
            help="结案日期；未结案的留空。",
            sample="",
        ),
        Column(
            key="result",
            header="结案方式",
            aliases=("处理结果", "结案结果"),
            help="调解、裁决、撤诉等。",
            sample="",
        ),
    ),
    one_of=(_ENTERPRISE,),
    feeds=(
        "每行是一宗仲裁案件。涉及劳动报酬的案件立案计为一宗欠薪 → `wage_arrears_cases_12m`；"
        "未结案期间，申请人数、标的金额作为欠薪主张计入 `wage_arrears_workers`、"
        "`wage_arrears_amount`。"
    ),
)

LAYOFFS = SourceKind(
    key="layoffs",
    title="裁员报备",
    offices=("就业促进中心", "劳动关系科"),
    description="企业经济性裁员和规模减员的报备。",
    columns=(
        *enterprise_columns(),
        Column(
            key="report_date",
            header="报备日期",
            type="date",
            required=True,
            aliases=("报告日期", "备案日期", "登记日期"),
            help="报备（报告）日期。",
            sample="2024-10-10",
        ),
        Column(
            key="planned_date",
            header="拟裁减日期",
            type="date",
            aliases=("裁员日期", "计划裁减日期", "实施日期"),
            help="计划实施裁减的日期。",
            sample="2024-11-01",
        ),
        Column(
            key="layoff_count",
            header="裁减人数",
            type="int",
            required=True,
            aliases=("拟裁减人数", "裁员人数", "减员人数"),
            unit="人",
            help="拟裁减或已减员的人数。",
            sample="40",
        ),
        Column(
            key="employees",
            header="职工总数",
            type="int",
            aliases=("在职职工人数", "用工总数", "职工人数"),
            unit="人",
            help="裁减前的职工总数。",
            sample="260",
        ),
        Column(
            key="reason",
            header="裁减原因",
            aliases=("裁员原因", "原因"),
            help="报备的裁减原因。",
            sample="订单减少，生产经营困难",
        ),
    ),
    one_of=(_ENTERPRISE,),
    feeds=(
        "每行是一次裁员报备 → `business_anomaly`（裁员、减员）；职工总数在名录缺失时补充 `employees`。"
    ),
)

PETITION_FORMS = (
    Choice("letter", "来信", ("信件",)),
    Choice("visit", "来访", ("走访", "上访")),
    Choice("online", "网上信访", ("网信", "网上")),
    Choice("phone", "电话", ("来电",)),
)

PETITIONS = SourceKind(
    key="petitions",
    title="信访",
    offices=("信访办",),
    description="涉及劳动报酬的信访登记，按信访事项归并以识别重复信访。",
    columns=(
        *enterprise_columns(("被反映单位", "涉及单位")),
        Column(
            key="received_date",
            header="登记日期",
            type="date",
            required=True,
            aliases=("来访日期", "信访日期", "受理日期", "来信日期"),
            help="信访登记日期。",
            sample="2024-10-16",
        ),
        Column(
            key="matter_key",
            header="信访事项编号",
            required=True,
            aliases=("事项编号", "初信初访编号", "关联事项编号", "原信访事项编号"),
            help="同一信访事项的编号；重复信访沿用首次信访的事项编号，据此统计重复信访。",
            sample="XF2024-0918",
        ),
        Column(
            key="petition_no",
            header="信访件编号",
            aliases=("信访编号", "件编号"),
            help="本次信访件的编号。",
            sample="XF2024-1016-07",
        ),
        Column(
            key="form",
            header="信访形式",
            type="enum",
            choices=PETITION_FORMS,
            aliases=("来信来访形式", "形式", "信访方式"),
            help="来信、来访、网上信访或电话。",
            sample="来访",
        ),
        Column(
            key="petitioner_name",
            header="信访人",
            aliases=("信访人姓名", "来访人", "来信人"),
            pii=True,
            help="信访人姓名（个人信息）。",
            sample="王五",
        ),
        Column(
            key="petitioner_phone",
            header="联系电话",
            aliases=("信访人电话", "联系方式"),
            pii=True,
            identifier=True,
            help="信访人联系电话（个人信息）。",
            sample="13700000000",
        ),
        Column(
            key="persons",
            header="信访人数",
            type="int",
            aliases=("来访人数", "人数"),
            unit="人",
            help="本次来访或联名的人数。",
            sample="5",
        ),
        Column(
            key="content",
            header="信访内容",
            aliases=("反映问题", "主要诉求", "信访事项", "诉求内容"),
            help="反映的问题。",
            sample="再次反映城南安置房二期拖欠工资问题",
        ),
    ),
    one_of=(_ENTERPRISE,),
    feeds=(
        "每行是一次信访。同一信访事项编号在评估日前90天内出现两次及以上的，首次之后的次数 → "
        "`repeat_petitions_90d`。信访中的欠薪投诉以“投诉举报”计入 `wage_complaints_90d`，此处不重复计数。"
    ),
)

BUILTIN_KINDS: tuple[SourceKind, ...] = (
    ENTERPRISES,
    FEE_ARREARS,
    SI_DEFERRALS,
    WAGE_PAYMENTS,
    COMPLAINTS,
    BUSINESS_EVENTS,
    CREDIT_BLACKLIST,
    INCIDENTS,
    INSPECTIONS,
    ARBITRATION,
    LAYOFFS,
    PETITIONS,
)

for _kind in BUILTIN_KINDS:
    register_kind(_kind)
