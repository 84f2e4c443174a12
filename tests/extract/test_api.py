"""The public API: extract, Extraction, extract_lines, evaluate_file."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

import wagewatch.extract as ex
from wagewatch.extract import (
    EvaluationReport,
    Evidence,
    ExtractInputError,
    Extraction,
    evaluate_file,
    extract,
    extract_lines,
    field_matches,
)


def test_all_names_are_exported() -> None:
    for name in (
        "extract",
        "Extraction",
        "Evidence",
        "extract_lines",
        "ExtractInputError",
        "evaluate_file",
    ):
        assert name in ex.__all__


def test_extraction_is_frozen_and_carries_evidence() -> None:
    result = extract("公司拖欠27名员工三个月工资共13万余元。")
    assert isinstance(result, Extraction)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.workers = 3  # type: ignore[misc]
    assert isinstance(result.evidence["workers"], Evidence)
    assert result.evidence["workers"].phrase == "27名"
    assert result.evidence["amount_yuan"].rule == "money"


def test_to_contract_has_exactly_the_six_keys() -> None:
    contract = extract("老板欠我工资").to_contract()
    assert set(contract) == {
        "months_owed",
        "workers",
        "amount_yuan",
        "employer_name",
        "flags",
        "is_wage_arrears",
    }
    json.dumps(contract, ensure_ascii=False)


def test_extract_lines_reads_plain_and_json_lines_in_order() -> None:
    lines = [
        "老板欠我三个月工资\n",
        "\n",
        "   \n",
        json.dumps({"id": "x", "text": "公司拖欠27名员工工资"}, ensure_ascii=False) + "\n",
        "请问最低工资标准是多少？",
    ]
    out = list(extract_lines(lines))
    assert [o["months_owed"] for o in out] == [3, None, None]
    assert [o["workers"] for o in out] == [1, 27, None]
    assert [o["is_wage_arrears"] for o in out] == [True, True, False]


def test_extract_lines_rejects_malformed_json_with_its_line_number() -> None:
    with pytest.raises(ExtractInputError) as info:
        list(extract_lines(["老板欠我工资", "", '{"text": "unterminated']))
    assert info.value.line_no == 3
    assert "line 3" in str(info.value)


@pytest.mark.parametrize("line", ['{"id": 1}', '{"text": 5}', "[1, 2]"])
def test_extract_lines_rejects_json_without_string_text(line: str) -> None:
    lines = [line] if line.startswith("{") else ["{" + line]
    with pytest.raises(ExtractInputError) as info:
        list(extract_lines(lines))
    assert info.value.line_no == 1


def test_extract_lines_is_lazy_until_the_bad_line() -> None:
    gen = extract_lines(["老板欠我工资", "{bad"])
    assert next(gen)["is_wage_arrears"] is True
    with pytest.raises(ExtractInputError):
        next(gen)


def test_evaluate_file_reports_per_split(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    rows = [
        {
            "id": "a",
            "split": "train",
            "genre": "board",
            "text": "老板欠我三个月工资",
            "expected": {
                "months_owed": 3,
                "workers": 1,
                "amount_yuan": None,
                "employer_name": None,
                "flags": [],
                "is_wage_arrears": True,
            },
        },
        {
            "id": "b",
            "split": "heldout",
            "genre": "board",
            "text": "老板欠我三个月工资",
            "expected": {
                "months_owed": 2,
                "workers": 1,
                "amount_yuan": None,
                "employer_name": None,
                "flags": [],
                "is_wage_arrears": True,
            },
        },
    ]
    path.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8"
    )
    held = evaluate_file(path)
    assert isinstance(held, EvaluationReport)
    assert (held.split, held.n) == ("heldout", 1)
    assert held.accuracy["months_owed"] == 0 and held.accuracy["workers"] == 1
    assert held.mean == pytest.approx(5 / 6)
    assert [(m.id, m.field) for m in held.misses] == [("b", "months_owed")]
    assert evaluate_file(path, split="train").mean == 1
    assert evaluate_file(path, split="all").n == 2
    d = held.to_dict()
    assert set(d) == {"split", "n", "accuracy", "mean", "misses"}
    json.dumps(d, ensure_ascii=False)
    with pytest.raises(ValueError):
        evaluate_file(path, split="dev")


@pytest.mark.parametrize(
    ("key", "got", "expected", "ok"),
    [
        ("months_owed", 3.0, 3, True),
        ("months_owed", None, None, True),
        ("months_owed", None, 0, False),
        ("employer_name", "宁波市鄞州区恒达五金制品有限公司", "恒达五金制品有限公司", True),
        ("employer_name", "某公司", "某建筑公司", False),
        ("employer_name", "刘 某某。", "刘某某", True),
        ("flags", ["group", "fled"], ["fled", "group"], True),
        ("is_wage_arrears", False, True, False),
    ],
)
def test_scoring_rule(key: str, got: object, expected: object, ok: bool) -> None:
    assert field_matches(key, got, expected) is ok


def test_extract_lines_accepts_a_byte_order_mark() -> None:
    out = list(extract_lines(["\ufeff老板欠我三个月工资"]))
    assert out[0]["months_owed"] == 3
