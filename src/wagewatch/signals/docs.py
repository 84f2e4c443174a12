"""Render docs/sources.md from the catalogue, so the page cannot drift from the code."""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterable
from pathlib import Path

from wagewatch.signals.catalogue import TYPE_LABELS, Column, SourceKind, kinds
from wagewatch.signals.validate import MAX_DATE, MIN_DATE

__all__ = ["render_kind_md", "render_sources_md", "sample_csv"]

_INTRO = f"""\
# 数据来源目录

<!-- 本文件由 `python -m wagewatch.signals.docs docs/sources.md` 根据
     `wagewatch.signals.catalogue` 生成，请勿手工修改；测试会检查它与代码一致。 -->

各单位报送的 Excel（xlsx、xls）或 CSV 文件按“数据来源类型”导入。本页列出每种类型的列、
各地常见的表头写法、类型和示例，以及每行数据在预警规则中对应的事实（见 SPEC.md 的事实表）。

## 通用规则

- **表头**：在文件前10行中自动查找表头行，表头上方的标题行（如“2024年10月欠费企业名单”）
  会被跳过。表头中的全角字符、空格、换行、必填标记（`*`）和括号里的说明或单位
  （如“（元）”“(是/否)”）不影响识别；表头写“（万元）”的金额列按万元换算成元。
  “序号”列和本系统生成的“错误原因”列不导入。不认识的列不导入，并在导入结果中列出。
- **编码**：CSV 可以是 UTF-8（含 BOM）或 GBK/GB18030，自动识别。Excel 读取第一个非空的工作表，
  也可以在导入时指定工作表。
- **空行和合计行**：整行为空的行、以“合计/总计/小计”开头的行不导入；行号始终按 Excel 中看到的行号报告。
- **空值**：空单元格以及 `/`、`-`、`—`、`无`、`暂无`、`N/A`、`NULL` 视为未填写
  （“是/否”列中的“无”表示“否”）。
- **日期**：2024-10-05、2024/10/5、2024.10.05、20241005、2024年10月5日、带时间的日期
  （时间部分忽略）、Excel 日期单元格和日期序列号；合理范围为 {MIN_DATE.year}年至{MAX_DATE.year}年。
- **年月**：2024-10、2024/10、2024.10、2024年10月、202410，或该月中的任一日期。被 Excel
  存成数字 2024.1 的年月无法区分1月和10月，会被拒收。
- **数值**：可写千分位（1,234.50）、￥ 符号、“元”“万”“万元”（1.2万 = 12000）、全角数字；
  人数可写“30人”“30余人”（按30计）或中文数字。金额最多两位小数，不能为负数。
- **是/否**：是、否、有、无、Y、N、1、0、√、×、TRUE、FALSE。
- **选项**：可写选项名称、代码或表中列出的其他写法。
- **身份证号、统一社会信用代码、电话**：去掉空格、转成半角大写。被 Excel 存成数字
  （如 1.10105E+17）的身份证号已丢失末几位，会被拒收，请把该列设为文本后重新填写。
- **整行拒收**：一行中只要有一个单元格不合格，整行不导入，其余行照常导入；
  导入结果给出“拒收行”文件（UTF-8 CSV，Excel 可直接打开），保留原表头并在最后加
  “错误原因”列，改正后可以直接重新导入。
- **个人信息**：标为“个人信息”的列（投诉人姓名、电话、身份证号等）只对有权限的科室显示。
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _required(kind: SourceKind, column: Column) -> str:
    if column.required:
        return "必填"
    for group in kind.one_of:
        if column.key in group:
            others = "、".join(kind.column(k).header for k in group if k != column.key)
            return f"与{others}至少填一项"
    return ""


def _type(column: Column) -> str:
    label = TYPE_LABELS[column.type]
    if column.type == "decimal" and column.unit:
        return f"{label}（{column.unit}）"
    if column.type == "int" and column.unit:
        return f"{label}（{column.unit}）"
    return label


def sample_csv(kind: SourceKind) -> str:
    """The kind's canonical headers and sample row as CSV text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c.header for c in kind.columns])
    writer.writerow([c.sample for c in kind.columns])
    return buffer.getvalue()


def render_kind_md(kind: SourceKind) -> str:
    """The section of the sources page describing one kind."""
    lines = [f"## {kind.title}（`{kind.key}`）", ""]
    if kind.description:
        lines += [kind.description, ""]
    lines += [
        f"- **来源单位**：{'、'.join(kind.offices)}",
        f"- **对应事实**：{kind.feeds}",
        "",
        "| 列（代码） | 表头 | 其他写法 | 类型 | 必填 | 个人信息 | 说明 |",
        "|---|---|---|---|---|---|---|",
    ]
    for column in kind.columns:
        lines.append(
            "| "
            + " | ".join(
                [
                    f"`{column.key}`",
                    _cell(column.header),
                    _cell("、".join(column.aliases)),
                    _type(column),
                    _required(kind, column),
                    "是" if column.pii else "",
                    _cell(column.help),
                ]
            )
            + " |"
        )
    lines.append("")
    for column in kind.columns:
        if column.type != "enum":
            continue
        lines.append(f"“{column.header}”的可选值：")
        lines.append("")
        for choice in column.choices:
            also = f"；也可写 {'、'.join(choice.aliases)}" if choice.aliases else ""
            lines.append(f"- {choice.label}（`{choice.value}`{also}）")
        lines.append("")
    lines += ["示例：", "", "```csv", sample_csv(kind).rstrip("\n"), "```", ""]
    return "\n".join(lines)


def render_sources_md(source_kinds: Iterable[SourceKind] | None = None) -> str:
    """Render the whole sources page (all registered kinds unless given)."""
    chosen = list(kinds() if source_kinds is None else source_kinds)
    parts = [_INTRO, "## 类型一览", ""]
    parts += ["| 代码 | 名称 | 来源单位 |", "|---|---|---|"]
    parts += [f"| `{k.key}` | {k.title} | {'、'.join(k.offices)} |" for k in chosen]
    parts.append("")
    parts += [render_kind_md(k) for k in chosen]
    return "\n".join(parts).rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the page to the path given, or print it."""
    args = sys.argv[1:] if argv is None else argv
    text = render_sources_md()
    if args:
        Path(args[0]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
