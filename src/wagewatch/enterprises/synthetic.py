"""Synthetic enterprises and the ways offices misspell them: for tests, benchmarks and the simulator."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Literal, TypeAlias

from wagewatch.enterprises import uscc
from wagewatch.enterprises.names import split_name

__all__ = [
    "VARIANT_KINDS",
    "SyntheticEnterprise",
    "VariantKind",
    "name_variant",
    "synthetic_registry",
    "unrelated_name",
]

# Characters of real trade names (字号): many near-homophones on purpose, so that two
# different enterprises often differ by one character.
TRADE_CHARS = (
    "宏达远鑫盛华兴恒信嘉瑞祥利丰源泰安顺通明新永金宝德福隆昌成创辉鼎卓越正天海宇博腾晟凯旭锦"
    "欣俊豪荣佳和美伟力立众诚益升东方圣亿联合汇广志强胜"
)
INDUSTRIES = (
    "建筑工程",
    "建筑劳务",
    "建设工程",
    "装饰工程",
    "建筑装饰工程",
    "机电安装工程",
    "市政工程",
    "钢结构工程",
    "劳务",
    "物流",
    "国际物流",
    "电子科技",
    "信息科技",
    "餐饮管理",
    "物业管理",
    "机械制造",
    "服饰",
    "商贸",
    "人力资源",
    "保洁服务",
    "环境工程",
    "食品",
    "汽车配件",
    "塑料制品",
    "包装材料",
)
FORMS = ("有限公司",) * 6 + ("有限责任公司",) * 2 + ("股份有限公司",)
BRANCHES = ("宝山分公司", "青浦分公司", "第一分公司", "第二分公司", "嘉定项目部", "宝山项目部")
_TYPO_CHARS = TRADE_CHARS + "建设工程装饰劳务科技贸易物流管理服务机械城成程筑祝"

VariantKind: TypeAlias = Literal["bracket", "suffix", "region", "width", "punct", "typo"]
VARIANT_KINDS: tuple[VariantKind, ...] = ("bracket", "suffix", "region", "width", "punct", "typo")


@dataclass(frozen=True, slots=True)
class SyntheticEnterprise:
    """One registry row of a synthetic district, with its parent when it is a branch."""

    id: int
    code: str
    name: str
    trade: str
    industry: str
    region: str
    form: str
    branch: str = ""
    parent: int | None = None


def _trade(rng: random.Random) -> str:
    k = 3 if rng.random() < 0.15 else 2
    return "".join(rng.sample(TRADE_CHARS, k))


def _compose(region: str, trade: str, industry: str, form: str, branch: str, style: int) -> str:
    if style == 1 and region:  # 宏达（上海）建筑工程有限公司
        return f"{trade}（{region}）{industry}{form}{branch}"
    return f"{region}{trade}{industry}{form}{branch}"


def synthetic_registry(n: int, rng: random.Random) -> list[SyntheticEnterprise]:
    """A registry of n enterprises with unique normalised names, branches and near-namesakes."""
    out: list[SyntheticEnterprise] = []
    seen: set[str] = set()
    codes: set[str] = set()
    while len(out) < n:
        roll = rng.random()
        parent: SyntheticEnterprise | None = None
        if out and roll < 0.10:  # a branch of an existing company
            parent = rng.choice(out)
            if parent.parent is not None:
                continue
            trade, industry, region, form = (
                parent.trade,
                parent.industry,
                parent.region,
                parent.form,
            )
            branch = rng.choice(BRANCHES)
        elif out and roll < 0.20:  # same 字号, other trade: a sister company, not the same one
            sister = rng.choice(out)
            trade, industry = sister.trade, rng.choice(INDUSTRIES)
            region, form, branch = sister.region, rng.choice(FORMS), ""
        else:
            trade, industry = _trade(rng), rng.choice(INDUSTRIES)
            region = rng.choices(("上海", ""), (0.85, 0.15))[0]
            form, branch = rng.choice(FORMS), ""
        style = 1 if rng.random() < 0.15 else 0
        name = _compose(region, trade, industry, form, branch, style)
        key = split_name(name).normalised
        if key in seen:
            continue
        code = uscc.generate(rng)
        if code in codes:
            continue
        seen.add(key)
        codes.add(code)
        out.append(
            SyntheticEnterprise(
                len(out) + 1,
                code,
                name,
                trade,
                industry,
                region,
                form,
                branch,
                parent.id if parent else None,
            )
        )
    return out


def unrelated_name(rng: random.Random) -> str:
    """A plausible company name built like the registry's (it may or may not collide)."""
    return _compose("上海", _trade(rng), rng.choice(INDUSTRIES), rng.choice(FORMS), "", 0)


_FULL_WIDTH = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}


def name_variant(e: SyntheticEnterprise, kind: VariantKind, rng: random.Random) -> str:
    """How another office might write e's name; every kind but "typo" keeps it the same name."""
    if kind == "bracket":
        # Region in brackets (full or half width, 【】) instead of in front, or the reverse.
        region = e.region or "上海"
        opening, closing = rng.choice((("（", "）"), ("(", ")"), ("【", "】")))
        if "（" in e.name:
            return f"{region}{e.trade}{e.industry}{e.form}{e.branch}"
        return f"{e.trade}{opening}{region}{closing}{e.industry}{e.form}{e.branch}"
    if kind == "suffix":
        other = rng.choice(
            [f for f in ("有限公司", "有限责任公司", "股份有限公司", "公司") if f != e.form]
        )
        return _compose(e.region, e.trade, e.industry, other, e.branch, 0)
    if kind == "region":
        choices = ["", "上海市", "上海市宝山区"] if e.region else ["上海市", "上海市宝山区"]
        return _compose(rng.choice(choices), e.trade, e.industry, e.form, e.branch, 0)
    if kind == "width":
        name = e.name.replace("（", "(").replace("）", ")") if rng.random() < 0.5 else e.name
        return "".join(_FULL_WIDTH.get(c, c) for c in name).replace("公司", "公司　", 1).strip()
    if kind == "punct":
        pos = rng.randrange(1, len(e.name))
        mark = rng.choice((" ", "·", "、", "-", "  "))
        return f" {e.name[:pos]}{mark}{e.name[pos:]} "
    # typo: one substitution, deletion, insertion or transposition inside trade + industry
    core = e.trade + e.industry
    pos = rng.randrange(len(core))
    op = rng.choice(("sub", "del", "ins", "swap"))
    if op == "sub":
        core = core[:pos] + rng.choice(_TYPO_CHARS.replace(core[pos], "")) + core[pos + 1 :]
    elif op == "del":
        core = core[:pos] + core[pos + 1 :]
    elif op == "ins":
        core = core[:pos] + rng.choice(_TYPO_CHARS) + core[pos:]
    else:
        pos = min(pos, len(core) - 2)
        core = core[:pos] + core[pos + 1] + core[pos] + core[pos + 2 :]
    return f"{e.region}{core}{e.form}{e.branch}"
