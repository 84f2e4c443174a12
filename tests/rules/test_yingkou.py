"""营口 (营人社联〔2018〕2号) boundaries, written from the seed.

“涉及职工 50 名以上、欠薪三个月以上或事件有升级迹象” is read as any one of the three.
"""

import pytest

from tests.rules.grading import assert_grade, grade_both

Y = "yingkou"


@pytest.mark.parametrize(
    ("facts", "level", "criterion"),
    [
        ({"fee_arrears_months": 0.5}, "risk", "risk.1"),
        ({"loan_arrears_months": 2}, "risk", "risk.1"),
        ({"business_anomaly": True}, "risk", "risk.2"),
        ({"asset_seized": True}, "risk", "risk.3"),
        ({"legal_rep_detained": True}, "risk", "risk.3"),
        ({"economic_dispute": True}, "risk", "risk.3"),
        ({"wage_delays_12m": 1}, "watch", "watch.1"),  # 未按时足额发放
        ({"wage_arrears_amount": 100}, "watch", "watch.1"),
        ({"wage_complaints_90d": 1}, "watch", "watch.2"),  # 有欠薪投诉
        ({"wage_complaints_90d": 0}, None, None),
        ({"wage_arrears_workers": 49}, "watch", "watch.1"),
        ({"wage_arrears_workers": 50}, "escalate", "escalate.1"),  # 50名以上 includes 50
        ({"wage_arrears_months": 2.99}, "watch", "watch.1"),
        ({"wage_arrears_months": 3}, "escalate", "escalate.2"),  # 三个月以上 includes 3
        ({"escalation_signs": True}, "escalate", "escalate.3"),
    ],
)
def test_levels(facts, level, criterion):
    assert_grade(Y, facts, level, criterion)


def test_any_one_of_the_three_escalates():
    g = grade_both(
        Y, {"wage_arrears_workers": 50, "wage_arrears_months": 3, "escalation_signs": True}
    )
    assert [r.criterion for r in g.reasons] == ["escalate.1", "escalate.2", "escalate.3"]


def test_key_targets_are_inspected_monthly():
    g = assert_grade(Y, {"wage_complaints_90d": 2}, "watch")
    assert any(a.recurrence == "monthly" and a.office == "inspection" for a in g.actions)


def test_escalation_reports_to_government_and_upper_joint_meeting_office():
    g = assert_grade(Y, {"escalation_signs": True}, "escalate")
    assert {"government", "upper_joint_meeting_office"} <= {a.office for a in g.actions}


def test_construction_transport_water_route_to_industry_authority():
    from wagewatch.rules.registry import get_rulebook

    routing = get_rulebook(Y).extra["routing"]
    assert set(routing["industry_authorities"]) == {"construction", "transport", "water"}
    assert "建设、交通、水利" in routing["clause"]
