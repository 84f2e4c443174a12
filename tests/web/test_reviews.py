"""待核对: district-wide importers settle rows whose enterprise could not be decided."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.web.helpers import (
    EAST_ORANGE,
    REVIEW_EAST,
    REVIEW_NEW,
    REVIEW_WEST,
    WEST_NAMES,
    WEST_RED,
    World,
    add_review_items,
    csrf,
    login,
)
from wagewatch.auth.models import AuditEntry
from wagewatch.db.session import get_engine
from wagewatch.enterprises.models import Enterprise, EnterpriseAlias
from wagewatch.signals.models import ReviewItem
from wagewatch.web.reviews import service


@pytest.fixture
def items(world: World) -> dict[str, int]:
    return add_review_items(world)


@pytest.fixture
def graded(monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    """The enterprise ids each re-grading was asked for (the real regrade still runs)."""
    calls: list[list[int]] = []
    real = service.regrade

    def spy(session: Any, rb: Any, as_of: Any, ids: Any = None, **kw: Any) -> Any:
        calls.append(list(ids))
        return real(session, rb, as_of, ids, **kw)

    monkeypatch.setattr(service, "regrade", spy)
    return calls


def _client(world: World, username: str):  # type: ignore[no-untyped-def]
    client = world.client()
    login(client, username, world.passwords[username])
    return client


def _item(world: World, item_id: int) -> ReviewItem:
    with Session(get_engine(world.settings.db_url)) as s:
        item = s.get(ReviewItem, item_id)
        assert item is not None
        s.expunge(item)
    return item


def test_queue_lists_file_row_written_name_reason_and_scored_candidates(
    world: World, items: dict[str, int]
) -> None:
    client = _client(world, "inspector")
    page = client.get("/reviews")
    assert page.status_code == 200
    assert 'href="/reviews"' in page.text  # in the navigation
    for name in (REVIEW_EAST, REVIEW_WEST, REVIEW_NEW):
        assert name in page.text
    assert "待核对投诉.csv" in page.text and "第 2 行" in page.text
    assert "低于自动匹配阈值" in page.text and "87.5" in page.text
    queue = client.get("/api/v1/reviews").json()
    assert queue["total"] == 3 and queue["can_create"] is True
    east = next(i for i in queue["items"] if i["name"] == REVIEW_EAST)
    assert east["candidates"][0]["name"] == EAST_ORANGE
    assert east["candidates"][0]["score"] == 87.5 and east["candidates"][0]["township"] == "东镇"


def test_confirm_a_candidate_remembers_the_alias_regrades_and_is_audited(
    world: World, items: dict[str, int], graded: list[list[int]]
) -> None:
    client = _client(world, "inspector")
    item_id, eid = items[REVIEW_EAST], world.ids[EAST_ORANGE]
    r = client.post(
        f"/reviews/{item_id}/confirm", data={"enterprise_id": eid, "csrf_token": csrf(client)}
    )
    assert r.status_code == 200 and 'data-testid="decided"' in r.text and EAST_ORANGE in r.text
    assert f'data-testid="review-{item_id}"' not in r.text  # no longer pending
    assert graded == [[eid]]
    item = _item(world, item_id)
    assert item.status == "resolved" and item.enterprise_id == eid
    assert item.resolved_by == "inspector"
    with Session(get_engine(world.settings.db_url)) as s:
        alias = s.scalars(select(EnterpriseAlias).where(EnterpriseAlias.name == REVIEW_EAST)).one()
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "review.confirm")).one()
    assert alias.enterprise_id == eid
    assert entry.username == "inspector" and entry.object_id == str(item_id)
    # Settled once: a second decision is refused in Chinese.
    r = client.post(
        f"/reviews/{item_id}/confirm", data={"enterprise_id": eid, "csrf_token": csrf(client)}
    )
    assert r.status_code == 400 and "已处理" in r.text


def test_only_a_candidate_can_be_confirmed(world: World, items: dict[str, int]) -> None:
    client = _client(world, "inspector")
    item_id = items[REVIEW_EAST]
    r = client.post(
        f"/reviews/{item_id}/confirm",
        data={"enterprise_id": world.ids[WEST_RED], "csrf_token": csrf(client)},
    )
    assert r.status_code == 400 and "只能从候选企业中确认" in r.text
    assert _item(world, item_id).status == "pending"


def test_register_as_new_enterprise_and_grade_it(
    world: World, items: dict[str, int], graded: list[list[int]]
) -> None:
    client = _client(world, "inspector")
    item_id = items[REVIEW_NEW]
    r = client.post(f"/reviews/{item_id}/create", data={"csrf_token": csrf(client)})
    assert r.status_code == 200 and "登记为新企业" in r.text
    with Session(get_engine(world.settings.db_url)) as s:
        ent = s.scalars(select(Enterprise).where(Enterprise.name == REVIEW_NEW)).one()
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "review.create")).one()
    assert graded == [[ent.id]]
    assert _item(world, item_id).enterprise_id == ent.id
    assert entry.details["enterprise_id"] == ent.id


def test_registering_needs_enterprises_write(world: World, items: dict[str, int]) -> None:
    client = _client(world, "relations")  # imports.create, district scope, no enterprises.write
    page = client.get("/reviews")
    assert page.status_code == 200 and "/reviews/" in page.text
    assert f'action="/reviews/{items[REVIEW_NEW]}/create"' not in page.text
    r = client.post(f"/reviews/{items[REVIEW_NEW]}/create", data={"csrf_token": csrf(client)})
    assert r.status_code == 403
    assert _item(world, items[REVIEW_NEW]).status == "pending"


@pytest.mark.parametrize("username", ["township", "zhujian", "leader", "sysadmin", "auditor"])
def test_scoped_and_other_roles_are_refused(
    world: World, items: dict[str, int], username: str
) -> None:
    client = _client(world, username)
    for path in ("/reviews", "/api/v1/reviews"):
        r = client.get(path)
        assert r.status_code == 403, (username, path)
        for name in (*WEST_NAMES, REVIEW_WEST):
            assert name not in r.text
    assert 'href="/reviews"' not in client.get("/rules").text
    token = csrf(client)
    item_id = items[REVIEW_EAST]
    r = client.post(
        f"/reviews/{item_id}/confirm",
        data={"enterprise_id": world.ids[EAST_ORANGE], "csrf_token": token},
    )
    assert r.status_code == 403
    r = client.post(f"/reviews/{items[REVIEW_NEW]}/create", data={"csrf_token": token})
    assert r.status_code == 403
    assert _item(world, item_id).status == "pending"


def test_decisions_need_the_csrf_token(world: World, items: dict[str, int]) -> None:
    client = _client(world, "inspector")
    r = client.post(f"/reviews/{items[REVIEW_NEW]}/create", data={})
    assert r.status_code == 403
    assert _item(world, items[REVIEW_NEW]).status == "pending"
