"""青浦 (青人社〔2021〕7号) two tiers, written from the seed.

重点不稳定企业: 欠薪欠保、关停停转搬、外包; 高风险: 反复欠薪案件、舆论热点、重复信访件、
群体性事件、极端讨薪. 多次/反复 means two or more.
"""

import pytest

from tests.rules.grading import assert_grade

Q = "qingpu"


@pytest.mark.parametrize(
    ("facts", "level", "criterion"),
    [
        ({"wage_arrears_amount": 1}, "watch", "watch.1"),
        ({"social_insurance_arrears_months": 0.5}, "watch", "watch.1"),
        ({"tax_arrears_months": 3}, None, None),  # 欠保 is social insurance only
        ({"sudden_closure": True}, "watch", "watch.2"),
        ({"closure_risk": True}, "watch", "watch.2"),
        ({"business_anomaly": True}, "watch", "watch.2"),
        ({"outsourcing": True}, "watch", "watch.3"),
        ({"wage_arrears_cases_12m": 1}, None, None),
        ({"wage_arrears_cases_12m": 2}, "high", "high.1"),  # 反复 means two or more
        ({"public_opinion_hotspot": True}, "high", "high.2"),
        ({"repeat_petitions_90d": 1}, None, None),
        ({"repeat_petitions_90d": 2}, "high", "high.3"),
        ({"group_incident": True}, "high", "high.4"),
        ({"extreme_protest": True}, "high", "high.5"),
    ],
)
def test_levels(facts, level, criterion):
    assert_grade(Q, facts, level, criterion)


def test_high_risk_is_a_leader_case_not_closed_until_cleared():
    g = assert_grade(Q, {"group_incident": True, "outsourcing": True}, "high")
    assert any(a.office == "leader" and "不销账" in a.clause for a in g.actions)
    assert [r.criterion for r in g.also_matched] == ["watch.3"]


def test_campaign_calendar_is_in_the_rulebook():
    from wagewatch.rules.registry import get_rulebook

    campaign = get_rulebook(Q).extra["campaign"]
    assert [p["key"] for p in campaign["phases"]][:2] == ["sweep", "resolution"]
    assert len(campaign["indicators"]) == 3
