"""Workers owed: one direct test per phrasing family in the issue."""

from __future__ import annotations

import pytest

from wagewatch.extract import extract


@pytest.mark.parametrize(
    ("text", "workers"),
    [
        ("公司拖欠27名员工三个月工资。", 27),
        ("二十多名农民工被拖欠工资。", 20),
        ("包工头欠我们十几个工友的工钱。", 10),
        ("我和三位工友在砂石厂干活，老板一直不发工资。", 4),
        ("近百人聚集在厂门口讨要被拖欠的工资。", 100),
        ("车间两百多号人都没拿到工资。", 200),
        ("招用工人15名，拖欠工资共计20万元。", 15),
        ("来电人与另外6名同事的工资被拖欠。", 7),
        ("我和我老公在工地做小工，包工头拖欠我们两口子工钱。", 2),
        ("老板欠我五千块工资不给。", 1),
        ("来电人反映公司拖欠其工资。", 1),
        ("在奶茶店干了一个多月，老板一分钱没给。", 1),
    ],
)
def test_worker_phrasings(text: str, workers: int) -> None:
    assert extract(text).workers == workers


@pytest.mark.parametrize(
    "text",
    [
        "我们厂几十个工人都被拖欠工资。",
        "数十名工人被拖欠工资。",
        "辖区某公司存在拖欠员工工资现象。",
    ],
)
def test_vague_or_unstated_counts_are_null(text: str) -> None:
    assert extract(text).workers is None


def test_police_and_officials_are_not_workers() -> None:
    text = "3名农民工讨薪，派出所出动8名民警到场。"
    assert extract(text).workers == 3
