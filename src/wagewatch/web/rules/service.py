"""Rulebook views for pages and the API, and the level CSS generated from the colours."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from wagewatch.rules.model import Action, Rulebook
from wagewatch.web.rules.schemas import (
    ActionPublic,
    CriterionPublic,
    LevelActions,
    LevelPublic,
    ReasonPublic,
    RulebookPublic,
)

__all__ = [
    "action_public",
    "describe_rulebook",
    "level_css",
    "level_public",
    "levels_public",
    "reasons_public",
]

_UNKNOWN_COLOUR = "#6c757d"


def level_public(rb: Rulebook, code: str | None) -> LevelPublic | None:
    """The level `code` of the rulebook (None for no level; grey for a level it lacks)."""
    if code is None:
        return None
    for lv in rb.levels:
        if lv.code == code:
            return LevelPublic(
                code=lv.code,
                name=lv.name,
                colour=lv.colour,
                rank=lv.rank,
                description=lv.description,
            )
    return LevelPublic(code=code, name=code, colour=_UNKNOWN_COLOUR, rank=-1)


def levels_public(rb: Rulebook) -> list[LevelPublic]:
    """Every level, lowest first."""
    return [lv for lv in (level_public(rb, x.code) for x in rb.levels) if lv is not None]


def reasons_public(rb: Rulebook, reasons: Iterable[Mapping[str, Any]]) -> list[ReasonPublic]:
    """Stored reasons with the condition and reading of the criterion they name."""
    by_id = {c.id: c for c in rb.criteria}
    out = []
    for r in reasons:
        crit = by_id.get(str(r.get("criterion", "")))
        out.append(
            ReasonPublic(
                criterion=str(r.get("criterion", "")),
                text=str(r.get("text", "")),
                condition=crit.condition.source if crit else "",
                reading=crit.reading if crit else "",
            )
        )
    return out


def _due(action: Action) -> str:
    parts = []
    if action.due_hours is not None:
        hours = action.due_hours
        if hours >= 24 and hours % 24 == 0:
            parts.append(f"{int(hours // 24)} 日内")
        else:
            parts.append(f"{hours:g} 小时内")
    if action.due_working_days is not None:
        parts.append(f"{action.due_working_days} 个工作日内")
    if action.recurrence:
        parts.append(action.recurrence)
    return "；".join(parts) or "—"


def action_public(action: Action) -> ActionPublic:
    """A disposal step for display."""
    return ActionPublic(
        task=action.task,
        assignee=action.assignee,
        office=action.office,
        clause=action.clause,
        due=_due(action),
        due_hours=action.due_hours,
        due_working_days=action.due_working_days,
        recurrence=action.recurrence,
        note=action.note,
    )


def describe_rulebook(rb: Rulebook) -> RulebookPublic:
    """The whole rulebook for the rules page and `/api/v1/rulebook`."""
    names = {lv.code: lv.name for lv in rb.levels}
    actions = [
        LevelActions(
            level=code,
            level_name=names.get(code, "各级通用" if code == "any" else code),
            actions=[action_public(a) for a in acts],
        )
        for code, acts in rb.actions.items()
    ]
    order = {lv.code: lv.rank for lv in rb.levels}
    actions.sort(key=lambda la: -order.get(la.level, -1))
    return RulebookPublic(
        name=rb.name,
        title=rb.title,
        jurisdiction=rb.jurisdiction,
        version=rb.version,
        subject=rb.subject,
        seed_document=str(rb.seed.get("document", "")),
        seed_clause=str(rb.seed.get("clause", "")),
        notes=rb.notes,
        levels=levels_public(rb),
        criteria=[
            CriterionPublic(
                id=c.id,
                level=c.level,
                level_name=names.get(c.level, c.level),
                condition=c.condition.source,
                text=c.text,
                reading=c.reading,
                manual=c.manual,
            )
            for c in sorted(rb.criteria, key=lambda c: (-order.get(c.level, -1), c.id))
        ],
        actions=actions,
    )


def _foreground(colour: str) -> str:
    hexa = colour.lstrip("#")
    if len(hexa) == 3:
        hexa = "".join(ch * 2 for ch in hexa)
    try:
        r, g, b = (int(hexa[i : i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        return "#ffffff"
    luminance = 0.299 * r + 0.587 * g + 0.114 * b
    return "#212529" if luminance > 160 else "#ffffff"


def level_css(rb: Rulebook) -> str:
    """CSS classes `lv-<code>` with the level colours (no inline styles under the CSP)."""
    lines = [f".lv-none{{--lv-bg:{_UNKNOWN_COLOUR};--lv-fg:#ffffff}}"]
    for lv in rb.levels:
        code = "".join(ch for ch in lv.code if ch.isalnum() or ch in "-_")
        colour = lv.colour if lv.colour.startswith("#") else _UNKNOWN_COLOUR
        lines.append(f".lv-{code}{{--lv-bg:{colour};--lv-fg:{_foreground(colour)}}}")
    return "\n".join(lines) + "\n"
