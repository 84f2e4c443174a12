"""Amount owed: one direct test per phrasing family in the issue, and what must never count."""

from __future__ import annotations

import pytest

from wagewatch.extract import extract


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("公司拖欠员工工资13万余元。", 130000),
        ("包工头欠我工资1.5万。", 15000),
        ("公司欠我们工资共12万多。", 120000),
        ("被告尚欠原告工资3000多元。", 3000),
        ("剩下的十几万块钱一直不给。", 100000),
        ("包工头欠我们三个人一共六万三千元工钱。", 63000),
        ("拖欠劳动报酬共计人民币贰万伍仟元整。", 25000),
        ("工地老板欠我们工钱20来万。", 200000),
        ("包工头欠我1.2w工钱。", 12000),
    ],
)
def test_amount_phrasings(text: str, amount: float) -> None:
    assert extract(text).amount_yuan == pytest.approx(amount)


def test_group_total_beats_per_person_figure() -> None:
    text = "厂里拖欠50名工人工资合计60万元，每人约1.2万元。"
    assert extract(text).amount_yuan == 600000


def test_per_person_figure_is_multiplied_out_when_no_total() -> None:
    assert extract("公司拖欠12名保安工资，每人8000元。").amount_yuan == 96000


def test_engineering_payments_are_not_wages() -> None:
    text = "甲方拖欠工程款800万元，项目部因此拖欠40名工人工资120万元。"
    assert extract(text).amount_yuan == 1200000


def test_goods_payments_are_not_wage_arrears() -> None:
    result = extract("公司拖欠其货款12万元，系买卖合同纠纷。")
    assert result.is_wage_arrears is False
    assert result.amount_yuan is None


def test_fines_are_not_owed() -> None:
    text = "被告人拖欠员工工资合计人民币18万元。法院判处其有期徒刑八个月，并处罚金人民币1万元。"
    assert extract(text).amount_yuan == 180000


def test_payments_already_made_are_not_owed() -> None:
    assert extract("老板先给了5000元，还欠我工资1.3万元没给。").amount_yuan == 13000
    assert extract("工资共计9万元，已支付3万元，仍欠6万元未付。").amount_yuan == 60000


def test_rates_are_not_debts() -> None:
    text = "我月工资5000元，公司拖欠我两个月工资。"
    assert extract(text).amount_yuan is None


def test_deposits_are_not_wages() -> None:
    text = "公司拖欠我工资8000元，还扣了我押金2000元不退。"
    assert extract(text).amount_yuan == 8000
