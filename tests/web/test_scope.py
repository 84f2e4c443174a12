"""A township user sees nothing of another township: every page and API route walked."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.web.helpers import (
    EAST_ORANGE,
    EAST_RED,
    WEST,
    WEST_NAMES,
    WEST_RED,
    World,
    csrf,
    fill_path,
    get_routes,
    login,
)
from wagewatch.auth.models import AuditEntry
from wagewatch.db.session import get_engine
from wagewatch.signals.models import ImportBatch


def _assert_no_west(text: str, where: str) -> None:
    for name in WEST_NAMES:
        assert name not in text, f"{where} leaks {name}"


@pytest.fixture(scope="module")
def township(shared_world: World):  # type: ignore[no-untyped-def]
    client = shared_world.client()
    login(client, "township", shared_world.passwords["township"])
    return client


def test_every_get_route_refuses_or_hides_the_other_township(shared_world: World, township) -> None:  # type: ignore[no-untyped-def]
    west_id = shared_world.ids[WEST_RED]
    with Session(get_engine(shared_world.settings.db_url)) as s:
        batch_id = s.scalars(select(ImportBatch.id)).first()
    assert batch_id is not None
    walked = 0
    for path in get_routes():
        if path.endswith("openapi.json"):
            continue
        url = fill_path(path, west_id, batch_id, shared_world.refs)
        for query in ("", f"?township={WEST}", "?q=西镇", "?level=red"):
            r = township.get(url + query, follow_redirects=False)
            assert r.status_code in (200, 303, 403, 404), (url + query, r.status_code)
            _assert_no_west(r.text, url + query)
            walked += 1
        if "{enterprise_id}" in path:
            assert township.get(url).status_code == 403, url
    assert walked > 40


def test_other_townships_enterprise_is_403_page_and_api_and_audited(
    shared_world: World, township
) -> None:  # type: ignore[no-untyped-def]
    west_id = shared_world.ids[WEST_RED]
    r = township.get(f"/enterprises/{west_id}")
    assert r.status_code == 403 and "不在您的管辖范围内" in r.text
    r = township.get(f"/api/v1/enterprises/{west_id}")
    assert r.status_code == 403 and r.json() == {
        "detail": "该企业不在您的管辖范围内。",
        "status": 403,
    }
    with Session(get_engine(shared_world.settings.db_url)) as s:
        denials = s.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "access.denied", AuditEntry.username == "township"
            )
        ).all()
    assert any(e.object_id == f"/enterprises/{west_id}" for e in denials)


def test_unmask_of_other_township_is_refused(shared_world: World, township) -> None:  # type: ignore[no-untyped-def]
    west_id = shared_world.ids[WEST_RED]
    token = csrf(township)
    r = township.post(
        f"/enterprises/{west_id}/unmask", data={"reason": "核实", "csrf_token": token}
    )
    assert r.status_code == 403
    _assert_no_west(r.text, "unmask page")
    r = township.post(
        f"/api/v1/enterprises/{west_id}/unmask",
        json={"reason": "核实情况"},
        headers={"x-csrf-token": token},
    )
    assert r.status_code == 403
    _assert_no_west(r.text, "unmask api")


def test_township_sees_its_own_warnings_only(shared_world: World, township) -> None:  # type: ignore[no-untyped-def]
    page = township.get("/api/v1/warnings").json()
    names = {w["enterprise_name"] for w in page["items"]}
    assert names == {EAST_RED, EAST_ORANGE}
    assert page["total"] == 2
    html = township.get("/warnings").text
    assert EAST_RED in html and EAST_ORANGE in html
    choices = township.get("/api/v1/warnings/choices").json()
    assert choices["townships"] == ["东镇"]
    stats = township.get("/api/v1/dashboard").json()
    assert stats["total"] == 2
    assert stats["by_township"]["categories"] == ["东镇"]
    assert township.get(f"/enterprises/{shared_world.ids[EAST_RED]}").status_code == 200


def test_township_sees_only_its_own_import_batches(shared_world: World, township) -> None:  # type: ignore[no-untyped-def]
    assert township.get("/api/v1/imports").json() == []
    with Session(get_engine(shared_world.settings.db_url)) as s:
        batch = s.scalars(select(ImportBatch)).first()
    assert batch is not None
    r = township.get(f"/imports/{batch.id}/rejected")
    assert r.status_code in (403, 404)


def test_township_cannot_export_or_administer(township) -> None:  # type: ignore[no-untyped-def]
    assert township.get("/warnings/export.xlsx").status_code == 403
    assert township.get("/admin").status_code == 403
    assert township.get("/api/v1/admin").status_code == 403


NEW_ROUTES = ("/reviews", "/api/v1/reviews", "/audit", "/api/v1/audit", "/audit/export.xlsx")


def test_walk_with_pending_reviews_hides_the_other_township(world: World) -> None:
    from tests.web.helpers import REVIEW_WEST, add_review_items

    items = add_review_items(world)
    client = world.client()
    login(client, "township", world.passwords["township"])
    with Session(get_engine(world.settings.db_url)) as s:
        batch_id = s.scalars(select(ImportBatch.id)).first()
    assert batch_id is not None
    paths = [fill_path(p, world.ids[WEST_RED], batch_id, world.refs) for p in get_routes()]
    assert set(NEW_ROUTES) <= set(paths)
    for url in paths:
        if url.endswith("openapi.json"):
            continue
        r = client.get(url, follow_redirects=False)
        assert r.status_code in (200, 303, 403, 404), (url, r.status_code)
        _assert_no_west(r.text, url)
        assert REVIEW_WEST not in r.text, url
    for url in NEW_ROUTES:
        assert client.get(url).status_code == 403, url
    token = csrf(client)
    r = client.post(
        f"/reviews/{items[REVIEW_WEST]}/confirm",
        data={"enterprise_id": world.ids[WEST_RED], "csrf_token": token},
    )
    assert r.status_code == 403
    _assert_no_west(r.text, "review confirm")
    r = client.post(f"/reviews/{items[REVIEW_WEST]}/create", data={"csrf_token": token})
    assert r.status_code == 403 and REVIEW_WEST not in r.text


def test_township_has_no_security_actions(world: World) -> None:
    client = world.client()
    login(client, "township", world.passwords["township"])
    r = client.post("/admin/users/1/password", data={"csrf_token": csrf(client)})
    assert r.status_code == 403


def test_cluster_rulebook_walk_shows_the_township_no_cluster(world: World) -> None:
    from tests.web.helpers import cluster_world

    xuanen = cluster_world(world)
    client = xuanen.client()
    login(client, "township", xuanen.passwords["township"])
    for url in ("/", "/warnings", "/api/v1/clusters", "/api/v1/dashboard", "/api/v1/warnings"):
        r = client.get(url)
        assert r.status_code == 200, url
        _assert_no_west(r.text, url)
        assert 'data-testid="cluster-建筑业"' not in r.text and "level2.1" not in r.text, url
