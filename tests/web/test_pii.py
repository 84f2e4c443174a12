"""No full phone or ID number reaches a role that may not read them; unmasking is audited."""

from __future__ import annotations

import io

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.web.helpers import (
    COMPLAINANT_PHONE,
    EAST_RED,
    ID_NUMBER,
    PHONES,
    World,
    csrf,
    fill_path,
    get_routes,
    login,
)
from wagewatch.auth.models import AuditEntry
from wagewatch.db.session import get_engine

SECRETS = (*PHONES, COMPLAINANT_PHONE, ID_NUMBER)


def _assert_clean(body: str, where: str) -> None:
    for secret in SECRETS:
        assert secret not in body, f"{where} shows {secret} in clear"


def _xlsx_text(data: bytes) -> str:
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    rows = book.get_sheet_by_index(0).to_python()
    return "\n".join("\t".join(str(c) for c in row) for row in rows)


@pytest.mark.parametrize(
    "username", ["leader", "township", "relations", "inspector", "auditor", "secadmin"]
)
def test_no_clear_personal_data_on_any_page_or_api(shared_world: World, username: str) -> None:
    client = shared_world.client()
    login(client, username, shared_world.passwords[username])
    for enterprise_id in shared_world.ids.values():
        for path in get_routes():
            if path.endswith("/rejected"):
                continue  # the importer's own file, tested in test_imports
            r = client.get(fill_path(path, enterprise_id, 1, shared_world.refs))
            body = _xlsx_text(r.content) if path.endswith(".xlsx") and r.is_success else r.text
            _assert_clean(body, f"{username} {path}")


def test_masked_phone_is_shown_on_the_enterprise_file(shared_world: World) -> None:
    client = shared_world.client()
    login(client, "leader", shared_world.passwords["leader"])
    data = client.get(f"/api/v1/enterprises/{shared_world.ids[EAST_RED]}").json()
    assert data["enterprise"]["contact_phone"] == "138****5678"
    assert data["can_unmask"] is False


def test_unmask_needs_the_permission(shared_world: World) -> None:
    client = shared_world.client()
    login(client, "leader", shared_world.passwords["leader"])
    r = client.post(
        f"/enterprises/{shared_world.ids[EAST_RED]}/unmask",
        data={"reason": "核实欠薪", "csrf_token": csrf(client)},
    )
    assert r.status_code == 403
    _assert_clean(r.text, "refused unmask")


def test_unmask_with_reason_shows_clear_phone_and_is_audited(world: World) -> None:
    client = world.client()
    login(client, "inspector", world.passwords["inspector"])
    eid = world.ids[EAST_RED]
    page = client.get(f"/enterprises/{eid}").text
    assert "查看联系电话明文" in page and PHONES[0] not in page
    r = client.post(
        f"/enterprises/{eid}/unmask", data={"reason": "联系企业核实", "csrf_token": csrf(client)}
    )
    assert r.status_code == 200 and PHONES[0] in r.text and "已留痕" in r.text
    with Session(get_engine(world.settings.db_url)) as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "pii.unmask")).one()
    assert entry.username == "inspector" and entry.object_id == str(eid)
    assert entry.details == {"fields": ["contact_phone"], "reason": "联系企业核实"}
    assert PHONES[0] not in str(entry.details)
    # A reason is required.
    r = client.post(f"/enterprises/{eid}/unmask", data={"reason": "", "csrf_token": csrf(client)})
    assert r.status_code == 422


@pytest.mark.parametrize("username", ["inspector", "relations", "auditor"])
def test_no_clear_personal_data_on_the_new_pages(world: World, username: str) -> None:
    from tests.web.helpers import REVIEW_EAST, add_review_items

    items = add_review_items(world)  # its complaints carry COMPLAINANT_PHONE
    writer = world.client()
    login(writer, "inspector", world.passwords["inspector"])
    r = writer.post(
        f"/reviews/{items[REVIEW_EAST]}/confirm",
        data={"enterprise_id": world.ids["东镇明珠服装有限公司"], "csrf_token": csrf(writer)},
    )
    _assert_clean(r.text, "review decision")
    client = world.client()
    login(client, username, world.passwords[username])
    for path in ("/reviews", "/api/v1/reviews", "/audit", "/api/v1/audit", "/admin"):
        _assert_clean(client.get(path).text, f"{username} {path}")
    r = client.get("/audit/export.xlsx")
    _assert_clean(_xlsx_text(r.content) if r.is_success else r.text, f"{username} audit export")


def test_no_clear_personal_data_on_cluster_cards(world: World) -> None:
    from tests.web.helpers import cluster_world

    xuanen = cluster_world(world)
    for username in ("leader", "zhujian"):
        client = xuanen.client()
        login(client, username, xuanen.passwords[username])
        for path in ("/", "/warnings", "/api/v1/clusters"):
            _assert_clean(client.get(path).text, f"{username} {path}")
