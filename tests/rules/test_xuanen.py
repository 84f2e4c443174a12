"""宣恩 (宣人社发〔2021〕11号) cluster warnings, written from the seed.

一级: 已经或可能发生群体性事件或集体停工，涉及人数较少，限于本乡镇；
二级: 呈多发态势且涉及人数较多，影响范围涉及两个乡镇以上。
较多 and 多发 are parameters (defaults 30 workers, 2 incidents).
"""

import pytest

from tests.rules.grading import assert_grade, grade_both

X = "xuanen"


@pytest.mark.parametrize(
    ("incidents", "workers", "townships", "level"),
    [
        (0, 0, 0, None),
        (1, 5, 1, "level1"),
        (1, 100, 3, "level1"),  # one incident is not 多发
        (2, 30, 2, "level2"),  # every threshold reached exactly
        (2, 29, 2, "level1"),  # workers below 较多
        (2, 30, 1, "level1"),  # one township only
        (5, 200, 4, "level2"),
    ],
)
def test_cluster_levels(incidents, workers, townships, level):
    facts = {
        "group_incidents": incidents,
        "workers_involved": workers,
        "townships_affected": townships,
    }
    assert_grade(X, facts, level)


def test_parameters_can_be_overridden():
    facts = {"group_incidents": 2, "workers_involved": 35, "townships_affected": 2}
    assert grade_both(X, facts).level == "level2"
    assert grade_both(X, facts, many_workers=40).level == "level1"
    assert grade_both(X, facts, multiple_incidents=3).level == "level1"


def test_reporting_deadlines_are_six_and_two_hours():
    one = assert_grade(X, {"group_incidents": 1}, "level1")
    two = assert_grade(
        X, {"group_incidents": 2, "workers_involved": 30, "townships_affected": 2}, "level2"
    )
    assert [a.due_hours for a in one.actions if a.due_hours] == [6]
    assert [a.due_hours for a in two.actions if a.due_hours] == [2]
    assert any(a.office == "township_tripartite" for a in one.actions)
    assert any(a.office == "county_tripartite" for a in two.actions)
