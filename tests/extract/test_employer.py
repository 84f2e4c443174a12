"""Employer: the named company, project department, shop, foreman or boss owing the wages."""

from __future__ import annotations

import pytest

from wagewatch.extract import extract


@pytest.mark.parametrize(
    ("text", "employer"),
    [
        ("杭州恒远服饰有限公司拖欠我们27名员工三个月的工资。", "杭州恒远服饰有限公司"),
        ("阳光水岸项目部拖欠我们班组劳务费。", "阳光水岸项目部"),
        ("包工头刘某某拖欠我们的工资。", "刘某某"),
        ("老板叫何某，欠我3万元工资。", "何某"),
        ("我在福润超市当理货员，超市半年没发工资了。", "福润超市"),
        ("我们受雇于江苏华通建设有限公司。该公司至今拖欠我们工资。", "江苏华通建设有限公司"),
        ("我在一家饭店（名称：聚贤楼大酒店）当厨师，老板拖欠我工资。", "聚贤楼大酒店"),
        ("锦绣家园三期项目拖欠农民工工资，已经半年了。", "锦绣家园三期项目"),
    ],
)
def test_named_employer(text: str, employer: str) -> None:
    assert extract(text).employer_name == employer


def test_company_wins_over_its_boss() -> None:
    text = "我在杭州顺康家具有限公司上班，老板周某拖欠我三个月工资。"
    assert extract(text).employer_name == "杭州顺康家具有限公司"


def test_foreman_wins_over_the_developer() -> None:
    text = "被告人孙某某承包某地产公司开发的楼盘，拖欠工人工资共计30万元。"
    assert extract(text).employer_name == "孙某某"


def test_generic_workplace_is_not_a_name() -> None:
    assert extract("我在一家电子厂上班，老板欠我工资三个月。").employer_name is None


def test_evidence_points_at_the_name() -> None:
    text = "我们在保定的工地干活，包工头叫李国强，欠我们十几万块钱。"
    result = extract(text)
    ev = result.evidence["employer_name"]
    assert result.employer_name == "李国强"
    assert text[ev.start : ev.end] == "李国强"
