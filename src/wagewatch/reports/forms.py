"""Official report forms: a registry of form specs, pre-fill, validation and Word/text export.

A form is a `FormSpec`: the seed's exact title and labels, the clause that requires it, and a
`prefill` function from what the case system knows to the initial field values. The built-in
宣恩 form (`xuanen_warning_form`, referenced by `rules/rulebooks/xuanen.yaml`) is registered
with `register_form`, the same call a deployment uses to add its own forms.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import Any

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell

__all__ = [
    "MAX_FIELD_CHARS",
    "FormField",
    "FormSpec",
    "UnknownForm",
    "XUANEN_WARNING_FORM",
    "forms",
    "get_form",
    "prefill_values",
    "register_form",
    "to_docx",
    "to_text",
    "validate",
]

MAX_FIELD_CHARS = 2000
CHINA = timezone(timedelta(hours=8), "CST")
FONT = "宋体"
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class FormField:
    """One field of a form: the seed's exact label and how an officer fills it."""

    key: str
    label: str
    multiline: bool = False
    required: bool = True
    help: str = ""
    note: str = ""  # printed after the value, e.g. “（盖章）”
    placeholder: str = ""  # printed when the value is empty, e.g. “　　年　　月　　日”


@dataclass(frozen=True)
class FormSpec:
    """An official form: title, clause requiring it, header/table/footer fields, pre-fill."""

    key: str
    title: str
    seed: str
    clause: str
    header_fields: tuple[FormField, ...]
    fields: tuple[FormField, ...]
    footer_fields: tuple[FormField, ...]
    prefill: Callable[[Mapping[str, Any]], dict[str, str]]
    issuer: str = ""
    columns: tuple[str, str] = ("项目", "内容")

    def __post_init__(self) -> None:
        """Reject bad keys, duplicate keys and missing titles early (at registration)."""
        for name in ("header_fields", "fields", "footer_fields"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        if not _KEY.match(self.key):
            raise ValueError(f"表单标识 {self.key!r} 须为小写英文、数字和下划线")
        if not self.title.strip():
            raise ValueError(f"表单 {self.key} 缺少标题")
        seen: set[str] = set()
        for f in self.all_fields:
            if not _KEY.match(f.key):
                raise ValueError(f"表单 {self.key} 的字段标识 {f.key!r} 须为小写英文、数字和下划线")
            if f.key in seen:
                raise ValueError(f"表单 {self.key} 的字段标识 {f.key} 重复")
            if not f.label.strip():
                raise ValueError(f"表单 {self.key} 的字段 {f.key} 缺少名称")
            seen.add(f.key)

    @property
    def all_fields(self) -> tuple[FormField, ...]:
        """Header, table and footer fields, in print order."""
        return self.header_fields + self.fields + self.footer_fields

    def field(self, key: str) -> FormField:
        """The field with this key (KeyError if none)."""
        for f in self.all_fields:
            if f.key == key:
                return f
        raise KeyError(key)


class UnknownForm(KeyError):
    """No form registered under that key."""

    def __init__(self, key: str, known: list[str]) -> None:
        super().__init__(key)
        self.key = key
        self.known = known

    def __str__(self) -> str:
        return f"未知的表单：{self.key}（可用：{'、'.join(self.known) or '无'}）"


_REGISTRY: dict[str, FormSpec] = {}


def register_form(spec: FormSpec, *, replace: bool = False) -> FormSpec:
    """Add a form to the registry; an existing key is an error unless replace=True."""
    if spec.key in _REGISTRY and not replace:
        raise ValueError(f"表单 {spec.key} 已注册（如需替换请传 replace=True）")
    _REGISTRY[spec.key] = spec
    return spec


def get_form(key: str) -> FormSpec:
    """The registered form with this key (UnknownForm if none)."""
    try:
        return _REGISTRY[key]
    except KeyError:
        raise UnknownForm(key, sorted(_REGISTRY)) from None


def forms() -> tuple[FormSpec, ...]:
    """Every registered form, in registration order."""
    return tuple(_REGISTRY.values())


def prefill_values(spec: FormSpec, context: Mapping[str, Any]) -> dict[str, str]:
    """The form's pre-fill for this context, with every field present (empty if not filled)."""
    filled = spec.prefill(context)
    return {f.key: _text(filled.get(f.key)) for f in spec.all_fields}


def validate(spec: FormSpec, values: Mapping[str, Any]) -> list[str]:
    """Problems (in Chinese) with these values: missing required fields, over-long values."""
    problems = []
    for f in spec.all_fields:
        raw = values.get(f.key)
        if raw is not None and not isinstance(raw, str):
            problems.append(f"“{f.label}”应为文本。")
            continue
        value = _text(raw)
        if f.required and not value.strip():
            problems.append(f"请填写“{f.label}”。")
        if len(value) > MAX_FIELD_CHARS:
            problems.append(f"“{f.label}”不能超过{MAX_FIELD_CHARS}字（现有{len(value)}字）。")
    return problems


# ---------------------------------------------------------------- rendering


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(value).replace("\r\n", "\n").replace("\r", "\n")


def _line(f: FormField, value: str) -> str:
    return f"{f.label}：{value or f.placeholder}{f.note}"


def to_text(spec: FormSpec, values: Mapping[str, Any]) -> str:
    """Plain-text rendering of the filled form (for notifications and previews)."""
    out = [spec.title, ""]
    out += [_line(f, _text(values.get(f.key)).strip()) for f in spec.header_fields]
    out.append("")
    for f in spec.fields:
        value = _text(values.get(f.key)).strip("\n")
        if "\n" in value:
            out.append(f"{f.label}：")
            out += [f"  {line}" if line else "" for line in value.split("\n")]
        else:
            out.append(f"{f.label}：{value}")
    out.append("")
    out += [_line(f, _text(values.get(f.key)).strip()) for f in spec.footer_fields]
    if spec.issuer:
        out += ["", spec.issuer]
    return "\n".join(line.rstrip() for line in out) + "\n"


def _chinese_fonts(doc: Any) -> None:
    # Word picks the East-Asian typeface from w:eastAsia, not from the ascii/hAnsi names
    # python-docx sets; the template's defaults point at a theme font and en-US.
    styles = doc.styles.element
    for fonts in styles.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts"):
        fonts.attrib.pop(qn("w:eastAsiaTheme"), None)
        fonts.set(qn("w:eastAsia"), FONT)
    for lang in styles.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang"):
        lang.set(qn("w:eastAsia"), "zh-CN")
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(12)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.25
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)


