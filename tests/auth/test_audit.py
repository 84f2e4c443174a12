"""The audit log is a hash chain: edits, deletions and truncation are detected."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from tests.auth.helpers import T0, Org, new_engine
from wagewatch.auth.models import AuditEntry, AuditHead
from wagewatch.auth.service import (
    AUDIT_COLUMNS,
    GENESIS_HASH,
    SYSTEM,
    _chain,
    _content,
    authenticate,
    export_audit,
    list_audit,
    record_audit,
    verify_audit_chain,
)


def write(session: Session, n: int) -> list[AuditEntry]:
    return [
        record_audit(
            session,
            "cases.close",
            actor=SYSTEM,
            object_type="case",
            object_id=i,
            details={"n": i},
            now=T0 + timedelta(minutes=i),
        )
        for i in range(n)
    ]


def test_an_untouched_chain_verifies(session: Session) -> None:
    assert verify_audit_chain(session) is None
    entries = write(session, 5)
    session.commit()
    assert [e.id for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0].prev_hash == GENESIS_HASH
    assert all(b.prev_hash == a.hash for a, b in zip(entries, entries[1:], strict=False))
    assert verify_audit_chain(session) is None


def test_each_hash_covers_the_previous_hash_and_the_rows_content(session: Session) -> None:
    first, second = write(session, 2)
    row = {c: getattr(second, c) for c in AuditEntry.__table__.c.keys()}
    assert second.hash == _chain(first.hash, _content(row))


def test_an_edited_row_is_detected(session: Session) -> None:
    write(session, 5)
    session.commit()
    session.execute(text("UPDATE audit_entries SET result = 'failure' WHERE id = 3"))
    broken = verify_audit_chain(session)
    assert broken is not None and broken.entry_id == 3 and "修改" in broken.reason
    assert broken.entry is not None and broken.entry.id == 3


def test_an_edit_with_a_recomputed_hash_breaks_the_next_link(session: Session) -> None:
    write(session, 5)
    session.commit()
    session.execute(text("UPDATE audit_entries SET details = '{\"n\": 99}' WHERE id = 3"))
    row = (
        session.execute(select(*AuditEntry.__table__.c).where(AuditEntry.id == 3)).mappings().one()
    )
    forged = _chain(row["prev_hash"], _content(row))
    session.execute(text("UPDATE audit_entries SET hash = :h WHERE id = 3"), {"h": forged})
    broken = verify_audit_chain(session)
    assert broken is not None and broken.entry_id == 4


def test_a_deleted_row_is_detected(session: Session) -> None:
    write(session, 5)
    session.commit()
    session.execute(text("DELETE FROM audit_entries WHERE id = 2"))
    broken = verify_audit_chain(session)
    assert broken is not None and broken.entry_id == 3 and "缺失" in broken.reason


def test_deleting_the_last_rows_is_detected(session: Session) -> None:
    write(session, 5)
    session.commit()
    session.execute(text("DELETE FROM audit_entries WHERE id >= 4"))
    broken = verify_audit_chain(session)
    assert broken is not None and broken.entry_id == 4 and broken.entry is None


def test_renumbering_after_a_deletion_is_detected(session: Session) -> None:
    write(session, 4)
    session.commit()
    session.execute(text("DELETE FROM audit_entries WHERE id = 2"))
    session.execute(text("UPDATE audit_entries SET id = id - 1 WHERE id > 2"))
    assert verify_audit_chain(session) is not None


def test_the_orm_refuses_to_update_or_delete_an_entry(session: Session) -> None:
    entry = write(session, 1)[0]
    session.commit()
    entry.result = "failure"
    with pytest.raises(PermissionError, match="只能追加"):
        session.flush()
    session.rollback()
    with pytest.raises(PermissionError, match="只能追加"):
        session.delete(entry)
        session.flush()


def test_details_read_back_exactly_as_hashed() -> None:
    engine = new_engine()
    with Session(engine) as s:
        record_audit(
            s,
            "cases.close",
            actor=SYSTEM,
            details={
                "float": 1.0,
                "fraction": 0.1,
                "money": Decimal("12.50"),
                "when": datetime(2026, 1, 1, 8, tzinfo=UTC),
                "day": T0.date(),
                "set": {"b", "a"},
                "nested": {"k": [1, 2.5, None, True]},
                "中文": "欠薪",
            },
            now=T0,
        )
        s.commit()
    with Session(engine) as fresh:
        assert verify_audit_chain(fresh) is None
    engine.dispose()


def test_appends_from_sessions_holding_a_stale_head_still_chain() -> None:
    engine = new_engine()
    a = Session(engine, expire_on_commit=False)
    b = Session(engine, expire_on_commit=False)
    record_audit(a, "x.one", actor=SYSTEM, now=T0)
    a.commit()
    held = a.get(AuditHead, 1)  # keeps a's copy of the head in its identity map
    record_audit(b, "x.two", actor=SYSTEM, now=T0)
    b.commit()
    record_audit(a, "x.three", actor=SYSTEM, now=T0)  # a's cached head is one entry behind
    a.commit()
    assert held is not None and held.last_entry_id == 3
    assert verify_audit_chain(b) is None
    assert b.scalar(select(AuditHead.last_entry_id)) == 3
    a.close()
    b.close()
    engine.dispose()


def test_a_lost_head_is_rebuilt_visibly(session: Session) -> None:
    write(session, 3)
    session.commit()
    session.execute(text("DELETE FROM audit_head"))
    session.expunge_all()
    entry = record_audit(session, "x.next", actor=SYSTEM, now=T0)
    rebuilt = session.get(AuditEntry, 4)
    assert rebuilt is not None and rebuilt.action == "audit.head_rebuilt"
    assert entry.id == 5 and verify_audit_chain(session) is None


def test_audit_admin_exports_and_the_export_is_audited(org: Org) -> None:
    s = org.session
    authenticate(s, "leader", "Wrong-guess-1", "10.0.0.2", now=T0)
    before = s.scalar(select(AuditHead.last_entry_id))
    rows = export_audit(s, org.user("auditor"), action="auth.login", source="10.0.0.3", now=T0)
    assert [(r["username"], r["result_label"], r["action_label"]) for r in rows] == [
        ("leader", "失败", "登录")
    ]
    assert set(AUDIT_COLUMNS) <= set(rows[0])
    assert rows[0]["at"].endswith("+08:00")
    last = s.get(AuditEntry, (before or 0) + 1)
    assert last is not None and (last.action, last.username) == ("audit.export", "auditor")
    assert last.details["rows"] == 1 and last.source == "10.0.0.3"
    assert verify_audit_chain(s) is None


def test_list_audit_filters_by_time_and_user(org: Org) -> None:
    s = org.session
    authenticate(s, "leader", "Wrong-guess-1", now=T0 + timedelta(days=1))
    authenticate(s, "inspector", "Wrong-guess-1", now=T0 + timedelta(days=2))
    rows = list_audit(s, org.user("auditor"), since=T0 + timedelta(hours=1), username="inspector")
    assert [r["username"] for r in rows] == ["inspector"]
