"""docs/ledger.md lists every disposal step of every built-in rulebook."""

from __future__ import annotations

from pathlib import Path

import pytest

from wagewatch.rules.registry import get_rulebook

DOC = Path(__file__).resolve().parents[2] / "docs" / "ledger.md"


@pytest.mark.parametrize("name", ["wendeng", "baoshan", "yingkou", "xuanen", "qingpu"])
def test_every_disposal_step_is_in_the_ledger_doc(name: str) -> None:
    text = DOC.read_text(encoding="utf-8")
    assert f"`{name}`" in text
    for actions in get_rulebook(name).actions.values():
        for action in actions:
            assert f"| {action.task} |" in text, action.task


def test_every_level_has_a_lead_step_quoting_its_seed() -> None:
    from wagewatch.cases.routing import lead_action

    seeds = DOC.parents[2] / "shared" / "seeds"
    for name in ("wendeng", "baoshan", "yingkou", "xuanen", "qingpu"):
        rb = get_rulebook(name)
        seed = (seeds / rb.seed["file"]).read_text(encoding="utf-8")
        for level in rb.levels:
            lead = lead_action(rb, level.code)
            assert lead is not None, (name, level.code)
            assert lead.clause in seed
        routing = rb.extra.get("routing")
        if isinstance(routing, dict):
            assert str(routing["clause"]) in seed
