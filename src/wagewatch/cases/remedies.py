"""Remedies and referrals recorded on a case, each with its own fields and a document.

Blacklist proposal (黑名单), wage-guarantee-fund or emergency-fund advance (欠薪保障金、应急周转金:
amount, workers), employment-assistance referral (就业帮扶, which becomes a task of the
employment-promotion centre), transfer to the police for 拒不支付劳动报酬罪 (两法衔接), notice to
the court of a collective arrears case, and report upward for major risks.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from wagewatch.auth.models import User
from wagewatch.auth.service import record_audit, register_audit_action
from wagewatch.cases.models import Case, Remedy, Task
from wagewatch.cases.routing import UnitFinder
from wagewatch.cases.service import CaseError, _event, _writable
from wagewatch.china import to_utc
from wagewatch.db.base import utcnow
from wagewatch.notify.service import notify_units
from wagewatch.settings import Settings, get_settings

__all__ = ["REMEDY_KINDS", "RemedyField", "RemedyKind", "add_remedy"]

register_audit_action("cases.remedy", "记录救济与移送措施")
register_audit_action("cases.document", "下载台账附件")

_DOC_SUFFIXES = frozenset({".pdf", ".doc", ".docx", ".jpg", ".jpeg", ".png", ".xlsx", ".xls"})
_MAX_DOC = 20 * 1024 * 1024


@dataclass(frozen=True)
class RemedyField:
    """One field of a remedy form."""

    key: str
    label: str
    type: str = "text"  # text | money | int | choice
    required: bool = True
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class RemedyKind:
    """A kind of remedy: its label, fields, the office told, and the seed clause it follows."""

    key: str
    label: str
    fields: tuple[RemedyField, ...]
    clause: str
    office: str | None = None


_AMOUNT = RemedyField("amount", "垫付金额（元）", "money")
_WORKERS = RemedyField("workers", "涉及人数", "int")
_DOC_NO = RemedyField("document_no", "文书编号")

REMEDY_KINDS: dict[str, RemedyKind] = {
    k.key: k
    for k in (
        RemedyKind(
            "blacklist",
            "列入黑名单建议",
            (RemedyField("reason", "列入理由"), _DOC_NO),
            "对恶意欠薪等严重失信企业和法定代表人等，要将其列为“黑名单”进行重点监管",
        ),
        RemedyKind(
            "guarantee_fund",
            "欠薪保障金垫付",
            (_AMOUNT, _WORKERS),
            "对企业一时难以解决拖欠工资或者企业主欠薪逃逸的，及时启动欠薪保障金或通过其他途径筹措资金，"
            "先行垫付部分基本工资",
        ),
        RemedyKind(
            "emergency_fund",
            "应急周转金垫付",
            (_AMOUNT, _WORKERS),
            "要及时使用应急周转金、应急维稳金（欠薪保障金）垫付企业拖欠的职工工资",
        ),
        RemedyKind(
            "employment_referral",
            "就业帮扶转介",
            (_WORKERS, RemedyField("needs", "就业需求", required=False)),
            "如有就业需求的及时通报区就业促进中心，就促中心应主动对接，做好就业帮扶工作",
            office="employment_centre",
        ),
        RemedyKind(
            "police_transfer",
            "移送公安（拒不支付劳动报酬罪）",
            (_DOC_NO, RemedyField("note", "移送情况", required=False)),
            "建立拒不支付劳动报酬犯罪案件移送的联动机制",
        ),
        RemedyKind(
            "court_notice",
            "通报法院（集体欠薪案件）",
            (RemedyField("court", "通报法院"), RemedyField("note", "通报内容", required=False)),
            "人社部门要对所掌握的集体欠薪案件信息及时向法院通报",
        ),
        RemedyKind(
            "report_upward",
            "重大风险报告",
            (
                RemedyField(
                    "recipient",
                    "报送对象",
                    "choice",
                    choices=(
                        "区委政法委",
                        "信访局",
                        "区委区政府",
                        "本级政府",
                        "上一级联席会议办公室",
                    ),
                ),
                RemedyField("summary", "报告摘要"),
            ),
            "可能引发恶性群体性事件或重大舆情的，及时向区委、区政府报告",
        ),
    )
}


def _value(field: RemedyField, raw: str) -> Any:
    raw = (raw or "").strip()
    if not raw:
        if field.required:
            raise CaseError(f"请填写{field.label}。")
        return None
    if field.type == "money":
        try:
            d = Decimal(raw.replace(",", "").replace("元", ""))
        except InvalidOperation:
            raise CaseError(f"{field.label}应为数字。") from None
        if not d.is_finite() or d <= 0:
            raise CaseError(f"{field.label}应大于0。")
        return str(d)
    if field.type == "int":
        try:
            n = int(raw.replace("人", ""))
        except ValueError:
            raise CaseError(f"{field.label}应为整数。") from None
        if n <= 0:
            raise CaseError(f"{field.label}应大于0。")
        return n
    if field.type == "choice" and raw not in field.choices:
        raise CaseError(f"{field.label}应为：{'、'.join(field.choices)}。")
    if len(raw) > 1000:
        raise CaseError(f"{field.label}不能超过1000字。")
    return raw


def _store_document(name: str, content: bytes, settings: Settings) -> tuple[str, str]:
    suffix = Path(name).suffix.lower()
    if suffix not in _DOC_SUFFIXES:
        raise CaseError("附件应为 PDF、Word、Excel 或图片文件。")
    if len(content) > _MAX_DOC:
        raise CaseError("附件不能超过20MB。")
    digest = hashlib.sha256(content).hexdigest()
    folder = settings.documents_dir
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{digest}{suffix}"
    if not path.exists():
        path.write_bytes(content)
    return str(path.resolve()), digest


def add_remedy(
    session: Session,
    user: User,
    case_id: int,
    version: int | None,
    kind: str,
    values: dict[str, str],
    *,
    document: tuple[str, bytes] | None = None,
    settings: Settings | None = None,
    now: datetime | None = None,
) -> Remedy:
    """Record a remedy or referral on a case (cases.write), with an optional document."""
    at = to_utc(now or utcnow())
    case: Case = _writable(session, user, case_id, version, "cases.write")
    if case.state == "closed":
        raise CaseError("已销号的台账不能再记录措施。")
    spec = REMEDY_KINDS.get(kind)
    if spec is None:
        raise CaseError("未知的措施类型。")
    fields = {f.key: _value(f, values.get(f.key, "")) for f in spec.fields}
    remedy = Remedy(
        case_id=case.id,
        kind=kind,
        fields={k: v for k, v in fields.items() if v is not None},
        recorded_by=user.username,
        recorded_at=at,
    )
    if document is not None and document[1]:
        name, content = document
        path, digest = _store_document(name, content, settings or get_settings())
        remedy.document_name = Path(name).name[:300]
        remedy.document_path, remedy.document_sha256 = path, digest
    session.add(remedy)
    session.flush()
    summary = "，".join(
        f"{f.label}：{fields[f.key]}" for f in spec.fields if fields.get(f.key) is not None
    )
    _event(session, case, "remedy", f"{spec.label}：{summary}", user=user, now=at)
    case.updated_at = at
    if spec.office is not None:
        unit = UnitFinder(session).office_unit(spec.office, case.township, case.industry)
        if unit is not None:
            session.add(
                Task(
                    key=f"remedy:{remedy.id}",
                    case_id=case.id,
                    kind="referral",
                    title=f"{spec.label}：{case.title}",
                    assignee=unit.name,
                    office=spec.office,
                    unit_id=unit.id,
                    clause=spec.clause,
                    level=case.level,
                    created_at=at,
                    status="open",
                )
            )
            notify_units(
                session,
                [unit.id],
                event_code="case.referral",
                title=f"{spec.label}：{case.title}",
                body=summary,
                link=f"/cases/{case.id}",
                now=at,
            )
    record_audit(
        session,
        "cases.remedy",
        actor=user,
        object_type="case",
        object_id=case.id,
        details={"kind": kind, "document": bool(remedy.document_path)},
        now=at,
    )
    session.flush()
    return remedy
