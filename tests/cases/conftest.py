"""A small district for the case ledger: the demo organisation, three enterprises, a lake."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.auth.helpers import demo_engine
from wagewatch.auth.models import OrgUnit, User
from wagewatch.cases.complaints import ComplaintInput, register_complaint
from wagewatch.cases.models import Complaint
from wagewatch.china import to_china
from wagewatch.enterprises.models import Enterprise
from wagewatch.notify.channels import channels, unregister_channel
from wagewatch.rules.model import Rulebook
from wagewatch.rules.registry import get_rulebook
from wagewatch.settings import Settings
from wagewatch.signals.service import import_file

# Monday 2 March 2026, 09:00 China time.
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
D0 = date(2026, 3, 2)

ENTERPRISES = [
    ("甲建筑工程有限公司", "东镇", "建筑业", 80),
    ("乙精密制造有限公司", "东镇", "制造业", 60),
    ("丙物流运输有限公司", "西镇", "交通运输业", 40),
]


@dataclass
class World:
    """The session, settings, rulebook and helpers of one test."""

    s: Session
    settings: Settings
    rb: Rulebook
    tmp: Path

    def user(self, username: str) -> User:
        u = self.s.scalar(select(User).where(User.username == username))
        assert u is not None
        return u

    def enterprise(self, name: str) -> Enterprise:
        e = self.s.scalar(select(Enterprise).where(Enterprise.name == name))
        assert e is not None
        return e


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def make_world(tmp_path: Path, rulebook: str = "baoshan") -> Iterator[World]:
    engine, _ = demo_engine()
    settings = Settings(home=tmp_path)
    with Session(engine) as s:
        f = write_csv(
            tmp_path / "enterprises.csv",
            ["企业名称", "所属镇街", "所属行业", "用工人数"],
            [list(e) for e in ENTERPRISES],
        )
        result = import_file(s, f, kind="enterprises", settings=settings)
        assert result.status == "imported", result.errors
        s.commit()
        yield World(s=s, settings=settings, rb=get_rulebook(rulebook), tmp=tmp_path)
    engine.dispose()


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    yield from make_world(tmp_path)


@pytest.fixture(autouse=True)
def _no_channels() -> Iterator[None]:
    yield
    for ch in list(channels()):
        unregister_channel(ch.key)


def complain(
    w: World,
    name: str,
    months: str = "",
    workers: str = "",
    *,
    by: str = "petition",
    at: datetime = T0,
    township: str = "",
    settings: Settings | None = None,
    commit: bool = True,
) -> Complaint:
    """Register a phone complaint (with the complainant's personal data) as of `at`."""
    c = register_complaint(
        w.s,
        w.user(by),
        w.rb,
        ComplaintInput(
            received_via="phone",
            enterprise_name=name,
            text=f"{name}拖欠工资{months or '两'}个月，{workers or '多'}人未领到工资",
            months_owed=months,
            workers=workers,
            complainant_name="张三丰",
            complainant_phone="13812345678",
            complainant_id_number="110101199003071234",
            township=township,
        ),
        to_china(at).date(),
        settings=settings or w.settings,
        now=at,
    )
    if commit:
        w.s.commit()
    return c


def unit(w: World, code: str) -> OrgUnit:
    """The organisation unit `code` of the demo organisation."""
    u = w.s.scalar(select(OrgUnit).where(OrgUnit.code == code))
    assert u is not None
    return u