def _paragraph(
    container: Any, text: str, *, bold: bool = False, size: float | None = None, align: Any = None
) -> None:
    p = container.add_paragraph()
    if align is not None:
        p.alignment = align
    run = p.add_run(text)
    run.bold = bold or None
    if size is not None:
        run.font.size = Pt(size)


def _fill_cell(cell: _Cell, text: str, *, bold: bool = False, center: bool = False) -> None:
    lines = text.split("\n")
    for i, line in enumerate(lines):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if line:
            p.add_run(line).bold = bold or None


def to_docx(spec: FormSpec, values: Mapping[str, Any]) -> bytes:
    """The filled form as a Word document laid out like the seed's attachment."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2.54)
    section.left_margin = section.right_margin = Cm(2.5)
    _chinese_fonts(doc)
    props = doc.core_properties
    props.title = spec.title
    props.author = props.last_modified_by = "wagewatch"
    props.comments = ""

    _paragraph(doc, spec.title, bold=True, size=18, align=WD_ALIGN_PARAGRAPH.CENTER)
    doc.add_paragraph()
    for f in spec.header_fields:
        _paragraph(doc, _line(f, _text(values.get(f.key)).strip()))

    table = doc.add_table(rows=1, cols=2, style="Table Grid")
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = (Cm(4.5), Cm(11.5))
    head = table.rows[0]
    for cell, name, width in zip(head.cells, spec.columns, widths, strict=True):
        cell.width = width
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _fill_cell(cell, name, bold=True, center=True)
    for f in spec.fields:
        row = table.add_row()
        row.height = Cm(2.5 if f.multiline else 1.0)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        label, content = row.cells
        label.width, content.width = widths
        label.vertical_alignment = content.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _fill_cell(label, f.label, center=True)
        _fill_cell(content, _text(values.get(f.key)).strip("\n"))

    doc.add_paragraph()
    for f in spec.footer_fields:
        _paragraph(doc, _line(f, _text(values.get(f.key)).strip()))
    if spec.issuer:
        doc.add_paragraph()
        _paragraph(doc, spec.issuer, align=WD_ALIGN_PARAGRAPH.RIGHT)
    buf = BytesIO()
    doc.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------- 宣恩 pre-fill helpers


def _number(value: Any) -> Decimal | None:
    # a count or amount as given; None for anything missing, non-numeric or negative
    if value is None or isinstance(value, bool):
        return None
    try:
        if isinstance(value, Decimal):
            d = value
        elif isinstance(value, numbers.Real):
            d = Decimal(str(value))
        elif isinstance(value, str) and value.strip():
            d = Decimal(value.strip().replace(",", ""))
        else:
            return None
    except (InvalidOperation, ValueError):
        return None
    if not d.is_finite() or d < 0:
        return None
    return d


def _count(d: Decimal) -> str:
    return str(int(d)) if d == d.to_integral_value() else f"{d.normalize():f}"


def _yuan(d: Decimal) -> str:
    text = f"{d:,.2f}".rstrip("0").rstrip(".")
    return f"{text}元"


def _china(value: Any) -> datetime | None:
    moment: datetime
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return None
    else:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # stored times are UTC (SQLite returns them naive)
    return moment.astimezone(CHINA)


def _day(value: Any) -> str:
    if isinstance(value, datetime):
        value = _china(value)
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    return ""


def _items(value: Any) -> list[Any]:
    if value is None or isinstance(value, str | bytes | Mapping):
        return []
    return list(value) if isinstance(value, Iterable) else []


def _get(item: Any, key: str) -> Any:
    if isinstance(item, Mapping):
        return item.get(key)
    return getattr(item, key, None)


def _names(value: Any) -> list[str]:
    return [s for s in (str(v).strip() for v in _items(value) if v is not None) if s]


# the rules engine's cluster facts, and the cluster_* names other callers use
_FACT_KEYS: dict[str, tuple[str, ...]] = {
    "townships": ("townships_affected", "cluster_townships"),
    "enterprises": ("enterprises_affected", "cluster_enterprises"),
    "workers": ("workers_involved", "cluster_workers"),
    "incidents": ("group_incidents", "cluster_incidents"),
    "amount": ("wage_arrears_amount", "amount_owed", "cluster_amount_owed"),
}


def _fact(facts: Mapping[str, Any], name: str) -> Decimal | None:
    for key in _FACT_KEYS[name]:
        d = _number(facts.get(key))
        if d is not None:
            return d
    return None


_SCOPE = re.compile(r"影响范围[^，。,；;的]+")


def _level_text(level_name: str, reasons: list[Any], townships: Decimal | None) -> str:
    if not level_name:
        return ""
    scopes: list[str] = []
    for r in reasons:
        m = _SCOPE.search(str(_get(r, "text") or ""))
        if m is None or m.group() in scopes:
            continue
        scope = m.group()
        # a reading the cluster's own facts contradict is not printed
        if townships is not None and (
            ("限于本乡镇" in scope and townships > 1) or ("两个乡镇以上" in scope and townships < 2)
        ):
            continue
        scopes.append(scope)
    name = level_name if level_name.endswith("预警") else f"{level_name}预警"
    return f"{name}（{'；'.join(scopes)}）" if scopes else name


def _enterprise_line(i: int, e: Any) -> str:
    name = str(_get(e, "name") or "").strip() or "（名称不详）"
    township = str(_get(e, "township") or "").strip()
    parts = []
    if (workers := _number(_get(e, "workers_owed"))) is not None:
        parts.append(f"欠薪职工{_count(workers)}人")
    if (amount := _number(_get(e, "amount_owed"))) is not None:
        parts.append(f"欠薪金额{_yuan(amount)}")
    if (months := _number(_get(e, "months_owed"))) is not None:
        parts.append(f"拖欠{_count(months)}个月")
    head = f"{i}. {name}" + (f"（{township}）" if township else "")
    return f"{head}：{'，'.join(parts)}" if parts else head


def _xuanen_prefill(context: Mapping[str, Any]) -> dict[str, str]:
    """Pre-fill the 宣恩 预警信息表 from what the case system knows about a cluster warning.

    `context` is a plain mapping; every key is optional and nothing is invented (a missing
    number is left out, never shown as 0):

    - `cluster`: the industry of the cluster, e.g. "建筑业";
    - `level_name`: "一级" / "二级"; `level`: "level1" / "level2" (used if no level_name);
    - `reasons`: the criteria that fired, [{"criterion": "level2.1", "text": <seed clause>}];
    - `facts`: the cluster's facts — `townships_affected` / `cluster_townships`,
      `enterprises_affected` / `cluster_enterprises`, `workers_involved` / `cluster_workers`,
      `group_incidents` / `cluster_incidents`, `wage_arrears_amount` / `amount_owed`;
    - `enterprises`: [{"name", "township", "workers_owed", "amount_owed", "months_owed"}];
    - `raised_at`: when the warning was raised (datetime; naive means UTC);
    - `reporting_unit`: the reporting unit (报告单位); `filled_at`: the filling date, if known;
    - `township_names`: the townships concerned.

    原因分析、事态及趋势、已采取措施、下一步工作方案 and the footer stay empty for the officer.
    """
    facts = context.get("facts")
    facts = facts if isinstance(facts, Mapping) else {}
    enterprises = _items(context.get("enterprises"))
    reasons = _items(context.get("reasons"))
    cluster = str(context.get("cluster") or "").strip()
    level_name = str(context.get("level_name") or "").strip()
    if not level_name:
        level_name = {"level1": "一级", "level2": "二级"}.get(str(context.get("level") or ""), "")
    townships = _fact(facts, "townships")

    names = [n for n in (str(_get(e, "name") or "").strip() for e in enterprises) if n]
    total = len(names)
    if (counted := _fact(facts, "enterprises")) is not None and counted == int(counted):
        total = max(total, int(counted))
    shown = names[:5]
    enterprise_names = "、".join(shown)
    if shown and total > len(shown):
        enterprise_names += f"等{total}家"

    when = _china(context.get("raised_at"))
    time_text = f"{_day(when)}{when:%H}时{when:%M}分（系统发出预警时间）" if when else ""
    places = "、".join(_names(context.get("township_names")))
    clauses = [t for t in (str(_get(r, "text") or "").strip() for r in reasons) if t]
    cause = "；".join(f"“{t}”" for t in clauses)
    if cause:
        cause = f"{cluster}符合预警条件：{cause}" if cluster else f"符合预警条件：{cause}"
    scale = []
    if (n := _fact(facts, "townships")) is not None:
        scale.append(f"涉及乡镇{_count(n)}个")
    if (n := _fact(facts, "enterprises")) is not None:
        scale.append(f"涉及企业{_count(n)}家")
    if (n := _fact(facts, "workers")) is not None:
        scale.append(f"涉及职工{_count(n)}人")
    if (n := _fact(facts, "incidents")) is not None:
        scale.append(f"群体性事件或集体停工{_count(n)}起")
    if (n := _fact(facts, "amount")) is not None:
        scale.append(f"涉及欠薪金额{_yuan(n)}")
    info = [
        f"时间：{time_text}",
        f"地点：{places}",
        f"起因：{cause}",
        "诉求：",
        f"规模：{'，'.join(scale)}",
    ]

    return {
        "reporting_unit": str(context.get("reporting_unit") or "").strip(),
        "filled_date": _day(context.get("filled_at")),
        "enterprise_names": enterprise_names,
        "warning_level": _level_text(level_name, reasons, townships),
        "warning_info": "\n".join(info),
        "enterprise_details": "\n".join(
            _enterprise_line(i, e) for i, e in enumerate(enterprises, 1)
        ),
    }


XUANEN_WARNING_FORM = register_form(
    FormSpec(
        key="xuanen_warning_form",
        title="宣恩县劳动关系领域风险监测预警信息表",
        seed="003_c11e2e308e6a523b.txt",
        clause=(
            "《宣恩县劳动关系领域风险监测预警信息情况表》(见附件)。"
            "一级预警信息不迟于6小时上报,二级预警信息不迟于2小时上报,"
            "不得瞒报、漏报或拖延报送时间。"
        ),
        header_fields=(
            FormField(
                "reporting_unit",
                "报告单位",
                help="填写报告单位全称，纸质件须加盖公章。",
                note="（盖章）",
            ),
            FormField(
                "filled_date",
                "填报时间",
                help="填报日期，如2021年3月26日。",
                placeholder="　　年　　月　　日",
            ),
        ),
        fields=(
            FormField(
                "enterprise_names",
                "预警企业名称",
                help="涉及预警的企业名称，以“、”分隔；超过5家的列前5家并注明“等N家”。",
            ),
            FormField(
                "warning_level",
                "预警级别",
                help="一级或二级预警及其依据。一级预警信息不迟于6小时上报，"
                "二级预警信息不迟于2小时上报。",
            ),
            FormField(
                "warning_info",
                "预警信息（时间、地点、起因、诉求和规模）",
                multiline=True,
                help="写明时间、地点、起因、诉求和规模。系统只填入已掌握的情况，"
                "诉求等其余内容请经办人核实补充。",
            ),
            FormField(
                "cause_analysis",
                "原因分析",
                multiline=True,
                help="分析引发劳动关系风险的原因，由经办人填写。",
            ),
            FormField(
                "situation_forecast",
                "当前事态状况及发展趋势预测",
                multiline=True,
                help="当前事态状况，并预测发展趋势，由经办人填写。",
            ),
            FormField(
                "measures_taken",
                "已采取措施及成效",
                multiline=True,
                help="已采取的处置措施及其成效，由经办人填写。",
            ),
            FormField(
                "next_steps",
                "下一步工作方案",
                multiline=True,
                help="下一步的工作安排，由经办人填写。",
            ),
            FormField(
                "enterprise_details",
                "企业相关资料信息",
                multiline=True,
                required=False,
                help="涉及企业的所在乡镇、欠薪人数、金额、月数等资料，系统按已掌握的情况逐家列出。",
            ),
        ),
        footer_fields=(
            FormField("person_in_charge", "负责人", help="报告单位负责人姓名。"),
            FormField("filled_by", "填报人", help="填报人姓名。"),
            FormField("contact_phone", "联系电话", help="填报人联系电话。"),
        ),
        prefill=_xuanen_prefill,
        issuer="宣恩县人力资源和社会保障局办公室",
    )
)
