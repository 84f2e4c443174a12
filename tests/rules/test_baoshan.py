"""宝山 (宝人社〔2024〕4号) 三色预警 boundaries, written from the seed sentence.

红色：存在3个月以上或10人以上欠薪或突然关停、负责人逃匿尚未结清工资；
橙色：欠薪1个月以上不满3个月或存在关停风险尚未结清工资；
黄色：已出现欠费或多次缓缴社保、欠薪不满1个月或多次缓发工资。
"""

import pytest

from tests.rules.grading import assert_grade, grade_both

B = "baoshan"


@pytest.mark.parametrize(
    ("months", "level", "criterion"),
    [
        (0.01, "yellow", "yellow.3"),
        (0.99, "yellow", "yellow.3"),  # 不满1个月
        (1, "orange", "orange.1"),  # 1个月以上 includes 1
        (2.99, "orange", "orange.1"),
        (3, "red", "red.1"),  # 3个月以上 includes 3; 不满3个月 excludes it
        (12, "red", "red.1"),
    ],
)
def test_months_owed_boundaries(months, level, criterion):
    assert_grade(B, {"wage_arrears_months": months}, level, criterion)


@pytest.mark.parametrize(
    ("workers", "level"),
    [(9, None), (10, "red"), (11, "red")],
)
def test_ten_or_more_workers_owed_is_red(workers, level):
    assert_grade(B, {"wage_arrears_workers": workers}, level, "red.2" if level else None)


def test_red_when_ten_workers_owed_even_for_less_than_a_month():
    g = assert_grade(B, {"wage_arrears_workers": 10, "wage_arrears_months": 0.5}, "red", "red.2")
    assert [r.criterion for r in g.also_matched] == ["yellow.3"]


@pytest.mark.parametrize("fact", ["sudden_closure", "owner_absconded"])
def test_closure_or_absconding_with_unpaid_wages_is_red(fact):
    assert_grade(B, {fact: True, "wage_arrears_amount": 5000}, "red", "red.3")
    assert_grade(B, {fact: True, "wage_arrears_workers": 1}, "red", "red.3")


@pytest.mark.parametrize("fact", ["sudden_closure", "owner_absconded"])
def test_closure_or_absconding_with_wages_settled_is_not_red(fact):
    # “尚未结清工资”: once wages are settled the red clause no longer holds.
    assert_grade(B, {fact: True}, None)


def test_closure_risk_with_unpaid_wages_is_orange():
    assert_grade(B, {"closure_risk": True, "wage_arrears_amount": 1}, "orange", "orange.2")
    assert_grade(B, {"closure_risk": True}, None)


@pytest.mark.parametrize(
    ("fact", "value", "level", "criterion"),
    [
        ("fee_arrears_months", 0.1, "yellow", "yellow.1"),  # 已出现欠费
        ("tax_arrears_months", 1, "yellow", "yellow.1"),
        ("water_arrears_months", 6, "yellow", "yellow.1"),  # any length of fee arrears is yellow
        ("social_insurance_deferrals_12m", 1, None, None),  # 多次 means two or more
        ("social_insurance_deferrals_12m", 2, "yellow", "yellow.2"),
        ("wage_delays_12m", 1, None, None),
        ("wage_delays_12m", 2, "yellow", "yellow.4"),
    ],
)
def test_yellow_items(fact, value, level, criterion):
    assert_grade(B, {fact: value}, level, criterion)


def test_no_facts_no_warning():
    g = grade_both(B, {})
    assert g.level is None and g.level_name is None and g.reasons == () and g.actions == ()


def test_red_disposal_opens_a_case_with_a_thirty_day_decision():
    g = assert_grade(B, {"wage_arrears_months": 3}, "red")
    decision = [a for a in g.actions if a.due_hours is not None]
    assert len(decision) == 1
    assert decision[0].due_hours == 720  # 30日 → 720 h (calendar days)
    assert decision[0].assignee == "局行政执法科"


def test_every_colour_refers_workers_to_the_employment_centre():
    for facts in ({"wage_arrears_months": 3}, {"wage_arrears_months": 1}, {"wage_delays_12m": 2}):
        g = grade_both(B, facts)
        assert "employment_centre" in {a.office for a in g.actions}


@pytest.mark.parametrize("level", ["yellow", "orange", "red"])
def test_officer_assessment(level):
    assert_grade(B, {"manual_level": level}, level, f"{level}.manual")
