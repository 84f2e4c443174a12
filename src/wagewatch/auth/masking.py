"""Personal-data masking (脱敏) and audited unmasking.

Everything leaving the service layer for a screen or a file goes through `mask_record`; clear
values come only from `unmask`, which needs pii.unmask, the object in the user's scope and a
reason, and writes an audit entry naming the fields read (never their values).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from wagewatch.auth.models import User
from wagewatch.auth.service import PermissionDenied, can, object_in_scope, record_audit, require

__all__ = [
    "MASKERS",
    "UnmaskRequest",
    "mask_bank_account",
    "mask_id_number",
    "mask_name",
    "mask_phone",
    "mask_record",
    "mask_text",
    "register_masker",
    "unmask",
]

_STAR = "*"
# Compound surnames kept whole, so 欧阳修 shows as 欧阳* (the surname, nothing more).
_COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 独孤 "
    "南宫 西门 端木 百里 呼延 东郭 钟离 赫连 澹台 申屠 拓跋 万俟 闻人 太史 公冶 宗政".split()
)
_SEPARATORS = re.compile(r"[\s\-]")


def _keep_ends(text: str, head: int, tail: int) -> str:
    hidden = len(text) - head - tail
    if hidden < 1:
        return _STAR * len(text)
    return text[:head] + _STAR * hidden + (text[-tail:] if tail else "")


def mask_id_number(value: object) -> str | None:
    """An identity-card number with the first 3 and last 4 kept: 110***********1234."""
    if value is None:
        return None
    text = _SEPARATORS.sub("", str(value))
    if len(text) >= 15:  # 15- and 18-digit resident ID numbers
        return _keep_ends(text, 3, 4)
    if len(text) >= 8:  # a truncated or foreign number: show much less
        return _keep_ends(text, 1, 2)
    return _STAR * len(text)


def mask_phone(value: object) -> str | None:
    """A phone number with the first 3 and last 4 digits kept: 138****5678 (separators stay)."""
    if value is None:
        return None
    text = str(value).strip()
    digits = [i for i, c in enumerate(text) if c.isdigit()]
    n = len(digits)
    if n >= 11:
        hidden = set(digits[3 : n - 4])
    elif n >= 8:  # a landline without its area code
        hidden = set(digits[: n - 4])
    else:
        return "".join(_STAR if c.isalnum() else c for c in text)
    return "".join(_STAR if i in hidden else c for i, c in enumerate(text))


def mask_name(value: object) -> str | None:
    """A person's name with only the surname kept: 张三丰 → 张**, 欧阳修 → 欧阳*."""
    if value is None:
        return None
    text = str(value).strip()
    if len(text) <= 1:
        return _STAR * len(text)
    keep = 2 if len(text) >= 3 and text[:2] in _COMPOUND_SURNAMES else 1
    return text[:keep] + "".join(c if c in "·• " else _STAR for c in text[keep:])


def mask_bank_account(value: object) -> str | None:
    """A bank account number with only the last 4 digits kept."""
    if value is None:
        return None
    text = _SEPARATORS.sub("", str(value))
    return _keep_ends(text, 0, 4) if len(text) >= 12 else _STAR * len(text)


def mask_text(value: object) -> str | None:
    """Any other personal text (an address, a note): only the first character kept."""
    if value is None:
        return None
    text = str(value).strip()
    return _keep_ends(text, 1, 0) if len(text) >= 4 else _STAR * len(text)


MASKERS: dict[str, Callable[[object], str | None]] = {
    "id_number": mask_id_number,
    "phone": mask_phone,
    "name": mask_name,
    "bank_account": mask_bank_account,
    "text": mask_text,
}

# Guessing a field's kind from its key, for callers that pass plain key lists.
_KEY_HINTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("id_number", ("id_number", "id_card", "idcard", "id_no", "身份证")),
    ("phone", ("phone", "mobile", "tel", "电话", "手机")),
    ("bank_account", ("bank", "account_no", "card_no", "银行", "账号")),
    ("name", ("name", "姓名")),
)


