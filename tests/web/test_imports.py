"""Upload through the web: exact counts, row errors, re-grading, the rejected-rows file."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.web.helpers import BAD_DATE, EAST_QUIET, World, complaints_with_a_bad_row, csrf, login
from wagewatch.alerts.models import Warning
from wagewatch.db.session import get_engine
from wagewatch.signals.models import ImportBatch


def test_upload_with_a_bad_row_gives_exact_counts_and_the_rejected_file(world: World) -> None:
    client = world.client()
    login(client, "township", world.passwords["township"])
    r = client.post(
        "/imports",
        data={"kind": "", "csrf_token": csrf(client)},
        files={"file": ("东镇投诉.csv", complaints_with_a_bad_row(), "text/csv")},
    )
    assert r.status_code == 200, r.text
    html = r.text
    assert 'data-testid="rows-in">3<' in html
    assert 'data-testid="rows-imported">2<' in html
    assert 'data-testid="rows-rejected">1<' in html
    assert 'data-testid="rows-review">0<' in html
    assert "投诉举报" in html and BAD_DATE in html and "不是有效日期" in html
    # Phones in rejected rows are personal data: masked in the page.
    assert "13822223333" not in html

    with Session(get_engine(world.settings.db_url)) as s:
        batch = s.scalars(select(ImportBatch).order_by(ImportBatch.id.desc())).first()
        assert batch is not None
        assert (batch.file_name, batch.imported_by) == ("东镇投诉.csv", "township")
        assert (batch.rows_in, batch.rows_imported, batch.rows_rejected) == (3, 2, 1)
        warning = s.scalars(
            select(Warning).where(Warning.enterprise_id == world.ids[EAST_QUIET])
        ).one()
        # Re-graded on import: 12 workers owed is red under baoshan (red.2).
        assert warning.level == "red"
        assert [x["criterion"] for x in warning.reasons] == ["red.2"]

    download = f"/imports/{batch.id}/rejected"
    assert download in html
    r = client.get(download)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    body = r.content.decode("utf-8-sig")
    assert BAD_DATE in body and "13822223333" in body and "13811112222" not in body

    listed = client.get("/api/v1/imports").json()
    assert listed[0]["id"] == batch.id and listed[0]["rejected_url"] == download
    assert listed[0]["imported_by_name"] == "镇街（演示）"

    # Another office (district-wide, but without pii.unmask) may not download it.
    other = world.client()
    login(other, "leader", world.passwords["leader"])
    assert other.get(download).status_code == 403
    assert other.get("/api/v1/imports").json()[0]["rejected_url"] is None


def test_same_file_twice_changes_nothing(world: World) -> None:
    client = world.client()
    login(client, "inspector", world.passwords["inspector"])
    files = {"file": ("投诉.csv", complaints_with_a_bad_row(), "text/csv")}
    first = client.post(
        "/api/v1/imports",
        data={"kind": "complaints"},
        files=files,
        headers={"x-csrf-token": csrf(client)},
    )
    assert first.status_code == 200 and first.json()["status"] == "imported"
    again = client.post(
        "/api/v1/imports",
        data={"kind": "complaints"},
        files=files,
        headers={"x-csrf-token": csrf(client)},
    )
    body = again.json()
    assert body["status"] == "duplicate" and "本次未做任何更改" in body["message"]
    # inspector holds pii.unmask: the rejected row's phone is shown to them.
    assert first.json()["errors"][0]["row"] == 3


def test_unreadable_or_unknown_file_is_explained(world: World) -> None:
    client = world.client()
    login(client, "inspector", world.passwords["inspector"])
    token = csrf(client)
    r = client.post(
        "/imports",
        data={"csrf_token": token},
        files={"file": ("说明.csv", "甲,乙,丙\n1,2,3\n".encode(), "text/csv")},
    )
    assert r.status_code == 200
    assert 'data-testid="import-status">未导入<' in r.text
    assert "没有可识别的表头" in r.text
    r = client.post(
        "/imports",
        data={"csrf_token": token},
        files={"file": ("报告.pdf", b"%PDF-1.4", "application/pdf")},
    )
    assert r.status_code == 400 and "只能导入 CSV 或 Excel 文件" in r.text


def test_roles_without_import_permission_cannot_upload(shared_world: World) -> None:
    client = shared_world.client()
    login(client, "leader", shared_world.passwords["leader"])
    page = client.get("/imports")
    assert page.status_code == 200 and "开始导入" not in page.text
    r = client.post(
        "/imports",
        data={"csrf_token": csrf(client)},
        files={"file": ("a.csv", b"x\n1\n", "text/csv")},
    )
    assert r.status_code == 403
