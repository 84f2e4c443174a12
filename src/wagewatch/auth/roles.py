"""Roles and permissions as data: a registry the built-in roles and a deployment's share.

Separation of the three administrators (等保 三权分立): the system administrator runs accounts
and organisation units, the security administrator runs roles, passwords, locks and unmasking
grants, the audit administrator alone reads the audit log. None of the three reads business
data or personal data, so no single account can both change security and hide it, and the
accounts of the three (their roles, passwords, locks) are kept only from the server command line
(`service.SYSTEM`), so none of them can take over another.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "ORG_KIND_LABELS",
    "OrgKind",
    "Permission",
    "Role",
    "Scope",
    "find_role",
    "get_permission",
    "get_role",
    "permission_label",
    "permissions",
    "register_permission",
    "register_role",
    "roles",
]


class Scope(StrEnum):
    """Which enterprises a role sees: all, its township's, its industries', or none."""

    DISTRICT = "district"
    TOWNSHIP = "township"
    INDUSTRY = "industry"
    NONE = "none"


class OrgKind(StrEnum):
    """The kind of an organisation unit."""

    DISTRICT = "district"
    TOWNSHIP = "township"
    DEPARTMENT = "department"
    INDUSTRY_AUTHORITY = "industry_authority"


ORG_KIND_LABELS: dict[OrgKind, str] = {
    OrgKind.DISTRICT: "区县",
    OrgKind.TOWNSHIP: "镇街园区",
    OrgKind.DEPARTMENT: "科室部门",
    OrgKind.INDUSTRY_AUTHORITY: "行业主管部门",
}


@dataclass(frozen=True)
class Permission:
    """A named verb (`cases.write`) with its Chinese label."""

    code: str
    label: str


@dataclass(frozen=True)
class Role:
    """A role: code, Chinese label, permissions, data scope and the org-unit kinds it fits."""

    code: str
    label: str
    permissions: frozenset[str]
    scope: Scope
    org_kinds: frozenset[OrgKind]
    # The three administrators: never business data, never an unmasking grant.
    administrative: bool = False
    description: str = ""

    def has(self, permission: str) -> bool:
        """Whether the role itself carries `permission`."""
        return permission in self.permissions


_PERMISSIONS: dict[str, Permission] = {}
_ROLES: dict[str, Role] = {}


def register_permission(code: str, label: str, *, replace: bool = False) -> Permission:
    """Add a permission to the registry (a deployment may add its own verbs)."""
    if code in _PERMISSIONS and not replace:
        raise ValueError(f"permission {code!r} is already registered")
    perm = Permission(code, label)
    _PERMISSIONS[code] = perm
    return perm


def register_role(role: Role, *, replace: bool = False) -> Role:
    """Add a role to the registry; every permission it names must be registered."""
    if role.code in _ROLES and not replace:
        raise ValueError(f"role {role.code!r} is already registered")
    unknown = sorted(role.permissions - _PERMISSIONS.keys())
    if unknown:
        raise ValueError(f"role {role.code!r} names unknown permissions: {', '.join(unknown)}")
    if not role.org_kinds:
        raise ValueError(f"role {role.code!r} fits no organisation-unit kind")
    _ROLES[role.code] = role
    return role


def get_permission(code: str) -> Permission:
    """The registered permission `code` (KeyError if unknown)."""
    return _PERMISSIONS[code]


def permission_label(code: str) -> str:
    """The Chinese label of a permission, or the code itself if it is not registered."""
    perm = _PERMISSIONS.get(code)
    return perm.label if perm else code


def permissions() -> list[Permission]:
    """Every registered permission, in registration order."""
    return list(_PERMISSIONS.values())


def find_role(code: str | None) -> Role | None:
    """The registered role `code`, or None (a role removed from the registry grants nothing)."""
    return _ROLES.get(code) if code else None


def get_role(code: str) -> Role:
    """The registered role `code` (KeyError if unknown)."""
    return _ROLES[code]


def roles() -> list[Role]:
    """Every registered role, in registration order."""
    return list(_ROLES.values())


def _role(
    code: str,
    label: str,
    perms: Iterable[str],
    scope: Scope,
    kinds: Iterable[OrgKind],
    description: str,
    *,
    administrative: bool = False,
) -> None:
    register_role(
        Role(
            code=code,
            label=label,
            permissions=frozenset(perms),
            scope=scope,
            org_kinds=frozenset(kinds),
            administrative=administrative,
            description=description,
        )
    )


for _code, _label in (
    ("enterprises.read", "查看企业档案"),
    ("enterprises.write", "维护企业名录（新增、合并、纠错）"),
    ("warnings.read", "查看预警"),
    ("warnings.assess", "研判调整预警等级"),
    ("imports.create", "导入数据文件"),
    ("cases.read", "查看台账"),
    ("cases.write", "办理台账（立案、处置、转办、销号）"),
    ("cases.supervise", "督办台账（领导包案）"),
    ("tasks.complete", "办理分派给本单位的任务"),
    ("complaints.create", "登记投诉举报（首问负责制）"),
    ("inspections.feedback", "反馈定向排查结果"),
    ("reports.read", "查看报表和分析报告"),
    ("reports.export", "导出报表"),
    ("pii.unmask", "查看个人信息明文"),
    ("audit.read", "查看审计日志"),
    ("audit.export", "导出审计日志"),
    ("users.manage", "管理用户账号（姓名、所属单位、启用停用）"),
    ("org.manage", "管理组织机构"),
    ("system.configure", "管理系统配置（预警规则、数据来源）"),
    ("roles.assign", "分配用户角色"),
    ("passwords.reset", "重置用户密码"),
    ("accounts.lock", "锁定、解锁账号"),
    ("unmask.grant", "授予、收回个人信息查看权限"),
    ("sessions.revoke", "强制用户下线"),
):
    register_permission(_code, _label)

_ADMIN_UNITS = (OrgKind.DISTRICT, OrgKind.DEPARTMENT)
_DISTRICT_UNITS = (OrgKind.DISTRICT, OrgKind.DEPARTMENT)
_READ = ("enterprises.read", "warnings.read", "cases.read", "reports.read")
_WORK = ("tasks.complete", "complaints.create")

_role(
    "system_admin",
    "系统管理员",
    ("users.manage", "org.manage", "system.configure"),
    Scope.NONE,
    _ADMIN_UNITS,
    "管理组织机构、用户账号和系统配置；不能查看业务数据、个人信息和审计日志。",
    administrative=True,
)
_role(
    "security_admin",
    "安全管理员",
    ("roles.assign", "passwords.reset", "accounts.lock", "unmask.grant", "sessions.revoke"),
    Scope.NONE,
    _ADMIN_UNITS,
    "分配角色、重置密码、锁定解锁账号、授予个人信息查看权限；不能查看业务数据和审计日志。",
    administrative=True,
)
_role(
    "audit_admin",
    "审计管理员",
    ("audit.read", "audit.export"),
    Scope.NONE,
    _ADMIN_UNITS,
    "查看和导出审计日志；不能查看业务数据，不能修改账号。",
    administrative=True,
)
_role(
    "leader",
    "局领导",
    (*_READ, "cases.supervise", "reports.export"),
    Scope.DISTRICT,
    _DISTRICT_UNITS,
    "查看全区数据（个人信息脱敏），督办台账。",
)
_role(
    "inspection",
    "劳动保障监察",
    (
        *_READ,
        *_WORK,
        "enterprises.write",
        "warnings.assess",
        "imports.create",
        "cases.write",
        "reports.export",
        "pii.unmask",
    ),
    Scope.DISTRICT,
    _DISTRICT_UNITS,
    "查看全区数据，立案处置，可查看本案投诉人个人信息明文（留痕）。",
)
_role(
    "labour_relations",
    "劳动关系科",
    (*_READ, *_WORK, "warnings.assess", "imports.create", "cases.write", "reports.export"),
    Scope.DISTRICT,
    _DISTRICT_UNITS,
    "查看全区数据，研判预警，处置劳动关系类事项。",
)
_role(
    "township",
    "镇街",
    (*_READ, *_WORK, "cases.write", "imports.create", "inspections.feedback"),
    Scope.TOWNSHIP,
    (OrgKind.TOWNSHIP,),
    "只看本镇街（园区）企业的预警和台账，属地处置，反馈定向排查。",
)
_role(
    "industry_authority",
    "行业主管部门",
    (*_READ, *_WORK, "cases.write", "imports.create", "inspections.feedback"),
    Scope.INDUSTRY,
    (OrgKind.INDUSTRY_AUTHORITY,),
    "只看本行业企业的预警和台账，行业处置。",
)
_role(
    "petition_office",
    "信访办",
    (*_READ, *_WORK, "imports.create"),
    Scope.DISTRICT,
    _DISTRICT_UNITS,
    "登记来信来访，导入信访数据，查看预警和台账。",
)
_role(
    "arbitration",
    "仲裁院",
    (*_READ, *_WORK, "imports.create"),
    Scope.DISTRICT,
    _DISTRICT_UNITS,
    "导入仲裁案件数据，查看预警和台账。",
)
_role(
    "employment_centre",
    "就业促进中心",
    (*_READ, *_WORK),
    Scope.DISTRICT,
    _DISTRICT_UNITS,
    "承接就业帮扶转介，查看预警和台账。",
)
