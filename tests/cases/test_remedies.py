"""Remedies and referrals on a case: each kind's fields, its seed clause, the employment
referral's task and message, and documents stored by their SHA-256."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.cases.conftest import T0, World, complain
from wagewatch.cases.models import Case, CaseEvent, Remedy, Task
from wagewatch.cases.remedies import REMEDY_KINDS, add_remedy
from wagewatch.cases.service import CaseError
from wagewatch.notify.models import Notification

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"

VALID = {
    "blacklist": {"reason": "恶意欠薪，拒不整改", "document_no": "宝人社黑〔2026〕1号"},
    "guarantee_fund": {"amount": "50,000元", "workers": "12人"},
    "emergency_fund": {"amount": "8000.50", "workers": "3"},
    "employment_referral": {"workers": "5", "needs": "普工岗位"},
    "police_transfer": {"document_no": "宝人社移〔2026〕2号"},
    "court_notice": {"court": "宝山区人民法院", "note": "集体欠薪12人"},
    "report_upward": {"recipient": "区委政法委", "summary": "可能引发群体性事件"},
}
BAD_MONEY = ["0", "-100", "abc", "NaN", "Infinity"]
BAD_INT = ["0", "-2", "2.5", "五"]


def squash(text: str) -> str:
    # the seeds are scanned documents: ignore white space and stray markup
    return re.sub(r"[\s*]", "", text)


def the_case(w: World) -> Case:
    c = complain(w, "乙精密制造有限公司", "2", "3")
    case = w.s.get(Case, c.case_id)
    assert case is not None
    return case


def remedies(w: World) -> int:
    return int(w.s.scalar(select(func.count()).select_from(Remedy)) or 0)


def test_every_remedy_clause_is_quoted_verbatim_from_a_seed() -> None:
    assert SEEDS.is_dir(), f"policy documents not found at {SEEDS}"
    seeds = [squash(p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    assert len(seeds) == 5
    for kind in REMEDY_KINDS.values():
        assert kind.clause.strip(), kind.key
        assert any(squash(kind.clause) in s for s in seeds), kind.key


def test_valid_values_cover_every_kind() -> None:
    assert set(VALID) == set(REMEDY_KINDS)
    for key, kind in REMEDY_KINDS.items():
        required = {f.key for f in kind.fields if f.required}
        assert required <= set(VALID[key]), key


def test_each_remedy_kind_validates_its_fields(world: World) -> None:
    case = the_case(world)
    town = world.user("township")
    for key, kind in REMEDY_KINDS.items():
        for f in kind.fields:
            bad: list[tuple[str, str]] = []
            if f.required:
                bad.append(("", f"请填写{f.label}"))
                bad.append(("   ", f"请填写{f.label}"))
            if f.type == "money":
                bad += [(v, f.label) for v in BAD_MONEY]
            elif f.type == "int":
                bad += [(v, f.label) for v in BAD_INT]
            elif f.type == "choice":
                bad.append(("乡政府", "应为：" + "、".join(f.choices)))
            else:
                bad.append(("字" * 1001, "不能超过1000字"))
            for value, message in bad:
                before = remedies(world)
                with pytest.raises(CaseError, match=re.escape(message)):
                    add_remedy(
                        world.s, town, case.id, None, key, {**VALID[key], f.key: value}, now=T0
                    )
                assert remedies(world) == before, (key, f.key, value)
    # and every kind accepts good values, normalised
    for minutes, key in enumerate(REMEDY_KINDS, start=1):
        version = case.version
        at = T0 + timedelta(minutes=minutes)
        r = add_remedy(world.s, town, case.id, version, key, VALID[key], now=at)
        assert r.kind == key and r.recorded_by == "township"
        assert case.version > version
    world.s.commit()
    stored = {r.kind: r.fields for r in world.s.scalars(select(Remedy))}
    assert stored["guarantee_fund"] == {"amount": "50000", "workers": 12}
    assert stored["emergency_fund"] == {"amount": "8000.50", "workers": 3}
    assert stored["report_upward"]["recipient"] == "区委政法委"
    assert "note" not in stored["police_transfer"]  # optional and empty: left out
    events = world.s.scalars(
        select(CaseEvent.text).where(CaseEvent.case_id == case.id, CaseEvent.kind == "remedy")
    ).all()
    assert len(events) == len(REMEDY_KINDS)
    assert "欠薪保障金垫付：垫付金额（元）：50000，涉及人数：12" in events


def test_unknown_kind_and_closed_case_are_refused(world: World) -> None:
    case = the_case(world)
    town = world.user("township")
    with pytest.raises(CaseError, match="未知的措施类型"):
        add_remedy(world.s, town, case.id, None, "fine", {}, now=T0)
    case.state = "closed"
    world.s.flush()
    with pytest.raises(CaseError, match="已销号"):
        add_remedy(world.s, town, case.id, None, "blacklist", VALID["blacklist"], now=T0)
    assert remedies(world) == 0


def test_employment_referral_becomes_a_task_and_a_message_for_the_centre(world: World) -> None:
    case = the_case(world)
    employment = world.user("employment")
    before = {
        n.id
        for n in world.s.scalars(select(Notification).where(Notification.user_id == employment.id))
    }
    r = add_remedy(
        world.s,
        world.user("township"),
        case.id,
        case.version,
        "employment_referral",
        {"workers": "5", "needs": "普工岗位"},
        now=T0,
    )
    world.s.commit()
    task = world.s.scalar(select(Task).where(Task.key == f"remedy:{r.id}"))
    assert task is not None
    assert (task.kind, task.office, task.unit_id, task.case_id, task.status) == (
        "referral",
        "employment_centre",
        employment.org_unit_id,
        case.id,
        "open",
    )
    assert task.clause == REMEDY_KINDS["employment_referral"].clause
    assert task.title == "就业帮扶转介：乙精密制造有限公司"
    new = [
        n
        for n in world.s.scalars(select(Notification).where(Notification.user_id == employment.id))
        if n.id not in before
    ]
    assert len(new) == 1
    assert (new[0].event, new[0].link) == ("case.referral", f"/cases/{case.id}")
    assert "涉及人数：5" in new[0].body and "普工岗位" in new[0].body
    # a remedy that tells no office creates no task
    add_remedy(world.s, world.user("township"), case.id, None, "blacklist", VALID["blacklist"])
    assert (
        world.s.scalar(select(func.count()).select_from(Task).where(Task.kind == "referral")) == 1
    )


def test_a_document_is_stored_by_its_sha256_and_a_bad_suffix_is_refused(world: World) -> None:
    case = the_case(world)
    town = world.user("township")
    content = b"%PDF-1.4 \xe7\xab\x8b\xe6\xa1\x88\xe5\x86\xb3\xe5\xae\x9a\xe4\xb9\xa6"
    digest = hashlib.sha256(content).hexdigest()
    before = remedies(world)
    with pytest.raises(CaseError, match="附件应为"):
        add_remedy(
            world.s,
            town,
            case.id,
            None,
            "police_transfer",
            VALID["police_transfer"],
            document=("移送书.exe", content),
            settings=world.settings,
            now=T0,
        )
    assert remedies(world) == before
    assert not world.settings.documents_dir.exists() or not any(
        world.settings.documents_dir.iterdir()
    )
    r = add_remedy(
        world.s,
        town,
        case.id,
        None,
        "police_transfer",
        VALID["police_transfer"],
        document=("../../移送书.PDF", content),
        settings=world.settings,
        now=T0,
    )
    path = Path(r.document_path or "")
    assert path == (world.settings.documents_dir / f"{digest}.pdf").resolve()
    assert path.read_bytes() == content
    assert (r.document_sha256, r.document_name) == (digest, "移送书.PDF")
    # the same document again is the same file
    again = add_remedy(
        world.s,
        town,
        case.id,
        None,
        "blacklist",
        VALID["blacklist"],
        document=("决定书.pdf", content),
        settings=world.settings,
        now=T0,
    )
    assert again.document_path == r.document_path
    assert [p.name for p in world.settings.documents_dir.iterdir()] == [f"{digest}.pdf"]
