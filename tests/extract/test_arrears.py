"""is_wage_arrears: true only when wages or labour pay are owed now."""

from __future__ import annotations

import pytest

from wagewatch.extract import extract


@pytest.mark.parametrize(
    "text",
    [
        "试用期工资能不能低于转正工资的八成？公司试用期给我3000元。",
        "请问本省现行的最低工资标准是每月多少钱？",
        "法定节假日加班，加班费是按三倍工资计算吗？",
        "关于做好春节前农民工工资支付工作的通知：各单位要确保工资按时足额发放。",
        "感谢人社局的帮助，厂里拖欠我的工资昨天已经全部到账了！",
        "经监察大队调查，您反映的工资问题，某餐厅已将拖欠的工资全部结清。",
        "经走访，该酒店员工工资均正常发放，不存在拖欠工资情况。",
        "市民反映某店拖欠其工资，经核实该市民系店铺合伙人，双方系合伙纠纷，并未拖欠其工资。",
        "单位一直没给我交公积金，工资是每月按时发的。",
        "工资每月25号才发，比合同约定晚了十天，这算不算拖欠工资？",
        "总包单位拖欠我公司工程款120万元，请求协调。",
        "我市建筑领域连续两年实现农民工工资零拖欠。",
    ],
)
def test_not_wage_arrears(text: str) -> None:
    result = extract(text)
    assert result.is_wage_arrears is False
    assert result.to_contract() == {
        "months_owed": None,
        "workers": None,
        "amount_yuan": None,
        "employer_name": None,
        "flags": [],
        "is_wage_arrears": False,
    }


@pytest.mark.parametrize(
    "text",
    [
        "老板欠我两个月工资不给。",
        "包工头跑路了，我们的血汗钱没了。",
        "公司已经三个月没有发工资了，这种情况我可以辞职吗？",
        "前两个月的工资已经发了，后面三个月的一直拖着不给。",
        "被告人拖欠员工工资后逃匿。案发后，被告人家属代为支付全部欠薪。",
        "物业公司以业主没交物业费为由，拖欠保安工资。",
        "站点以违规扣款为名克扣其3200元工资。",
    ],
)
def test_wage_arrears(text: str) -> None:
    assert extract(text).is_wage_arrears is True


def test_arrears_evidence_is_the_owing_clause() -> None:
    text = "你好。老板欠我两个月工资不给。"
    ev = extract(text).evidence["is_wage_arrears"]
    assert text[ev.start : ev.end] == ev.phrase == "老板欠我两个月工资不给"
