"""Months owed: one direct test per phrasing family in the issue."""

from __future__ import annotations

import pytest

from wagewatch.extract import extract


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("公司拖欠我3个月工资。", 3),
        ("老板已经三个月没发工资了。", 3),
        ("我们已经两个多月没拿到工资了。", 2),
        ("工头欠了大家三个半月的工钱。", 3.5),
        ("超市半年没发工资了，老板说没钱。", 6),
        ("老板欠我一年多的工资没发。", 12),
        ("工厂已拖欠员工工资近半年。", 6),
        ("拖欠其2023年5月至8月的工资。", 4),
        ("老板从3月到10月一直没给我发工资。", 8),
        ("去年12月到今年3月的工资都没发。", 4),
        ("厂里还没发我们9月、10月的工资。", 2),
        ("厂里欠了俺仨月工资。", 3),
        ("饭店拖欠我一个半月的工资。", 1.5),
        ("公司拖欠我一年半的工资。", 18),
        ("不给我发上个季度的工资。", 3),
    ],
)
def test_month_phrasings(text: str, months: float) -> None:
    assert extract(text).months_owed == pytest.approx(months)


def test_months_worked_minus_months_paid() -> None:
    text = "在酒店做了七个月，老板只发了三个月的工资，其余的一直拖着。"
    result = extract(text)
    assert result.months_owed == 4
    assert result.evidence["months_owed"].rule == "worked_minus_paid"


def test_months_worked_are_not_months_owed() -> None:
    assert extract("在厂里干了十个月，老板还欠我一万块钱工资。").months_owed is None


def test_months_since_a_promise_are_not_months_owed() -> None:
    text = "老板说好三个月后发工资，到现在已经过了两个月了，还是没发。"
    assert extract(text).months_owed is None


def test_months_waited_are_not_months_owed() -> None:
    assert extract("经理答应国庆后补发，我们已经等了两个月，工资还是没有发。").months_owed is None


def test_open_ended_period_without_dates_is_null() -> None:
    assert extract("工厂从去年开始拖欠工资至今，一分钱也没补。").months_owed is None


def test_prison_terms_and_stoppages_are_not_months_owed() -> None:
    text = "该厂已停产两个月，被告人被判处有期徒刑十个月，其拖欠员工工资10万元。"
    assert extract(text).months_owed is None


def test_range_of_employment_is_not_months_owed() -> None:
    text = "2022年3月至2022年9月，我在某物流公司担任司机，公司拖欠我工资2万元。"
    assert extract(text).months_owed is None


def test_range_at_the_head_of_an_arrears_sentence_counts() -> None:
    text = "经查，2017年6月至12月期间，被告人拖欠王某等8名工人工资。"
    assert extract(text).months_owed == 7


def test_paid_range_is_skipped_for_the_owed_one() -> None:
    text = "1月到2月的工资已经发了，3月到6月的工资一直没发。"
    assert extract(text).months_owed == 4


def test_debt_duration_counts() -> None:
    assert extract("老板已经拖欠我们工资两年了。").months_owed == 24
