"""文登 (威文政办字〔2021〕21号) boundaries, written from the seed clauses.

以上 includes the number; 不满 and 超过 exclude it; “10－30人” is 10 to 30 inclusive.
"""

import pytest

from tests.rules.grading import assert_grade

W = "wendeng"


# （1）欠薪1个月以上，且涉及人数10－30人的 → 一般
@pytest.mark.parametrize(
    ("months", "workers", "level"),
    [
        (1, 10, "general"),  # both lower bounds included
        (1, 30, "general"),  # 30 at 1 month: larger.1 needs 2 months
        (0.9, 10, None),  # under 1 month
        (1, 9, None),  # under 10 workers
        (1.5, 20, "general"),
        (1, 31, None),  # 31 workers at 1 month: general.1 is 10–30, larger.1 needs 2 months
    ],
)
def test_general_1_arrears_months_and_workers(months, workers, level):
    assert_grade(
        W,
        {"wage_arrears_months": months, "wage_arrears_workers": workers},
        level,
        "general.1" if level else None,
    )


# （1）连续欠薪2个月以上，且涉及人数30－50人的 → 较大
@pytest.mark.parametrize(
    ("months", "workers", "level", "criterion"),
    [
        (2, 30, "larger", "larger.1"),  # 30 is in both ranges; the higher level wins
        (2, 50, "larger", "larger.1"),
        (2, 29, "general", "general.1"),
        (1.99, 30, "general", "general.1"),
        (2, 51, None, None),  # 51 workers, 2 months: major needs 3 months, larger stops at 50
        (3, 50, "major", "major.1"),  # 50人以上 includes 50
        (3, 49, "larger", "larger.1"),
        (2.99, 60, None, None),
        (3, 60, "major", "major.1"),
    ],
)
def test_larger_and_major_arrears(months, workers, level, criterion):
    assert_grade(
        W, {"wage_arrears_months": months, "wage_arrears_workers": workers}, level, criterion
    )


# （2）用工规模50人以上不满100人 / 100人以上不满500人 / 500人以上, 经营异常
@pytest.mark.parametrize(
    ("employees", "level", "criterion"),
    [
        (49, None, None),
        (50, "general", "general.2"),
        (99, "general", "general.2"),
        (100, "larger", "larger.2"),
        (499, "larger", "larger.2"),
        (500, "major", "major.2"),
        (5000, "major", "major.2"),
    ],
)
def test_scale_with_business_anomaly(employees, level, criterion):
    assert_grade(W, {"employees": employees, "business_anomaly": True}, level, criterion)


def test_scale_without_anomaly_is_no_warning():
    assert_grade(W, {"employees": 800}, None)


def test_major_2_fires_on_any_kind_of_anomaly_for_500_plus():
    # “出现各类异常信息” is broader than 经营异常: a wage delay or blacklist counts.
    assert_grade(W, {"employees": 500, "wage_delays_12m": 1}, "major", "major.2")
    assert_grade(W, {"employees": 500, "social_insurance_deferrals_12m": 1}, "major", "major.2")
    assert_grade(W, {"employees": 500, "blacklisted": True}, "major", "major.2")
    assert_grade(W, {"employees": 500, "group_incident": True}, "major", "major.2")


# （3）拖欠税费…超过1个月 / 超过2个月 / 超过3个月以上 (read as 超过)
@pytest.mark.parametrize(
    ("months", "level", "criterion"),
    [
        (1, None, None),  # 超过1个月 excludes 1
        (1.01, "general", "general.3"),
        (2, "general", "general.3"),  # 超过2个月 excludes 2
        (2.5, "larger", "larger.3"),
        (3, "larger", "larger.3"),  # 超过3个月以上 read as 超过: 3 is not major
        (3.1, "major", "major.3"),
        (4, "major", "major.3"),
    ],
)
@pytest.mark.parametrize(
    "kind",
    [
        "tax_arrears_months",
        "social_insurance_arrears_months",
        "loan_arrears_months",
        "water_arrears_months",
        "electricity_arrears_months",
        "gas_arrears_months",
        "telecom_arrears_months",
        "fee_arrears_months",
    ],
)
def test_fee_arrears_each_kind(kind, months, level, criterion):
    assert_grade(W, {kind: months}, level, criterion)


def test_fee_arrears_takes_the_longest_kind():
    g = assert_grade(W, {"tax_arrears_months": 1.5, "gas_arrears_months": 4}, "major", "major.3")
    assert "general.3" in [r.criterion for r in g.also_matched]


# （4）列入失信人目录并被实施联合惩戒 / 2个以上部门 / 3个以上部门
@pytest.mark.parametrize(
    ("departments", "level"),
    [(0, None), (1, "general"), (2, "larger"), (3, "major"), (7, "major")],
)
def test_blacklist_joint_punishment(departments, level):
    assert_grade(W, {"blacklisted": True, "joint_punishment_departments": departments}, level)


def test_joint_punishment_without_blacklisting_is_no_warning():
    assert_grade(W, {"joint_punishment_departments": 3}, None)


@pytest.mark.parametrize(
    ("fact", "criterion"),
    [
        ("owner_absconded", "major.5"),
        ("casualty_or_major_crime", "major.6"),
        ("public_opinion_hotspot", "major.7"),
        ("extreme_protest", "major.8"),
    ],
)
def test_major_single_circumstances(fact, criterion):
    assert_grade(W, {fact: True}, "major", criterion)


@pytest.mark.parametrize("level", ["general", "larger", "major"])
def test_officer_assessment_sets_the_level(level):
    g = assert_grade(W, {"manual_level": level}, level, f"{level}.manual")
    assert "苗头" in g.reasons[0].text


def test_reasons_list_every_criterion_at_the_winning_level():
    g = assert_grade(
        W,
        {
            "wage_arrears_months": 3,
            "wage_arrears_workers": 55,
            "owner_absconded": True,
            "tax_arrears_months": 1.5,
        },
        "major",
    )
    assert [r.criterion for r in g.reasons] == ["major.1", "major.5"]
    assert [r.criterion for r in g.also_matched] == ["general.3"]


def test_disposal_of_major_reports_to_politics_law_committee_and_petition_office():
    g = assert_grade(W, {"owner_absconded": True}, "major")
    offices = {a.office for a in g.actions}
    assert {
        "principal_leader",
        "labour_bureau",
        "politics_law_committee",
        "petition_office",
    } <= offices


def test_disposal_of_general_notifies_bureau_only_when_unresolved_or_collective():
    g = assert_grade(W, {"fee_arrears_months": 1.5}, "general")
    notice = [a for a in g.actions if a.office == "labour_bureau"]
    assert notice and "无法处理" in notice[0].note