def register_masker(kind: str, masker: Callable[[object], str | None]) -> None:
    """Add or replace a masking function for a kind of personal data."""
    MASKERS[kind] = masker


def _kind_of(key: str) -> str:
    lowered = key.lower()
    for kind, hints in _KEY_HINTS:
        if any(h in lowered for h in hints):
            return kind
    return "text"


def _kinds(pii_keys: Mapping[str, str] | Iterable[str]) -> dict[str, str]:
    if isinstance(pii_keys, Mapping):
        kinds = dict(pii_keys)
    else:
        kinds = {key: _kind_of(key) for key in pii_keys}
    unknown = sorted(set(kinds.values()) - MASKERS.keys())
    if unknown:
        raise ValueError(f"unknown personal-data kinds: {', '.join(unknown)}")
    return kinds


@dataclass(frozen=True)
class UnmaskRequest:
    """An explicit request to see a record's personal data in clear, with its reason."""

    session: Session
    reason: str
    object_type: str | None = None
    object_id: object = None
    source: str | None = None
    now: datetime | None = None


def mask_record(
    record: Mapping[str, Any],
    pii_keys: Mapping[str, str] | Iterable[str],
    user: User | None,
    *,
    unmask_request: UnmaskRequest | None = None,
) -> dict[str, Any]:
    """A copy of `record` with its personal fields masked.

    `pii_keys` maps each personal field to its kind (`id_number`, `phone`, `name`,
    `bank_account`, `text`), or lists the fields and lets their names tell the kind. Fields
    come back in clear only when an `unmask_request` is given and the user holds pii.unmask; the
    clear read then goes through `unmask` and is audited. Without the permission the request is
    ignored and the record is masked.
    """
    kinds = _kinds(pii_keys)
    out = dict(record)
    present = [key for key in kinds if key in out]
    request = unmask_request
    if request is not None and user is not None and present:
        if can(user, "pii.unmask", now=request.now):
            clear = unmask(
                request.session,
                user,
                record,
                present,
                request.reason,
                object_type=request.object_type,
                object_id=request.object_id,
                source=request.source,
                now=request.now,
            )
            out.update(clear)
            return out
    for key in present:
        out[key] = MASKERS[kinds[key]](out[key])
    return out


def _read(obj: object, field: str) -> Any:
    if isinstance(obj, Mapping):
        if field not in obj:
            raise ValueError(f"记录中没有字段：{field}")
        return obj[field]
    if not hasattr(obj, field):
        raise ValueError(f"记录中没有字段：{field}")
    return getattr(obj, field)


def unmask(
    session: Session,
    user: User,
    obj: object,
    fields: Iterable[str],
    reason: str,
    *,
    object_type: str | None = None,
    object_id: object = None,
    source: str | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The clear values of `fields` of `obj` (an ORM object or a mapping), audited.

    Requires pii.unmask, the object within the user's scope and a reason; raises
    PermissionDenied (nothing written) otherwise.
    """
    require(user, "pii.unmask", now=now)
    if not object_in_scope(user, obj):
        raise PermissionDenied("该记录不在您的管辖范围内，不能查看其个人信息。", user=user)
    why = (reason or "").strip()
    if len(why) < 2:
        raise ValueError("查看个人信息明文须填写事由。")
    names = list(dict.fromkeys(fields))
    if not names:
        raise ValueError("未指定要查看的字段。")
    values = {name: _read(obj, name) for name in names}
    if object_type is None:
        object_type = (
            "record"
            if isinstance(obj, Mapping)
            else getattr(type(obj), "__tablename__", type(obj).__name__)
        )
    if object_id is None:
        object_id = obj.get("id") if isinstance(obj, Mapping) else getattr(obj, "id", None)
    record_audit(
        session,
        "pii.unmask",
        actor=user,
        object_type=object_type,
        object_id=object_id,
        source=source,
        details={"fields": names, "reason": why},
        now=now,
    )
    return values
