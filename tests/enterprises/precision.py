"""A synthetic registry, the rows offices would send about it, and the truth for each row."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from wagewatch.enterprises import uscc
from wagewatch.enterprises.matching import Resolver
from wagewatch.enterprises.names import split_name
from wagewatch.enterprises.synthetic import (
    BRANCHES,
    INDUSTRIES,
    TRADE_CHARS,
    VARIANT_KINDS,
    SyntheticEnterprise,
    name_variant,
    synthetic_registry,
    unrelated_name,
)


@dataclass(frozen=True)
class Row:
    kind: str
    code: str | None
    name: str | None
    truth: int | None  # the enterprise meant, or None when it is not in the registry


@dataclass
class Outcome:
    by_kind: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    wrong: list[tuple[Row, object, str]] = field(default_factory=list)

    def share(self, kind: str, method: str) -> float:
        counts = self.by_kind[kind]
        return counts[method] / sum(counts.values())


def _outsiders(e: SyntheticEnterprise, rng: random.Random) -> dict[str, str]:
    """Names of enterprises that are NOT e but look like it (near-namesakes)."""
    trade = list(e.trade)
    k = rng.randrange(len(trade))
    trade[k] = rng.choice(TRADE_CHARS.replace(trade[k], ""))
    other_trade = "".join(trade)
    longer_trade = e.trade + rng.choice(TRADE_CHARS)
    other_industry = rng.choice([i for i in INDUSTRIES if i != e.industry])
    out = {
        "other_trade": f"{e.region}{other_trade}{e.industry}{e.form}{e.branch}",
        "longer_trade": f"{e.region}{longer_trade}{e.industry}{e.form}{e.branch}",
        "sister": f"{e.region}{e.trade}{other_industry}{e.form}{e.branch}",
        "other_branch": f"{e.region}{e.trade}{e.industry}{e.form}"
        + rng.choice([b for b in BRANCHES if b != e.branch]),
        "unrelated": unrelated_name(rng),
    }
    if e.region:
        out["other_region"] = f"北京{e.trade}{e.industry}{e.form}{e.branch}"
    if len(e.industry) >= 4:
        out["shorter_industry"] = f"{e.region}{e.trade}{e.industry[2:]}{e.form}{e.branch}"
    if e.branch:
        out["parent_only"] = f"{e.region}{e.trade}{e.industry}{e.form}"
    return out


def build(n: int, seed: int) -> tuple[list[SyntheticEnterprise], list[Row]]:
    """A registry of n enterprises and rows about them and about near-namesakes outside it."""
    rng = random.Random(seed)
    registry = synthetic_registry(n, rng)
    known = {split_name(e.name).normalised for e in registry}
    by_norm = {split_name(e.name).normalised: e.id for e in registry}
    rows: list[Row] = []
    for e in registry:
        for kind in VARIANT_KINDS:
            name = name_variant(e, kind, rng)
            if kind == "typo" and split_name(name).normalised in known:
                continue  # the typo spelt another registered name: not a typo any more
            rows.append(Row(kind, None, name, e.id))
        other = rng.choice(registry)
        rows.append(Row("code", e.code, name_variant(e, "suffix", rng), e.id))
        rows.append(Row("code_lowercase", " " + e.code.lower(), None, e.id))
        if other.id != e.id:
            rows.append(Row("code_conflict", other.code, e.name, None))
        bad = e.code[:12] + ("A" if e.code[12] != "A" else "B") + e.code[13:]
        rows.append(Row("bad_code+name", bad, e.name, e.id))
        for kind, name in _outsiders(e, rng).items():
            norm = split_name(name).normalised
            if norm in known:  # it exists after all: then it is that enterprise
                if kind in ("parent_only", "other_branch"):
                    rows.append(Row(kind + "_registered", None, name, by_norm[norm]))
                continue
            rows.append(Row(kind, None, name, None))
            rows.append(Row(kind + "+new_code", uscc.generate(rng), name, None))
    return registry, rows


def evaluate(resolver: Resolver, rows: list[Row]) -> Outcome:
    """Resolve every row and record, per kind, the methods used and every wrong match."""
    outcome = Outcome()
    results = resolver.resolve_many([r.code for r in rows], [r.name for r in rows])
    for row, res in zip(rows, results, strict=True):
        outcome.by_kind[row.kind][res.method] += 1
        if res.enterprise_id is not None and res.enterprise_id != row.truth:
            outcome.wrong.append((row, res.enterprise_id, res.reason))
    return outcome
