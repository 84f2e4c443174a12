"""Masking formats, masked records by default, audited unmasking."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from tests.auth.helpers import T0, Org, add_enterprise
from wagewatch.auth.masking import (
    _COMPOUND_SURNAMES,
    UnmaskRequest,
    mask_bank_account,
    mask_id_number,
    mask_name,
    mask_phone,
    mask_record,
    mask_text,
    unmask,
)
from wagewatch.auth.models import AuditEntry
from wagewatch.auth.service import PermissionDenied, grant_unmask, record_denial

COMPLAINT = {
    "id": 7,
    "complainant_name": "张三丰",
    "complainant_id_number": "110101199003071234",
    "complainant_phone": "13812345678",
    "employer": "宏达建筑工程有限公司",
    "months_owed": 3,
}
PII = {
    "complainant_name": "name",
    "complainant_id_number": "id_number",
    "complainant_phone": "phone",
}


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def unmask_entries(org: Org) -> list[AuditEntry]:
    stmt = select(AuditEntry).where(AuditEntry.action == "pii.unmask")
    return list(org.session.scalars(stmt))


@pytest.mark.parametrize(
    ("masker", "value", "masked"),
    [
        (mask_id_number, "110101199003071234", "110***********1234"),
        (mask_id_number, "11010119900307123X", "110***********123X"),
        (mask_id_number, "110101900307123", "110********7123"),
        (mask_id_number, " 110101 19900307 1234 ", "110***********1234"),
        (mask_id_number, "12345678", "1*****78"),
        (mask_id_number, "1234", "****"),
        (mask_id_number, "", ""),
        (mask_id_number, None, None),
        (mask_phone, "13812345678", "138****5678"),
        (mask_phone, "138 1234 5678", "138 **** 5678"),
        (mask_phone, "021-66881234", "021-****1234"),
        (mask_phone, "66881234", "****1234"),
        (mask_phone, "12345", "*****"),
        (mask_phone, 13812345678, "138****5678"),
        (mask_phone, None, None),
        (mask_name, "张三丰", "张**"),
        (mask_name, "张三", "张*"),
        (mask_name, "欧阳修", "欧阳*"),
        (mask_name, "欧阳", "欧*"),
        (mask_name, "阿依古丽·买买提", "阿***·***"),
        (mask_name, "张", "*"),
        (mask_name, "  ", ""),
        (mask_name, None, None),
        (mask_bank_account, "6222 0212 3456 7890", "************7890"),
        (mask_text, "北京市朝阳区某街道1号", "北" + "*" * 10),
    ],
)
def test_mask_formats(masker: object, value: object, masked: str | None) -> None:
    assert masker(value) == masked  # type: ignore[operator]


@given(st.from_regex(r"[0-9]{1,20}[Xx]?", fullmatch=True))
def test_a_masked_id_number_never_shows_the_whole_number(value: str) -> None:
    masked = mask_id_number(value)
    assert masked is not None and len(masked) == len(value)
    assert value not in masked and "*" in masked
    assert len(digits(masked)) <= min(7, len(digits(value)) - 1) or not digits(value)


@given(st.from_regex(r"\+?[0-9][0-9 ()-]{0,19}", fullmatch=True))
def test_a_masked_phone_never_shows_all_its_digits(value: str) -> None:
    masked = mask_phone(value)
    assert masked is not None
    assert len(digits(masked)) < len(digits(value)) and len(digits(masked)) <= 7
    assert digits(value) not in digits(masked)


@given(st.one_of(st.none(), st.text(), st.integers()))
def test_maskers_never_fail_on_odd_input(value: object) -> None:
    for masker in (mask_id_number, mask_phone, mask_name, mask_bank_account, mask_text):
        result = masker(value)
        assert (result is None) == (value is None)


@given(st.text(min_size=2).map(str.strip).filter(lambda t: len(t) >= 2))
def test_a_masked_name_keeps_at_most_the_surname(name: str) -> None:
    masked = mask_name(name)
    assert masked is not None and len(masked) == len(name) and masked[0] == name[0]
    assert all(c in "*·• " for c in masked[2:])
    assert masked[1] in "*·• " or (len(name) >= 3 and name[:2] in _COMPOUND_SURNAMES)


def test_records_are_masked_by_default_even_for_inspection(org: Org) -> None:
    masked = mask_record(COMPLAINT, PII, org.user("inspector"))
    assert masked["complainant_name"] == "张**"
    assert masked["complainant_id_number"] == "110***********1234"
    assert masked["complainant_phone"] == "138****5678"
    assert masked["employer"] == COMPLAINT["employer"] and COMPLAINT["complainant_name"] == "张三丰"
    assert unmask_entries(org) == []


def test_field_kinds_can_be_guessed_from_names(org: Org) -> None:
    masked = mask_record(COMPLAINT, list(PII), org.user("leader"))
    assert masked == mask_record(COMPLAINT, PII, org.user("leader"))


def test_explicit_unmask_by_inspection_is_clear_and_audited(org: Org) -> None:
    s = org.session
    request = UnmaskRequest(s, "联系投诉人核实欠薪金额", object_type="complaint", source="10.1.1.1")
    clear = mask_record(COMPLAINT, PII, org.user("inspector"), unmask_request=request)
    assert clear == COMPLAINT
    [entry] = unmask_entries(org)
    assert (entry.username, entry.object_type, entry.object_id) == ("inspector", "complaint", "7")
    assert entry.details == {"fields": list(PII), "reason": "联系投诉人核实欠薪金额"}
    assert entry.source == "10.1.1.1"
    logged = json.dumps(entry.details, ensure_ascii=False)
    assert "13812345678" not in logged and "张三丰" not in logged


def test_an_unmask_request_without_the_permission_stays_masked(org: Org) -> None:
    request = UnmaskRequest(org.session, "想看看")
    for username in ("leader", "sysadmin", "auditor", "township"):
        masked = mask_record(COMPLAINT, PII, org.user(username), unmask_request=request)
        assert masked["complainant_phone"] == "138****5678", username
    assert unmask_entries(org) == []


def test_unmask_of_an_enterprise_field_is_audited(org: Org) -> None:
    s = org.session
    ent = add_enterprise(s, "甲公司", "西镇", "建筑业", contact_phone="13900001111")
    values = unmask(s, org.user("inspector"), ent, ["contact_phone"], "立案调查", now=T0)
    assert values == {"contact_phone": "13900001111"}
    [entry] = unmask_entries(org)
    assert (entry.object_type, entry.object_id, entry.details["fields"]) == (
        "enterprises",
        str(ent.id),
        ["contact_phone"],
    )


def test_unmask_needs_a_reason(org: Org) -> None:
    ent = add_enterprise(org.session, "甲公司", "西镇", None, contact_phone="13900001111")
    with pytest.raises(ValueError, match="事由"):
        unmask(org.session, org.user("inspector"), ent, ["contact_phone"], " ")
    assert unmask_entries(org) == []


def test_a_granted_township_user_may_unmask_only_in_its_township(org: Org) -> None:
    s = org.session
    town = org.user("township")
    grant_unmask(s, org.user("secadmin"), town, until=T0 + timedelta(days=1), reason="专项", now=T0)
    own = add_enterprise(s, "东镇企业", "东镇", None, contact_phone="13900001111")
    other = add_enterprise(s, "西镇企业", "西镇", None, contact_phone="13900002222")
    assert unmask(s, town, own, ["contact_phone"], "属地核查", now=T0)
    with pytest.raises(PermissionDenied, match="管辖范围"):
        unmask(s, town, other, ["contact_phone"], "属地核查", now=T0)
    # A record it cannot place (no enterprise) is district-only.
    with pytest.raises(PermissionDenied):
        unmask(s, town, COMPLAINT, ["complainant_phone"], "属地核查", now=T0)
    assert len(unmask_entries(org)) == 1


def test_a_refused_unmask_is_recorded_by_the_caller(org: Org) -> None:
    s = org.session
    with pytest.raises(PermissionDenied) as caught:
        unmask(s, org.user("leader"), COMPLAINT, ["complainant_phone"], "想看看")
    assert unmask_entries(org) == []
    entry = record_denial(s, caught.value, object_type="complaint", object_id=7, now=T0)
    assert (entry.action, entry.result, entry.username) == ("access.denied", "denied", "leader")
    assert entry.details["permission"] == "pii.unmask"
