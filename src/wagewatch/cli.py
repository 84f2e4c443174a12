"""The `wagewatch` command line (Typer + Rich)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
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
db_app = typer.Typer(help="业务数据库维护。", no_args_is_help=True)
app.add_typer(db_app, name="db")
review_app = typer.Typer(
    help="企业匹配待核对队列：查看候选并人工确认。", invoke_without_command=True
)
app.add_typer(review_app, name="review")

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


@db_app.command("upgrade")
def db_upgrade() -> None:
    """把业务数据库升级到最新结构（首次运行时建库）。"""
    from wagewatch.db.migrate import upgrade
    from wagewatch.settings import get_settings

    upgrade()
    out.print(f"[green]✓[/] 数据库已是最新结构：{_safe_url(get_settings().db_url)}")


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _parse_date(text: str | None) -> date:
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        err.print(f"[red]错误：[/]日期应写成 YYYY-MM-DD，收到：{text}")
        raise typer.Exit(2) from None


@app.command()
def evaluate(
    rulebook: Annotated[
        str | None, typer.Option("--rulebook", "-r", help="规则名或文件；默认取 WAGEWATCH_RULEBOOK")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="评估日期 YYYY-MM-DD，默认今天")
    ] = None,
    enterprise: Annotated[
        list[str] | None,
        typer.Option("--enterprise", "-e", help="只评估这些企业（统一社会信用代码或名称），可重复"),
    ] = None,
) -> None:
    """计算企业事实并按规则评级，保存当前预警和每次等级变化。"""
    from sqlalchemy import or_, select

    from wagewatch.alerts.service import CHANGE_NAMES
    from wagewatch.cases.service import regrade as run_regrade
    from wagewatch.db.migrate import upgrade
    from wagewatch.db.session import session_scope
    from wagewatch.enterprises.models import Enterprise
    from wagewatch.settings import get_settings

    settings = get_settings()
    rb = _load_rulebook(rulebook or settings.rulebook)
    day = _parse_date(as_of)
    upgrade()
    with session_scope() as session:
        ids: list[int] | None = None
        if enterprise:
            ids = []
            for ref in enterprise:
                found = session.scalars(
                    select(Enterprise.id).where(
                        or_(Enterprise.credit_code == ref.upper(), Enterprise.name == ref)
                    )
                ).all()
                if not found:
                    err.print(f"[red]错误：[/]企业名录中没有：{ref}")
                    raise typer.Exit(1)
                ids.extend(found)
        with out.status("正在计算事实并评级……"):
            summary, synced = run_regrade(session, rb, day, ids)
    table = Table(title=f"评估结果：{rb.title}（{rb.name} 版本 {rb.version}），评估日 {day}")
    table.add_column("项目")
    table.add_column("数量", justify="right")
    table.add_row("参与评级", str(summary.graded))
    for lv in sorted(rb.levels, key=lambda x: -x.rank):
        table.add_row(f"当前{lv.name}", str(summary.per_level.get(lv.code, 0)))
    for key, name in CHANGE_NAMES.items():
        table.add_row(name, str(summary.changes.get(key, 0)))
    table.add_row("新建台账", str(synced.opened))
    table.add_row("台账等级更新", str(synced.updated))
    table.add_row("台账重新打开", str(synced.reopened))
    out.print(table)


@app.command("import")
def import_files(
    files: Annotated[list[Path], typer.Argument(help="要导入的 CSV / XLSX 文件")],
    source: Annotated[
        str | None,
        typer.Option("--source", "-s", help="数据来源类型（如 complaints）；默认按表头识别"),
    ] = None,
    user: Annotated[str, typer.Option("--user", help="记录为导入人")] = "命令行",
    regrade: Annotated[bool, typer.Option(help="导入后重新评估受影响的企业")] = True,
) -> None:
    """导入各部门报送的数据文件：逐行校验、匹配企业，整文件要么全部生效要么不变。"""
    from rich.progress import (
        BarColumn,
        Progress,
        SpinnerColumn,
        TaskID,
        TextColumn,
        TimeElapsedColumn,
    )

    from wagewatch.alerts.service import CHANGE_NAMES
    from wagewatch.cases.service import regrade as run_regrade
    from wagewatch.db.migrate import upgrade
    from wagewatch.db.session import session_scope
    from wagewatch.settings import get_settings
    from wagewatch.signals.readers import KindDetectionError, ReadError
    from wagewatch.signals.service import import_file

    settings = get_settings()
    upgrade()
    failed = 0
    touched: set[int] = set()
    summary = Table(title="导入汇总", show_lines=False)
    for col in ("文件", "类型", "结果", "读入", "导入", "退回", "待核对", "新建企业", "文本抽取"):
        summary.add_column(col, justify="right" if col not in ("文件", "类型", "结果") else "left")
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[rows]} 行"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        overall = bar.add_task("文件", total=len(files), rows=0)
        for f in files:
            task = bar.add_task(f"导入 {f.name}", total=None, rows=0)

            def tick(stage: str, rows: int, task: TaskID = task, name: str = f.name) -> None:
                label = {"validate": "校验", "resolve": "匹配企业"}.get(stage, stage)
                bar.update(task, description=f"{label} {name}", rows=rows)

            try:
                with session_scope() as session:
                    res = import_file(session, f, kind=source, imported_by=user, progress=tick)
            except (ReadError, KindDetectionError) as exc:
                failed += 1
                err.print(f"[red]✗ {f}：[/]{exc}")
                continue
            finally:
                bar.remove_task(task)
                bar.advance(overall)
            if res.status == "failed":
                failed += 1
                err.print(f"[red]✗ {f}：[/]{res.message}")
                for e in res.errors:
                    err.print(f"    {e}", markup=False, highlight=False)
            elif res.status == "duplicate":
                out.print(f"[yellow]•[/] {f}：{res.message}")
            else:
                touched |= res.touched
                for e in res.errors[:20]:
                    err.print(f"    {e}", markup=False, highlight=False)
                if len(res.errors) > 20:
                    err.print(f"    ……共 {len(res.errors)} 处错误，详见退回文件")
                if res.rejected_path:
                    out.print(f"  退回文件（修改后可重新导入）：{res.rejected_path}")
                if res.unmatched_headers:
                    out.print(f"  未识别的列（未导入）：{'、'.join(res.unmatched_headers)}")
            summary.add_row(
                f.name,
                res.kind_title,
                {"imported": "已导入", "duplicate": "重复文件", "failed": "未导入"}[res.status],
                str(res.rows_in),
                str(res.imported),
                str(res.rejected),
                str(res.review),
                str(res.enterprises_created),
                str(res.extracted),
            )
    out.print(summary)
    if regrade and touched:
        rb = _load_rulebook(settings.rulebook)
        with session_scope() as session, out.status(f"重新评估受影响的 {len(touched)} 家企业……"):
            ev, _ = run_regrade(session, rb, date.today(), touched)
        changes = "，".join(
            f"{CHANGE_NAMES[k]} {v}" for k, v in ev.to_dict()["changes"].items() if v
        )
        out.print(
            f"已按 {rb.name} 重新评估 {ev.graded} 家企业{('：' + changes) if changes else '，等级无变化'}。"
        )
    if failed:
        raise typer.Exit(1)


@review_app.callback()
def review_list(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(help="最多列出多少条")] = 50,
) -> None:
    """列出待核对的企业匹配事项及候选企业和得分。"""
    if ctx.invoked_subcommand is not None:
        return
    from sqlalchemy import func, select

    from wagewatch.db.migrate import upgrade
    from wagewatch.db.session import session_scope
    from wagewatch.signals.models import ImportBatch, ReviewItem

    upgrade()
    with session_scope() as session:
        total = session.scalar(
            select(func.count(ReviewItem.id)).where(ReviewItem.status == "pending")
        )
        rows = session.execute(
            select(ReviewItem, ImportBatch.file_name)
            .join(ImportBatch, ImportBatch.id == ReviewItem.batch_id)
            .where(ReviewItem.status == "pending")
            .order_by(ReviewItem.id)
            .limit(limit)
        ).all()
        table = Table(title=f"待核对：共 {total} 条", show_lines=True)
        for col in ("编号", "文件 / 行", "写法", "原因", "候选企业（得分）"):
            table.add_column(col)
        for item, file_name in rows:
            cands = (
                "\n".join(
                    f"{c['enterprise_id']} {c['name']}（{c['score']}）" for c in item.candidates
                )
                or "—"
            )
            table.add_row(
                str(item.id),
                f"{file_name} 第{item.row_no}行",
                f"{item.name or ''}\n{item.credit_code or ''}",
                item.reason,
                cands,
            )
    out.print(table)
    out.print(
        "确认：wagewatch review resolve 编号 --enterprise 企业编号或代码；新建：wagewatch review resolve 编号 --new"
    )


@review_app.command("resolve")
def review_resolve(
    item: Annotated[int, typer.Argument(help="待核对事项编号")],
    enterprise: Annotated[
        str | None, typer.Option("--enterprise", "-e", help="企业编号、信用代码或名称")
    ] = None,
    new: Annotated[bool, typer.Option("--new", help="名录中确无此企业：按该行新建")] = False,
    user: Annotated[str, typer.Option("--user", help="记录为核对人")] = "命令行",
) -> None:
    """确认一条待核对事项属于哪家企业（或新建企业），并记住这种写法。"""
    from wagewatch.db.session import session_scope
    from wagewatch.enterprises.service import (
        ReviewError,
        create_from_review,
        find_enterprise,
        resolve_review,
    )

    if bool(enterprise) == new:
        err.print("[red]错误：[/]请指定 --enterprise 或 --new 之一")
        raise typer.Exit(2)
    try:
        with session_scope() as session:
            if new:
                ent = create_from_review(session, item, user)
                out.print(f"[green]✓[/] 已新建企业 {ent.id} {ent.name}")
            else:
                found = find_enterprise(session, enterprise or "")
                if found is None:
                    err.print(f"[red]错误：[/]找不到企业：{enterprise}")
                    raise typer.Exit(1)
                resolve_review(session, item, found.id, user)
                out.print(
                    f"[green]✓[/] 事项 {item} 已确认为 {found.id} {found.name}，并记住了这种写法"
                )
    except ReviewError as exc:
        err.print(f"[red]错误：[/]{exc}")
        raise typer.Exit(1) from None


@app.command()
def simulate(
    enterprises: Annotated[int, typer.Option("--enterprises", "-n", help="企业数")] = 3000,
    months: Annotated[int, typer.Option("--months", "-m", help="模拟的月数")] = 24,
    seed: Annotated[int, typer.Option("--seed", help="随机种子：相同种子生成相同文件")] = 1,
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="输出目录")] = Path("district"),
    end: Annotated[
        str | None, typer.Option("--end", help="最后一天 YYYY-MM-DD，默认上月末")
    ] = None,
    clean: Annotated[bool, typer.Option("--clean", help="不注入脏数据")] = False,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="覆盖已有输出")] = False,
) -> None:
    """生成一个模拟辖区：各部门格式各异的数据文件，以及用于检验的真实情况（truth/）。"""
    from wagewatch.simulate import MessRates, generate

    with out.status("正在生成模拟辖区……"):
        summary = generate(
            enterprises,
            months,
            seed,
            out_dir,
            _parse_date(end) if end else None,
            mess=MessRates.clean() if clean else None,
            overwrite=overwrite,
        )
    info = summary.to_dict()
    out.print(
        f"[green]✓[/] 已生成 {info['files_written']} 个文件到 {out_dir / 'sources'}，"
        f"真实情况在 {out_dir / 'truth'}；{info['deteriorating']} 家企业经营恶化，"
        f"{info['recovered']} 家恢复。"
    )


@app.command()
def bench(
    enterprises: Annotated[
        int, typer.Option("--enterprises", "-n", help="模拟辖区的企业数")
    ] = 100_000,
    months: Annotated[int, typer.Option(help="模拟的月数")] = 12,
    seed: Annotated[int, typer.Option(help="随机种子")] = 1,
    repeats: Annotated[int, typer.Option(help="整体评级重复次数（取中位数）")] = 3,
    singles: Annotated[int, typer.Option(help="单企业重新评级次数")] = 100,
    pandas: Annotated[
        bool, typer.Option("--pandas/--no-pandas", help="是否运行 pandas 基线")
    ] = True,
    workdir: Annotated[
        Path | None, typer.Option(help="工作目录（默认临时目录，结束后删除）")
    ] = None,
) -> None:
    """性能测试：导入、整体评级与单企业评级，对照手写 SQL 与 pandas 基线，输出一个 JSON 对象。"""
    from wagewatch.bench.run import run_bench

    result = run_bench(
        enterprises,
        months,
        seed=seed,
        workdir=workdir,
        repeats=repeats,
        singles=singles,
        pandas_baseline=pandas,
        log=lambda m: err.print(f"[dim]{m}[/]"),
    )
    sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")


@app.command()
def examples() -> None:
    """用依据政策条款构造的示例企业，在五部规则下逐一评级并以表格展示。"""
    from wagewatch.demo import run_rule_demo

    run_rule_demo(out)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="监听地址")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="端口")] = 8000,
    workers: Annotated[int, typer.Option(help="工作进程数（默认每个 CPU 核一个）")] = min(
        os.cpu_count() or 1, 4
    ),
) -> None:
    """在已有数据目录（WAGEWATCH_HOME）上启动网页服务。"""
    from wagewatch.db.migrate import upgrade
    from wagewatch.web.server import serve as run_server

    upgrade()
    run_server(host, port, workers=workers)


@app.command()
def demo(
    rulebook: Annotated[
        str, typer.Option("--rulebook", "-r", help="演示使用的预警规则")
    ] = "baoshan",
    enterprises: Annotated[int, typer.Option(help="模拟辖区的企业数")] = 3000,
    months: Annotated[int, typer.Option(help="模拟的月数")] = 24,
    seed: Annotated[int, typer.Option(help="随机种子")] = 1,
    fresh: Annotated[bool, typer.Option("--fresh", help="删除已有演示数据，重新生成")] = False,
    serve_web: Annotated[
        bool, typer.Option("--serve/--no-serve", help="完成后启动网页服务")
    ] = True,
    host: Annotated[str, typer.Option(help="监听地址")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="端口")] = 8000,
) -> None:
    """一键演示：模拟辖区 → 导入 → 评级 → 演示账号 → 启动网页服务。"""
    import os
    import shutil
    import time

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from wagewatch.alerts.service import evaluate as run_evaluate
    from wagewatch.db.migrate import upgrade
    from wagewatch.db.session import session_scope
    from wagewatch.settings import Settings, get_settings
    from wagewatch.signals.service import import_file
    from wagewatch.simulate import generate
    from wagewatch.web.demo import prepare_demo

    started = time.perf_counter()
    if "WAGEWATCH_HOME" not in os.environ:
        os.environ["WAGEWATCH_HOME"] = str(Path("var/demo").resolve())
    os.environ["WAGEWATCH_RULEBOOK"] = rulebook
    get_settings.cache_clear()
    settings: Settings = get_settings()
    rb = _load_rulebook(rulebook)
    home = settings.home.resolve()
    if fresh and home.exists():
        shutil.rmtree(home)
    district = home / "district"
    built = (home / "wagewatch.db").exists() and (district / "truth").exists()
    if not built:
        if home.exists():
            shutil.rmtree(home)
        with out.status(f"正在模拟 {enterprises} 家企业、{months} 个月的辖区数据……"):
            summary = generate(enterprises, months, seed, district)
        upgrade(settings.db_url)
        files = sorted((district / "sources").rglob("*.*"))
        files.sort(key=lambda p: 0 if p.parent.name == "enterprises" else 1)
        with Progress(
            TextColumn("导入各部门文件"), BarColumn(), MofNCompleteColumn(), console=out
        ) as bar:
            task = bar.add_task("import", total=len(files))
            for f in files:
                with session_scope(settings.db_url) as session:
                    import_file(session, f, settings=settings, imported_by="演示数据")
                bar.advance(task)
        with out.status(f"正在按 {rb.title} 评级……"), session_scope(settings.db_url) as session:
            ev = run_evaluate(session, rb, summary.end)
        out.print(
            f"[green]✓[/] 演示辖区已就绪：{len(files)} 个文件，评估日 {summary.end}，"
            + "，".join(f"{rb.level(k).name} {v} 家" for k, v in sorted(ev.per_level.items()))
        )
    else:
        out.print(f"使用已有演示数据：{home}（加 --fresh 重新生成）")
    logins = prepare_demo(home, [])
    from wagewatch.cases.deadlines import run_deadlines
    from wagewatch.cases.service import sync_cases

    with out.status("正在为预警建立处置台账……"), session_scope(settings.db_url) as session:
        synced = sync_cases(session, rb)
        run_deadlines(session)
    if synced.opened:
        out.print(f"[green]✓[/] 新建处置台账 {synced.opened} 件，已按规则分派任务和期限")
    table = Table(title="演示账号（每次启动重新生成密码）")
    for col in ("用户名", "角色", "密码"):
        table.add_column(col)
    for username, role, password in logins:
        table.add_row(username, role, password)
    out.print(table)
    out.print(f"准备用时 {time.perf_counter() - started:.0f} 秒。")
    if serve_web:
        out.print(f"[bold]请用浏览器打开 http://{host}:{port}[/]（Ctrl+C 停止）")
        from wagewatch.web.server import serve as run_server

        run_server(host, port, workers=min(os.cpu_count() or 1, 4))


@app.command()
def deadlines() -> None:
    """检查任务期限：到期提醒、逾期升级督办、生成每月检查任务（建议每5分钟由定时任务运行）。"""
    from wagewatch.cases.deadlines import run_deadlines
    from wagewatch.db.migrate import upgrade
    from wagewatch.db.session import session_scope
    from wagewatch.notify.service import configure_channels

    try:
        configure_channels()
    except ValueError as exc:
        err.print(f"[red]通知通道配置错误：[/]{exc}")
        raise typer.Exit(1) from None
    upgrade()
    with session_scope() as session:
        run = run_deadlines(session)
    out.print_json(data=run.to_dict())


holidays_app = typer.Typer(help="法定节假日和调休安排（工作日期限的依据）。", no_args_is_help=True)
app.add_typer(holidays_app, name="holidays")


@holidays_app.command("load")
def holidays_load(
    file: Annotated[Path, typer.Argument(help="国务院办公厅公布的放假安排，CSV：日期,类型,名称")],
) -> None:
    """导入某年的放假/调休安排（整年替换：该年未列出的日期按周末计算）。"""
    from sqlalchemy import delete, extract

    from wagewatch.cases.calendar import parse_official_list
    from wagewatch.cases.models import HolidayDay
    from wagewatch.db.migrate import upgrade
    from wagewatch.db.session import session_scope

    try:
        rows = parse_official_list(file.read_text(encoding="utf-8-sig"), source=file.name)
    except (OSError, UnicodeDecodeError) as exc:
        err.print(f"[red]错误：[/]无法读取 {file}：{exc}")
        raise typer.Exit(1) from None
    except ValueError as exc:
        err.print(f"[red]错误：[/]{exc}")
        raise typer.Exit(1) from None
    years = sorted({r.day.year for r in rows})
    upgrade()
    with session_scope() as session:
        for year in years:
            session.execute(delete(HolidayDay).where(extract("year", HolidayDay.day) == year))
        for r in rows:
            session.add(HolidayDay(day=r.day, workday=r.workday, name=r.name, loaded_by="命令行"))
    out.print(f"[green]✓[/] 已导入 {'、'.join(map(str, years))} 年放假安排 {len(rows)} 天")


@holidays_app.command("show")
def holidays_show(year: Annotated[int, typer.Argument(help="年份")]) -> None:
    """列出某年的放假/调休安排及其来源（导入的表、内置日历或仅周末）。"""
    from wagewatch.cases.service import load_calendar
    from wagewatch.db.migrate import upgrade
    from wagewatch.db.session import session_scope

    upgrade()
    with session_scope() as session:
        cal = load_calendar(session)
    source = {
        "table": "已导入的放假安排",
        "library": "内置日历（chinese-calendar）",
        "weekends": "仅按周末（未导入）",
    }
    out.print(f"{year} 年工作日依据：{source[cal.covered(year)]}")


if __name__ == "__main__":  # pragma: no cover
    main()
