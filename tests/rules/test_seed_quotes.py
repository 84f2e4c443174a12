"""Policy text is law: every criterion and action clause quotes its seed verbatim."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from wagewatch.rules.registry import get_rulebook

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
NAMES = ["wendeng", "baoshan", "yingkou", "xuanen", "qingpu"]


def _squash(text: str) -> str:
    # the seeds are scanned documents: ignore white space and stray markup
    return re.sub(r"[\s*]", "", text)


@pytest.fixture(scope="module")
def seeds() -> dict[str, str]:
    if not SEEDS.is_dir():
        pytest.fail(
            f"policy documents not found at {SEEDS} (shared/ must sit beside the repository)"
        )
    return {p.name: _squash(p.read_text(encoding="utf-8")) for p in SEEDS.glob("*.txt")}


@pytest.mark.parametrize("name", NAMES)
def test_every_clause_is_quoted_verbatim_from_its_seed(name, seeds):
    rb = get_rulebook(name)
    seed = seeds[rb.seed["file"]]
    quotes = [(c.id, c.text) for c in rb.criteria]
    quotes += [(f"action:{a.task}", a.clause) for acts in rb.actions.values() for a in acts]
    missing = [(where, q) for where, q in quotes if _squash(q).lstrip("（0123456789）") not in seed]
    assert missing == []
