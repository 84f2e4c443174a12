"""The `wagewatch` command line (Typer + Rich)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Annotated

import typer
from rich.console import Console
from rich.table import Table

from wagewatch.rules.model import RulebookError

app = typer.Typer(
    help="wagewatch 欠薪预警处置平台 — 命令行工具。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
rulebook_app = typer.Typer(help="查看和校验预警规则文件。", no_args_is_help=True)
app.add_typer(rulebook_app, name="rulebook")

err = Console(stderr=True, soft_wrap=True)  # error lines must stay whole for scripts
out = Console()


def main() -> None:
    """Entry point of the `wagewatch` command."""
    app()


@contextmanager
def _open_input(path: str) -> Iterator[IO[str]]:
    if path == "-":
        yield sys.stdin
        return
    try:
        with open(path, encoding="utf-8-sig") as fh:
            yield fh
    except FileNotFoundError:
        err.print(f"[red]错误：[/]文件不存在：{path}")
        raise typer.Exit(2) from None
    except UnicodeDecodeError as exc:
        err.print(f"[red]错误：[/]{path} 不是 UTF-8 文本（第 {exc.start} 字节）")
        raise typer.Exit(2) from None


def _load_rulebook(name: str):  # type: ignore[no-untyped-def]
    from wagewatch.rules.registry import UnknownRulebook, get_rulebook

    try:
        return get_rulebook(name)
    except UnknownRulebook as exc:
        err.print(f"[red]错误：[/]{exc}")
        raise typer.Exit(2) from None
    except RulebookError as exc:
        err.print(f"[red]错误：[/]规则文件有误：\n{exc}")
        raise typer.Exit(2) from None


def _parse_params(items: list[str]) -> dict[str, int | float | bool | str]:
    params: dict[str, int | float | bool | str] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep or not key:
            err.print(f"[red]错误：[/]--param 应写成 名称=值，收到：{item}")
            raise typer.Exit(2)
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            value = raw
        if not isinstance(value, int | float | bool | str):
            err.print(f"[red]错误：[/]参数 {key} 的值应为数值、true/false 或文本")
            raise typer.Exit(2)
        params[key] = value
    return params


@app.command()
def grade(
    rulebook: Annotated[
        str, typer.Option("--rulebook", "-r", help="规则名（如 baoshan）或规则文件路径")
    ],
    file: Annotated[str, typer.Argument(help="JSON Lines 输入文件，- 表示标准输入")] = "-",
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="覆盖规则参数，如 many_workers=40")
    ] = None,
) -> None:
    """按预警规则评级：每行输入 {"id", "facts"}，每行输出等级、依据条款和处置步骤。"""
    from wagewatch.rules.jsonl import GradeInputError, grade_lines

    rb = _load_rulebook(rulebook)
    params = _parse_params(param or [])
    try:
        rb.with_params(params)
    except KeyError as exc:
        err.print(
            f"[red]错误：[/]{exc.args[0]}（规则 {rb.name} 的参数：{'、'.join(rb.parameters) or '无'}）"
        )
        raise typer.Exit(2) from None
    with _open_input(file) as fh:
        try:
            lines = list(grade_lines(rb, fh, params))
        except GradeInputError as exc:
            name = "标准输入" if file == "-" else file
            for e in exc.errors:
                err.print(f"{name} {e}", markup=False, highlight=False)
            err.print(f"[red]错误：[/]{len(exc.errors)} 行输入有误，未输出任何评级结果。")
            raise typer.Exit(1) from None
    stdout = sys.stdout
    stdout.write("\n".join(lines))
    if lines:
        stdout.write("\n")
    stdout.flush()


@app.command("rulebooks")
def list_rulebooks() -> None:
    """列出可用的预警规则及其等级和版本。"""
    from wagewatch.rules.registry import rulebook_files

    table = Table(title="预警规则", show_lines=False)
    for col in ("名称", "辖区", "依据文件", "等级（由低到高）", "版本"):
        table.add_column(col)
    for name in sorted(rulebook_files()):
        rb = _load_rulebook(name)
        levels = " < ".join(f"{lv.name}({lv.code})" for lv in rb.levels)
        table.add_row(rb.name, rb.jurisdiction, rb.seed.get("document", ""), levels, rb.version)
    out.print(table)


@rulebook_app.command("show")
def rulebook_show(name: Annotated[str, typer.Argument(help="规则名或规则文件路径")]) -> None:
    """以表格显示一部规则的判定条件、原文条款和处置步骤。"""
    rb = _load_rulebook(name)
    out.print(f"[bold]{rb.title}[/]（{rb.name}，版本 {rb.version}）")
    out.print(f"依据：{rb.seed.get('document', '')} {rb.seed.get('clause', '')}")
    if rb.parameters:
        for k, v in rb.parameters.items():
            out.print(f"参数 {k} = {v}：{rb.parameter_texts.get(k, '')}")
    table = Table(show_lines=True)
    for col in ("条件", "等级", "判定式", "原文条款", "解读"):
        table.add_column(col)
    for lv in sorted(rb.levels, key=lambda x: -x.rank):
        for c in rb.criteria:
            if c.level == lv.code:
                table.add_row(c.id, lv.name, c.condition.source, c.text, c.reading)
    out.print(table)
    acts = Table(title="处置步骤", show_lines=True)
    for col in ("等级", "任务", "承办", "时限", "原文条款"):
        acts.add_column(col)
    for key, actions in rb.actions.items():
        label = "各等级" if key == "any" else rb.level(key).name
        for a in actions:
            due = (
                f"{a.due_hours:g} 小时"
                if a.due_hours is not None
                else f"{a.due_working_days} 个工作日"
                if a.due_working_days is not None
                else ("每月" if a.recurrence == "monthly" else "")
            )
            acts.add_row(
                label, a.task + (f"（{a.note}）" if a.note else ""), a.assignee, due, a.clause
            )
    out.print(acts)


@rulebook_app.command("check")
def rulebook_check(
    files: Annotated[list[Path], typer.Argument(help="要校验的规则文件")],
) -> None:
    """校验规则文件，一次列出全部问题（未知事实、未知等级、重复编号、不可达等级、语法错误）。"""
    from wagewatch.rules.model import check_rulebook_file

    bad = 0
    for f in files:
        problems = check_rulebook_file(f)
        if problems:
            bad += 1
            for p in problems:
                err.print(str(p), markup=False, highlight=False)
            err.print(f"[red]✗[/] {f}：{len(problems)} 个问题")
        else:
            out.print(f"[green]✓[/] {f}：规则文件无误")
    if bad:
        raise typer.Exit(1)


@app.command()
def extract(
    file: Annotated[
        str, typer.Argument(help="每行一条投诉文本（或含 text 的 JSON），- 表示标准输入")
    ] = "-",
    evaluate: Annotated[
        Path | None, typer.Option("--evaluate", help="对标注语料评测各字段准确率（输出 JSON）")
    ] = None,
    split: Annotated[
        str, typer.Option("--split", help="评测哪一部分：heldout、train 或 all")
    ] = "heldout",
) -> None:
    """从投诉文本中抽取欠薪月数、人数、金额、用人单位和风险标记。"""
    from wagewatch.extract import ExtractInputError, evaluate_file, extract_lines

    if evaluate is not None:
        report = evaluate_file(evaluate, split=split)
        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    with _open_input(file) as fh:
        try:
            results = [json.dumps(r, ensure_ascii=False) for r in extract_lines(fh)]
        except ExtractInputError as exc:
            err.print(f"第 {exc.line_no} 行：{exc.message}", markup=False, highlight=False)
            raise typer.Exit(1) from None
    if results:
        sys.stdout.write("\n".join(results) + "\n")


@app.command()
def demo() -> None:
    """用依据政策条款构造的示例企业，在五部规则下逐一评级并以表格展示。"""
    from wagewatch.demo import run_rule_demo

    run_rule_demo(out)


if __name__ == "__main__":  # pragma: no cover
    main()
