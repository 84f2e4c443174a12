"""The fact vocabulary every rulebook speaks (SPEC.md, "Facts"): names, types, labels.

The three derived facts are named here; their definitions live in `rules/derived.py`,
written once in the condition language for both evaluators.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "FACTS",
    "FEE_ARREARS_KINDS",
    "Fact",
    "FactType",
    "FactValueError",
    "default_value",
    "check_value",
]

FactType = Literal["int", "number", "bool", "str"]


@dataclass(frozen=True)
class Fact:
    """One named fact: its type, Chinese label and whether it is derived from others."""

    name: str
    type: FactType
    label: str
    derived: bool = False
    cluster: bool = False


FEE_ARREARS_KINDS: tuple[str, ...] = (
    "tax_arrears_months",
    "social_insurance_arrears_months",
    "loan_arrears_months",
    "water_arrears_months",
    "electricity_arrears_months",
    "gas_arrears_months",
    "telecom_arrears_months",
)

_FACT_LIST: tuple[Fact, ...] = (
    Fact("employees", "int", "用工规模（人）"),
    Fact("wage_arrears_months", "number", "连续欠薪月数"),
    Fact("wage_arrears_workers", "int", "欠薪涉及人数"),
    Fact("wage_arrears_amount", "number", "欠薪金额（元）"),
    Fact("wage_delays_12m", "int", "近12个月缓发工资次数"),
    Fact("wage_arrears_cases_12m", "int", "近12个月欠薪案件数"),
    Fact("wage_complaints_90d", "int", "近90日欠薪投诉举报数"),
    Fact("repeat_petitions_90d", "int", "近90日重复信访数"),
    Fact("tax_arrears_months", "number", "欠税月数"),
    Fact("social_insurance_arrears_months", "number", "欠缴社会保险费月数"),
    Fact("loan_arrears_months", "number", "欠贷月数"),
    Fact("water_arrears_months", "number", "欠水费月数"),
    Fact("electricity_arrears_months", "number", "欠电费月数"),
    Fact("gas_arrears_months", "number", "欠燃气费月数"),
    Fact("telecom_arrears_months", "number", "欠通信费月数"),
    Fact("fee_arrears_months", "number", "欠费最长月数", derived=True),
    Fact("social_insurance_deferrals_12m", "int", "近12个月缓缴社保次数"),
    Fact("business_anomaly", "bool", "经营异常"),
    Fact("closure_risk", "bool", "存在关停风险"),
    Fact("sudden_closure", "bool", "突然关停"),
    Fact("owner_absconded", "bool", "欠薪逃匿或负责人失联"),
    Fact("outsourcing", "bool", "劳务外包"),
    Fact("blacklisted", "bool", "列入失信人目录"),
    Fact("joint_punishment_departments", "int", "实施联合惩戒部门数"),
    Fact("asset_seized", "bool", "资产被查封"),
    Fact("legal_rep_detained", "bool", "法人或实际经营者被采取管制措施"),
    Fact("economic_dispute", "bool", "企业经济纠纷"),
    Fact("casualty_or_major_crime", "bool", "人员伤亡或涉嫌重大刑事、治安案件"),
    Fact("public_opinion_hotspot", "bool", "社会影响恶劣的舆情热点"),
    Fact("extreme_protest", "bool", "极端形式讨薪"),
    Fact("group_incident", "bool", "群体性事件或集体停工"),
    Fact("escalation_signs", "bool", "事件有升级迹象"),
    Fact("manual_level", "str", "研判等级"),
    Fact("wages_unpaid", "bool", "存在欠薪", derived=True),
    Fact("any_anomaly", "bool", "出现各类异常信息", derived=True),
    Fact("group_incidents", "int", "发生群体性事件的企业数", cluster=True),
    Fact("workers_involved", "int", "涉及人数", cluster=True),
    Fact("townships_affected", "int", "涉及乡镇数", cluster=True),
)

FACTS: dict[str, Fact] = {f.name: f for f in _FACT_LIST}


class FactValueError(ValueError):
    """A fact value that is unknown or of the wrong type."""


def default_value(fact: Fact) -> int | float | bool | str:
    """A missing fact is 0 / false / empty (SPEC.md)."""
    if fact.type == "bool":
        return False
    if fact.type == "str":
        return ""
    if fact.type == "int":
        return 0
    return 0.0


def check_value(fact: Fact, value: object) -> int | float | bool | str:
    """Check one given value against its fact type; None means missing."""
    if value is None:
        return default_value(fact)
    if fact.type == "bool":
        if isinstance(value, bool):
            return value
        raise FactValueError(f"{fact.name} 应为 true/false，收到 {value!r}")
    if fact.type == "str":
        if isinstance(value, str):
            return value
        raise FactValueError(f"{fact.name} 应为字符串，收到 {value!r}")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FactValueError(f"{fact.name} 应为数值，收到 {value!r}")
    if value != value or value in (float("inf"), float("-inf")):
        raise FactValueError(f"{fact.name} 不是有限数值：{value!r}")
    if value < 0:
        raise FactValueError(f"{fact.name} 不能为负数：{value!r}")
    if fact.type == "int":
        if isinstance(value, float) and not value.is_integer():
            raise FactValueError(f"{fact.name} 应为整数，收到 {value!r}")
        return int(value)
    return float(value)
