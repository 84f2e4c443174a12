"""青浦's campaign (专项行动): its phases and dates in a year, the current phase, and the
“三个零” indicators as warnings get cases and high-risk cases get their leaders (领导包案)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.cases.conftest import D0, T0, World, make_world
from wagewatch.alerts.service import evaluate
from wagewatch.auth.service import PermissionDenied
from wagewatch.cases.campaign import campaign_view, phases_for
from wagewatch.cases.models import Case
from wagewatch.cases.service import set_leader, sync_cases
from wagewatch.cases.signals import record_signal
from wagewatch.china import china_today
from wagewatch.notify.models import Notification
from wagewatch.rules.registry import get_rulebook

QINGPU = get_rulebook("qingpu")


@pytest.fixture
def qingpu(tmp_path: Path) -> Iterator[World]:
    yield from make_world(tmp_path, "qingpu")


def test_phases_of_2026_with_their_dates() -> None:
    phases = phases_for(QINGPU, 2026, date(2026, 6, 15))
    assert [(p.key, p.name, p.start, p.end) for p in phases] == [
        ("sweep", "集中排查", date(2026, 3, 1), date(2026, 3, 31)),
        ("resolution", "逐案化解", date(2026, 4, 1), date(2026, 9, 25)),
        ("stabilise_summer", "集中稳控", date(2026, 6, 1), date(2026, 7, 31)),
        ("stabilise_autumn", "集中稳控", date(2026, 10, 1), date(2026, 11, 30)),
    ]
    assert all(p.clause for p in phases)
    assert phases[0].clause.startswith("3月，组织各街镇")


@pytest.mark.parametrize(
    ("today", "current"),
    [
        (date(2026, 2, 28), set()),
        (date(2026, 3, 1), {"sweep"}),
        (date(2026, 3, 31), {"sweep"}),
        (date(2026, 4, 1), {"resolution"}),
        (date(2026, 6, 1), {"resolution", "stabilise_summer"}),
        (date(2026, 7, 31), {"resolution", "stabilise_summer"}),
        (date(2026, 8, 1), {"resolution"}),
        (date(2026, 9, 25), {"resolution"}),
        (date(2026, 9, 26), set()),
        (date(2026, 10, 1), {"stabilise_autumn"}),
        (date(2026, 11, 30), {"stabilise_autumn"}),
        (date(2026, 12, 1), set()),
    ],
)
def test_the_current_phase_flag(today: date, current: set[str]) -> None:
    assert {p.key for p in phases_for(QINGPU, today.year, today) if p.current} == current


def test_campaign_view_shows_the_year_and_refuses_a_rulebook_without_campaign(
    qingpu: World,
) -> None:
    view = campaign_view(qingpu.s, qingpu.user("leader"), QINGPU, date(2026, 3, 10))
    assert view.title == "劳资矛盾摸排化解集中攻坚行动" and view.year == 2026
    assert [p.key for p in view.phases if p.current] == ["sweep"]
    assert [i.key for i in view.indicators] == [
        "source_control",
        "rapid_response",
        "extreme_protest",
    ]
    assert [i.name for i in view.indicators] == [
        "源头监控“零失控”",
        "快速处置“零距离”",
        "极端讨薪“零增长”",
    ]
    assert all(i.met and i.value == 0 for i in view.indicators)
    assert view.ledger == []
    with pytest.raises(LookupError, match="没有专项行动"):
        campaign_view(qingpu.s, qingpu.user("leader"), get_rulebook("baoshan"), D0)
    with pytest.raises(PermissionDenied):
        campaign_view(qingpu.s, qingpu.user("sysadmin"), QINGPU, D0)


def test_source_control_counts_uncovered_warnings_and_leaderless_high_cases(
    qingpu: World,
) -> None:
    s = qingpu.s
    # 乙: a group incident → 高风险; 丙: 关停风险 → 重点不稳定企业
    record_signal(
        s,
        "incidents",
        {
            "enterprise_name": "乙精密制造有限公司",
            "incident_date": date(2026, 3, 1),
            "incident_type": "group_incident",
            "workers": 25,
        },
        label="群体性事件-乙",
        imported_by="inspector",
        settings=qingpu.settings,
    )
    record_signal(
        s,
        "business_events",
        {
            "enterprise_name": "丙物流运输有限公司",
            "event_date": date(2026, 2, 20),
            "event_type": "closure_risk",
        },
        label="关停风险-丙",
        imported_by="inspector",
        settings=qingpu.settings,
    )
    # graded, but no case yet: two warnings nobody answers for
    evaluate(s, QINGPU, D0)
    s.flush()
    leader = qingpu.user("leader")
    today = date(2026, 3, 10)
    source = campaign_view(s, leader, QINGPU, today).indicators[0]
    assert (source.key, source.value, source.met) == ("source_control", 2, False)
    assert "有预警无台账 2 家" in source.detail and "高风险未落实包案领导 0 件" in source.detail

    # the ledger opens the cases: the high-risk one still has no leader
    sync_cases(s, QINGPU, None, now=T0)
    s.commit()
    view = campaign_view(s, leader, QINGPU, today)
    source = view.indicators[0]
    assert source.value == 1 and "有预警无台账 0 家" in source.detail
    assert "高风险未落实包案领导 1 件" in source.detail
    assert [(r["title"], r["level_name"], r["leader"]) for r in view.ledger] == [
        ("乙精密制造有限公司", "高风险", ""),
        ("丙物流运输有限公司", "重点不稳定企业", ""),
    ]
    # 东镇 sees only its own enterprise's case and its indicators
    town = qingpu.user("township")
    mine = campaign_view(s, town, QINGPU, today)
    assert [r["title"] for r in mine.ledger] == ["乙精密制造有限公司"]
    assert mine.indicators[0].value == 1

    # 领导包案: the high-risk case gets its leader → 零失控 met
    high = s.scalar(select(Case).where(Case.level == "high"))
    assert high is not None
    set_leader(s, town, high.id, high.version, leader, now=T0)
    s.commit()
    view = campaign_view(s, leader, QINGPU, today)
    assert view.indicators[0].value == 0 and view.indicators[0].met
    assert view.ledger[0]["leader"] == leader.display_name
    told = s.scalars(
        select(Notification.title).where(
            Notification.user_id == leader.id, Notification.event == "case.leader"
        )
    ).all()
    assert told == ["包案督办：乙精密制造有限公司"]
    # a watch-level case without a leader does not count
    watch = s.scalar(select(Case).where(Case.level == "watch"))
    assert watch is not None and watch.leader_user_id is None


def test_extreme_protest_compares_this_year_with_last_year(tmp_path: Path) -> None:
    for w in make_world(tmp_path, "qingpu"):
        record_signal(
            w.s,
            "incidents",
            {
                "enterprise_name": "乙精密制造有限公司",
                "incident_date": date(2026, 3, 1),
                "incident_type": "extreme_protest",
            },
            label="极端讨薪-乙",
            imported_by="inspector",
            settings=w.settings,
        )
        evaluate(w.s, QINGPU, D0)
        sync_cases(w.s, QINGPU, None, now=T0)
        w.s.commit()
        # the change is dated when it was recorded (now): one this year, none last year
        today = china_today().date()
        view = campaign_view(w.s, w.user("leader"), QINGPU, today)
        extreme = view.indicators[2]
        assert extreme.key == "extreme_protest"
        assert "今年以来极端讨薪预警 1 起，去年同期 0 起" in extreme.detail
        assert (extreme.value, extreme.met) == (1, False)
