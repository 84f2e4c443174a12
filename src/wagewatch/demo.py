"""`wagewatch demo`: example employers built from the seed clauses, graded by all rulebooks."""

from __future__ import annotations

from importlib.resources import files
from typing import Any

import yaml
from rich.console import Console
from rich.table import Table

from wagewatch.rules.engine import grade_records
from wagewatch.rules.jsonl import parse_lines
from wagewatch.rules.registry import get_rulebook

__all__ = ["DEMO_RULEBOOKS", "load_examples", "run_rule_demo"]

DEMO_RULEBOOKS = ("wendeng", "baoshan", "yingkou", "xuanen", "qingpu")


def load_examples() -> list[dict[str, Any]]:
    """The demo's example employers (facts only; levels are computed)."""
    text = files("wagewatch").joinpath("demo_examples.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert isinstance(data, list)
    return data


def run_rule_demo(console: Console) -> None:
    """Grade every example under every built-in rulebook and print one table."""
    import json

    examples = load_examples()
    lines = [json.dumps({"id": i, "facts": ex["facts"]}) for i, ex in enumerate(examples)]
    table = Table(title="wagewatch 示例：依据五部政策文件逐一评级", show_lines=True)
    table.add_column("企业（情形）", max_width=34)
    table.add_column("事实", max_width=30)
    graded = {}
    for name in DEMO_RULEBOOKS:
        rb = get_rulebook(name)
        records = parse_lines(rb, lines)
        graded[name] = grade_records(rb, [facts for _, facts in records])
        table.add_column(f"{rb.jurisdiction[-3:]}\n{name}", max_width=18)
    for i, ex in enumerate(examples):
        facts = "，".join(f"{k}={v}" for k, v in ex["facts"].items())
        cells = []
        for name in DEMO_RULEBOOKS:
            rb = get_rulebook(name)
            g = graded[name][i]
            if g.level is None:
                cells.append("[dim]—[/]")
            else:
                colour = rb.level(g.level).colour
                ids = " ".join(r.criterion for r in g.reasons)
                cells.append(f"[bold {colour}]{g.level_name}[/]\n{ids}")
        table.add_row(f"[bold]{ex['name']}[/]\n[dim]{ex['story']}[/]", facts, *cells)
    console.print(table)
    console.print(
        "每格显示该规则给出的等级及触发的条款编号；"
        "用 [bold]wagewatch rulebook show 规则名[/] 查看条款原文和处置步骤。"
    )
