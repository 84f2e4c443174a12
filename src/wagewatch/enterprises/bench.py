"""Resolver throughput on a synthetic import.

`python -m wagewatch.enterprises.bench [ROWS [SHARE_NOT_VERBATIM]]`, e.g. `… 1000000 0.2`.
"""

from __future__ import annotations

import random
import sys
import time
from collections import Counter

from wagewatch.enterprises.matching import Resolution, Resolver
from wagewatch.enterprises.synthetic import name_variant, synthetic_registry, unrelated_name

__all__ = ["bench_resolver", "synthetic_import"]

# Rows by shape. Verbatim rows carry the registry's code and/or name exactly; the others are
# what the resolver has to work for: a re-spelt name (with or without the code), a misspelt
# name, and names of enterprises that are not in the registry at all.
_VERBATIM = (("code+name", 0.70), ("code", 0.10), ("name", 0.20))
_RESPELT = (("code+variant", 0.50), ("variant", 0.25), ("typo", 0.15), ("unknown", 0.10))


def synthetic_import(
    n: int, *, enterprises: int | None = None, seed: int = 0, respelt: float = 0.1
) -> tuple[list[tuple[int, str, str]], list[str | None], list[str | None]]:
    """A registry of n/10 enterprises and n (code, name) rows about it; a share respelt of the
    rows is not verbatim (half of those carry the code with a re-spelt name)."""
    rng = random.Random(seed)
    registry = synthetic_registry(enterprises or max(1_000, n // 10), rng)
    # Each office spells an enterprise its own way, but the same way every time.
    variants = [name_variant(e, rng.choice(("bracket", "suffix", "region")), rng) for e in registry]
    typos = [name_variant(e, "typo", rng) for e in registry]
    strangers = [unrelated_name(rng) for _ in range(max(10, len(registry) // 50))]
    mix = [(k, w * (1 - respelt)) for k, w in _VERBATIM] + [(k, w * respelt) for k, w in _RESPELT]
    kinds = rng.choices([k for k, _ in mix], [w for _, w in mix], k=n)
    picks = [rng.randrange(len(registry)) for _ in range(n)]
    rows: list[tuple[str | None, str | None]] = []
    for kind, i in zip(kinds, picks, strict=True):
        e = registry[i]
        row: tuple[str | None, str | None] = {
            "code+name": (e.code, e.name),
            "code+variant": (e.code, variants[i]),
            "code": (e.code, None),
            "name": (None, e.name),
            "variant": (None, variants[i]),
            "typo": (None, typos[i]),
        }.get(kind, (None, strangers[i % len(strangers)]))
        rows.append(row)
    # A reader makes a new string for every cell: no row shares an object (or a cached hash)
    # with the registry or with another row.
    codes = [None if c is None else _fresh(c) for c, _ in rows]
    names = [None if n is None else _fresh(n) for _, n in rows]
    return [(e.id, e.code, e.name) for e in registry], codes, names


def _fresh(text: str) -> str:
    return (" " + text)[1:]


def bench_resolver(n: int = 1_000_000, *, seed: int = 0, respelt: float = 0.1) -> float:
    """Rows per second of Resolver.resolve_many on n synthetic rows (registry build not counted)."""
    registry, codes, names = synthetic_import(n, seed=seed, respelt=respelt)
    resolver = Resolver(registry)
    start = time.perf_counter()
    resolver.resolve_many(codes, names)
    return n / (time.perf_counter() - start)


def _main(argv: list[str]) -> None:
    n = int(argv[0]) if argv else 1_000_000
    respelt = float(argv[1]) if len(argv) > 1 else 0.1
    registry, codes, names = synthetic_import(n, respelt=respelt)
    t0 = time.perf_counter()
    resolver = Resolver(registry)
    t1, c1 = time.perf_counter(), time.process_time()
    out: list[Resolution] = resolver.resolve_many(codes, names)
    t2, c2 = time.perf_counter(), time.process_time()
    methods = Counter(r.method for r in out)
    print(f"registry {len(registry):,} enterprises built in {t1 - t0:.2f} s")
    print(
        f"{n:,} rows ({respelt:.0%} not verbatim) resolved in {t2 - t1:.2f} s wall "
        f"({n / (t2 - t1):,.0f} rows/s), {c2 - c1:.2f} s CPU ({n / (c2 - c1):,.0f} rows/s)"
    )
    print("methods:", ", ".join(f"{m} {c / n:.1%}" for m, c in methods.most_common()))


if __name__ == "__main__":
    _main(sys.argv[1:])
