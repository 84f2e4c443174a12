"""The demo preparation: schema, organisation from the registry's townships, working logins."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.web.helpers import TestClient, login
from wagewatch.auth.models import OrgUnit
from wagewatch.db.session import get_engine
from wagewatch.enterprises.models import Enterprise
from wagewatch.settings import Settings
from wagewatch.web.app import create_app
from wagewatch.web.demo import prepare_demo


def test_prepare_demo_seeds_townships_and_returns_working_logins(tmp_path: Path) -> None:
    home = tmp_path / "demo"
    settings = Settings(home=home)
    prepare_demo(home, ["城南街道"])  # creates the schema
    with Session(get_engine(settings.db_url)) as s:
        s.add(Enterprise(name="甲", name_norm="甲", township="城北镇"))
        s.commit()
    logins = prepare_demo(home, ["城南街道"])
    assert {u for u, _, _ in logins} >= {"leader", "township", "sysadmin"}
    with Session(get_engine(settings.db_url)) as s:
        rows = s.execute(
            select(OrgUnit.code, OrgUnit.township).where(OrgUnit.kind == "township")
        ).all()
        townships = {str(code): str(township) for code, township in rows}
    assert townships == {"township-01": "城南街道", "township-02": "城北镇"}
    passwords = {u: p for u, _, p in logins}
    client = TestClient(create_app(settings), base_url="http://testserver")
    login(client, "township", passwords["township"])
    assert client.get("/api/v1/me").json()["unit_name"] == "城南街道"
