"""Flags: fled, extreme, group, construction, casualty."""

from __future__ import annotations

import pytest

from wagewatch.extract import extract


@pytest.mark.parametrize("phrase", ["跑路了", "失联了", "失踪了", "逃匿", "潜逃外地", "联系不上"])
def test_fled(phrase: str) -> None:
    assert "fled" in extract(f"老板拖欠我工资后{phrase}。").flags


@pytest.mark.parametrize("phrase", ["爬上塔吊", "扬言跳楼", "喝药", "拉横幅", "堵路", "自焚"])
def test_extreme(phrase: str) -> None:
    assert "extreme" in extract(f"工人因被拖欠工资{phrase}讨薪。").flags


@pytest.mark.parametrize("phrase", ["工地", "项目", "包工头", "施工", "劳务分包"])
def test_construction(phrase: str) -> None:
    assert "construction" in extract(f"{phrase}拖欠我工资两万元。").flags


@pytest.mark.parametrize("phrase", ["死亡", "受伤住院", "骨折", "被打伤"])
def test_casualty(phrase: str) -> None:
    assert "casualty" in extract(f"一名工人讨薪时{phrase}，老板拖欠其工资。").flags


def test_group_from_three_workers() -> None:
    assert "group" in extract("老板拖欠我和另外两名厨师的工资。").flags


def test_group_from_a_crew_word() -> None:
    assert "group" in extract("我们厂几十个工人都被拖欠工资。").flags


def test_two_workers_are_not_a_group() -> None:
    assert "group" not in extract("老板欠两名保洁员工资共计9000元。").flags


def test_labour_dispatch_is_not_construction() -> None:
    assert "construction" not in extract("某劳务派遣公司拖欠派遣员工工资。").flags


def test_negated_casualty_is_not_raised() -> None:
    assert "casualty" not in extract("工人讨薪聚集，未造成人员伤亡，公司拖欠工资。").flags


def test_flags_are_sorted() -> None:
    flags = extract("包工头跑路了，工地上二十多名农民工爬上塔吊讨薪，一人摔伤。").to_contract()[
        "flags"
    ]
    assert flags == sorted(flags) == ["casualty", "construction", "extreme", "fled", "group"]
