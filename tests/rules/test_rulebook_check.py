"""The rulebook checker reports every problem at once, each with its file and line."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from wagewatch.rules.condition import ConditionError, parse_condition
from wagewatch.rules.model import RulebookError, check_rulebook_file, load_rulebook_file
from wagewatch.rules.registry import BUILTIN_DIR, get_rulebook, rulebook_files

GOOD = """\
name: local
title: 测试规则
jurisdiction: 测试区
seed:
  document: 测试文件
levels:
  - code: low
    name: 低
  - code: high
    name: 高
criteria:
  - id: low.1
    text: 欠薪
    when: wages_unpaid
  - id: high.1
    text: 欠薪三个月以上
    when: wage_arrears_months >= 3
manual:
  low: 其他
  high: 其他
actions:
  high:
    - task: 立案
      assignee: 执法
      office: inspection
      due_working_days: 5
      clause: 立案查处
"""

BAD = """\
name: local
title: 测试规则
jurisdiction: 测试区
seed:
  document: 测试文件
levels:
  - code: low
    name: 低
  - code: mid
    name: 中
  - code: high
    name: 高
criteria:
  - id: low.1
    text: 欠薪
    when: wage_arrears_monthz >= 1
  - id: low.1
    text: 重复
    when: wages_unpaid
  - id: top.1
    text: 未知等级
    when: wages_unpaid
  - id: high.1
    text: 语法
    when: wage_arrears_months >=
  - id: high.2
    text: 类型
    when: wage_arrears_months and blacklisted
  - id: high.3
    text: 调用
    when: __import__("os")
manual:
  low: 其他
  high: 其他
"""


def _write(tmp_path: Path, text: str, name: str = "local.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_a_sound_file_has_no_problems(tmp_path):
    p = _write(tmp_path, GOOD)
    assert check_rulebook_file(p) == []
    rb = load_rulebook_file(p)
    assert [c.id for c in rb.criteria] == ["low.1", "high.1", "low.manual", "high.manual"]
    assert rb.actions["high"][0].due_working_days == 5


def test_every_problem_is_reported_at_once_with_lines(tmp_path):
    problems = check_rulebook_file(_write(tmp_path, BAD))
    text = "\n".join(str(p) for p in problems)
    assert "未知的事实或参数名" in text and "wage_arrears_monthz" in text  # unknown fact
    assert "条件编号重复：low.1" in text  # duplicate id
    assert "未知等级 top" in text  # unknown level
    assert "语法错误" in text  # bad syntax
    assert "不能比较" in text or "都应为真/假" in text  # type error
    assert "不允许调用函数" in text  # no calls
    assert "等级 mid 没有任何判定条件" in text  # unreachable level
    assert "manual 缺少等级 mid" in text
    by_message = {p.message.split("：")[0]: p.line for p in problems}
    assert all(p.line for p in problems), problems
    assert any(p.line == 16 for p in problems), by_message  # the unknown fact's `when` line


def test_yaml_syntax_error_names_the_line(tmp_path):
    problems = check_rulebook_file(_write(tmp_path, "name: x\nlevels: [\n  - a: b\n"))
    assert len(problems) == 1 and problems[0].line is not None and "YAML" in problems[0].message


def test_load_raises_with_all_problems(tmp_path):
    with pytest.raises(RulebookError) as exc:
        load_rulebook_file(_write(tmp_path, BAD))
    assert len(exc.value.problems) >= 7


@pytest.mark.parametrize(
    ("source", "token"),
    [
        ("os.system", "os.system"),
        ("employees[0] > 1", "employees[0]"),
        ("employees > 1 if blacklisted else 0", None),
        ("lambda: 1", None),
        ("employees ** 2 > 1", None),
        ("wage_arrears_months", None),  # a number is not a condition
        ('manual_level > "a"', None),  # strings compare with == / != only
        ("business_anomaly < 1", None),
    ],
)
def test_unsafe_or_ill_typed_conditions_are_rejected(source, token):
    with pytest.raises(ConditionError) as exc:
        parse_condition(source)
    if token:
        assert exc.value.token == token


def test_chained_range_reads_as_both_bounds():
    c = parse_condition("10 <= wage_arrears_workers <= 30")
    for n, want in [(9, False), (10, True), (30, True), (31, False)]:
        assert c.evaluate({"wage_arrears_workers": n}, {}) is want


def test_builtin_rulebooks_are_all_sound():
    names = sorted(rulebook_files())
    assert names == ["baoshan", "qingpu", "wendeng", "xuanen", "yingkou"]
    for p in BUILTIN_DIR.glob("*.yaml"):
        assert check_rulebook_file(p) == [], p


def test_deployment_rulebook_path_adds_a_rulebook(tmp_path, monkeypatch):
    _write(tmp_path, GOOD)
    monkeypatch.setenv("WAGEWATCH_RULEBOOK_PATH", str(tmp_path))
    assert "local" in rulebook_files()
    assert get_rulebook("local").title == "测试规则"


def test_version_is_a_hash_of_the_file(tmp_path):
    p = _write(tmp_path, GOOD)
    v1 = load_rulebook_file(p).version
    _write(tmp_path, GOOD.replace("其他", "其它"))
    assert load_rulebook_file(p).version != v1


def test_check_command_exits_non_zero_and_lists_problems(tmp_path, wagewatch):
    bad = _write(tmp_path, BAD, "bad.yaml")
    good = _write(tmp_path, GOOD, "good.yaml")
    res = subprocess.run(
        [wagewatch, "rulebook", "check", str(good), str(bad)],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert res.returncode == 1
    assert "bad.yaml:16" in res.stderr
    assert "规则文件无误" in res.stdout
