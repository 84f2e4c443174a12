"""The `wagewatch grade` contract: JSON Lines of facts in, JSON Lines of grades out.

Every line is checked before anything is graded, so a file with a bad line prints no grade
at all (nothing half-graded); each problem names its line. Good input is graded in batches
through the vectorised evaluator.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from wagewatch.rules.condition import Value
from wagewatch.rules.engine import Grade, grade_records
from wagewatch.rules.model import Rulebook
from wagewatch.rules.vocabulary import FACTS, FactValueError, check_value

__all__ = ["BATCH_SIZE", "GradeInputError", "LineError", "grade_lines", "parse_lines"]

BATCH_SIZE = 200_000


@dataclass(frozen=True)
class LineError:
    """A bad input line and what is wrong with it."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"第 {self.line} 行：{self.message}"


class GradeInputError(ValueError):
    """Input with one or more bad lines; nothing was graded."""

    def __init__(self, errors: list[LineError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


def _parse_line(
    raw: str, levels: frozenset[str], rulebook: str
) -> tuple[object, dict[str, Value]] | str:
    try:
        obj = json.loads(raw)
    except json.JSONDecodeError as exc:
        return f"不是合法的 JSON（{exc.msg}，第 {exc.colno} 列）"
    if not isinstance(obj, dict):
        return '每行应为一个 JSON 对象：{"id": …, "facts": {…}}'
    if "id" not in obj:
        return "缺少 id"
    subject_id = obj["id"]
    if not isinstance(subject_id, str | int) or isinstance(subject_id, bool):
        return "id 应为字符串或整数"
    raw_facts = obj.get("facts")
    if not isinstance(raw_facts, dict):
        return "缺少 facts 对象" if raw_facts is None else "facts 应为 JSON 对象"
    unknown = sorted(k for k in raw_facts if k not in FACTS)
    if unknown:
        return "未知事实名：" + "、".join(unknown)
    facts: dict[str, Value] = {}
    for name, value in raw_facts.items():
        try:
            facts[name] = check_value(FACTS[name], value)
        except FactValueError as exc:
            return str(exc)
    manual = facts.get("manual_level")
    if manual and manual not in levels:
        return f"manual_level “{manual}” 不是规则 {rulebook} 的等级（可用：{'、'.join(sorted(levels))}）"
    return subject_id, facts


def parse_lines(
    rb: Rulebook, lines: Iterable[str], max_errors: int = 50
) -> list[tuple[object, dict[str, Value]]]:
    """Check every line; return (id, facts) pairs or raise `GradeInputError` listing bad lines."""
    levels = frozenset(lv.code for lv in rb.levels)
    records: list[tuple[object, dict[str, Value]]] = []
    errors: list[LineError] = []
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        parsed = _parse_line(raw, levels, rb.name)
        if isinstance(parsed, str):
            if len(errors) < max_errors:
                errors.append(LineError(number, parsed))
            else:
                errors[-1] = LineError(number, f"……另有更多错误行，最后一处：{parsed}")
            continue
        records.append(parsed)
    if errors:
        raise GradeInputError(errors)
    return records


def grade_lines(
    rb: Rulebook, lines: Iterable[str], params: Mapping[str, Value] | None = None
) -> Iterator[str]:
    """Grade JSON Lines input; yield one JSON output line per input record, in input order."""
    records = parse_lines(rb, lines)
    rendered: dict[int, tuple[Grade, str]] = {}
    for start in range(0, len(records), BATCH_SIZE):
        batch = records[start : start + BATCH_SIZE]
        grades = grade_records(rb, [facts for _, facts in batch], params)
        for (subject_id, _), grade in zip(batch, grades, strict=True):
            yield _render(subject_id, grade, rendered)


def _render(subject_id: object, grade: Grade, cache: dict[int, tuple[Grade, str]]) -> str:
    # Grades are shared between rows with the same matched criteria: serialise each once.
    # The cache keeps the grade alive so its id() cannot be reused by another object.
    hit = cache.get(id(grade))
    if hit is None:
        full = json.dumps(grade.to_contract(None), ensure_ascii=False)
        hit = (grade, full[len('{"id": null') :])
        cache[id(grade)] = hit
    body = hit[1]
    return '{"id": ' + json.dumps(subject_id, ensure_ascii=False) + body
