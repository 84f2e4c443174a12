"""The `wagewatch grade` contract of SPEC.md, end to end through the installed command."""

from __future__ import annotations

import json
import subprocess

import pytest


def run(wagewatch: str, args: list[str], stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [wagewatch, *args], input=stdin, capture_output=True, text=True, timeout=120
    )


def lines(*records: dict) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def test_grades_in_input_order_with_reasons_and_actions(wagewatch):
    res = run(
        wagewatch,
        ["grade", "--rulebook", "baoshan", "-"],
        lines(
            {"id": "b", "facts": {"wage_arrears_workers": 10}},
            {"id": "a", "facts": {}},
            {"id": "c", "facts": {"wage_arrears_months": 1.5}},
        ),
    )
    assert res.returncode == 0, res.stderr
    out = [json.loads(x) for x in res.stdout.splitlines()]
    assert [o["id"] for o in out] == ["b", "a", "c"]
    assert out[0]["level"] == "red" and out[0]["level_name"] == "红色"
    assert out[0]["reasons"] == [
        {
            "criterion": "red.2",
            "text": "存在3个月以上或10人以上欠薪或突然关停、负责人逃匿尚未结清工资的，列为红色预警",
        }
    ]
    assert {"task", "assignee"} <= set(out[0]["actions"][0])
    assert any(a.get("due_hours") == 720 for a in out[0]["actions"])
    assert out[1]["level"] is None and out[1]["level_name"] is None
    assert out[1]["reasons"] == [] and out[1]["actions"] == []
    assert out[2]["level"] == "orange"
    assert out[0]["rulebook"] == "baoshan" and len(out[0]["rulebook_version"]) == 12


def test_reads_a_file_argument(wagewatch, tmp_path):
    f = tmp_path / "in.jsonl"
    f.write_text(lines({"id": 1, "facts": {"group_incidents": 1}}), encoding="utf-8")
    res = run(wagewatch, ["grade", "--rulebook", "xuanen", str(f)], "")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["id"] == 1 and out["level"] == "level1"
    assert [a["due_hours"] for a in out["actions"] if "due_hours" in a] == [6]


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        ("{not json", "不是合法的 JSON"),
        ('{"id": "x", "facts": {"wage_arrears_monthz": 3}}', "未知事实名：wage_arrears_monthz"),
        ('{"id": "x", "facts": {"employees": "many"}}', "employees 应为数值"),
        ('{"id": "x", "facts": {"blacklisted": 1}}', "blacklisted 应为 true/false"),
        ('{"id": "x", "facts": {"wage_arrears_workers": 2.5}}', "应为整数"),
        ('{"id": "x", "facts": {"wage_arrears_months": -1}}', "不能为负数"),
        ('{"facts": {}}', "缺少 id"),
        ('{"id": "x"}', "缺少 facts"),
        ("[1, 2]", "JSON 对象"),
        ('{"id": "x", "facts": {"manual_level": "purple"}}', "不是规则 baoshan 的等级"),
    ],
)
def test_a_bad_line_is_a_clear_error_and_nothing_is_graded(wagewatch, bad_line, message):
    stdin = lines({"id": "ok", "facts": {"wage_arrears_months": 3}}) + bad_line + "\n"
    res = run(wagewatch, ["grade", "--rulebook", "baoshan"], stdin)
    assert res.returncode != 0
    assert res.stdout == ""  # nothing printed as if graded
    assert "第 2 行" in res.stderr and message in res.stderr


def test_unknown_rulebook_is_an_error(wagewatch):
    res = run(wagewatch, ["grade", "--rulebook", "nowhere"], lines({"id": 1, "facts": {}}))
    assert res.returncode != 0 and res.stdout == ""
    assert "未知的预警规则：nowhere" in res.stderr


def test_blank_lines_are_skipped(wagewatch):
    res = run(
        wagewatch,
        ["grade", "--rulebook", "qingpu"],
        "\n" + lines({"id": 1, "facts": {"outsourcing": True}}) + "\n",
    )
    assert res.returncode == 0 and len(res.stdout.splitlines()) == 1


def test_parameter_override(wagewatch):
    facts = {"group_incidents": 2, "workers_involved": 35, "townships_affected": 2}
    res = run(
        wagewatch,
        ["grade", "-r", "xuanen", "--param", "many_workers=40"],
        lines({"id": 1, "facts": facts}),
    )
    assert json.loads(res.stdout)["level"] == "level1"
    res = run(
        wagewatch, ["grade", "-r", "xuanen", "--param", "nope=1"], lines({"id": 1, "facts": facts})
    )
    assert res.returncode != 0 and "未知参数" in res.stderr


def test_many_lines_in_one_run(wagewatch):
    records = [{"id": i, "facts": {"wage_arrears_months": (i % 40) / 10}} for i in range(5000)]
    res = run(wagewatch, ["grade", "--rulebook", "baoshan"], lines(*records))
    assert res.returncode == 0, res.stderr
    out = [json.loads(x) for x in res.stdout.splitlines()]
    assert [o["id"] for o in out] == list(range(5000))
    expect = {0: None, 5: "yellow", 10: "orange", 29: "orange", 30: "red"}
    for i, level in expect.items():
        assert out[i]["level"] == level


def test_rulebooks_and_show_commands(wagewatch):
    res = subprocess.run(
        [wagewatch, "rulebooks"], capture_output=True, text=True, env={"COLUMNS": "250"}
    )
    assert res.returncode == 0 and "wendeng" in res.stdout and "宝人社〔2024〕4号" in res.stdout
    res = subprocess.run(
        [wagewatch, "rulebook", "show", "wendeng"],
        capture_output=True,
        text=True,
        env={"COLUMNS": "250"},
    )
    assert res.returncode == 0 and "major.3" in res.stdout and "超过3个月以上" in res.stdout


def test_examples_print_the_table_for_five_rulebooks(wagewatch):
    res = subprocess.run(
        [wagewatch, "examples"], capture_output=True, text=True, env={"COLUMNS": "250"}
    )
    assert res.returncode == 0, res.stderr
    for name in ("wendeng", "baoshan", "yingkou", "xuanen", "qingpu"):
        assert name in res.stdout
    assert "重大风险" in res.stdout and "红色" in res.stdout and "二级" in res.stdout
