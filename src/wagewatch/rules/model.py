"""Rulebooks as data: the YAML model, its loader and its checker.

A rulebook file names its seed document, lists its levels (lowest first), its parameters,
its criteria (each quoting the seed clause as `text`, with a condition in `when`) and the
disposal actions per level. Every problem in a file is reported at once, each with the file
and line it is on.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from wagewatch.rules.condition import Condition, ConditionError, Value, parse_condition

__all__ = [
    "Action",
    "Criterion",
    "Level",
    "Problem",
    "Rulebook",
    "RulebookError",
    "check_rulebook_file",
    "load_rulebook_file",
    "parse_rulebook",
]

_ID_RE = re.compile(r"^(?P<level>[a-z][a-z0-9_]*)\.(?P<item>[0-9]+|manual)$")
_OFFICES = {
    "unit_head",
    "principal_leader",
    "labour_bureau",
    "inspection",
    "labour_relations",
    "township",
    "industry_authority",
    "joint_meeting_office",
    "upper_joint_meeting_office",
    "government",
    "party_committee",
    "politics_law_committee",
    "petition_office",
    "arbitration",
    "employment_centre",
    "township_tripartite",
    "county_tripartite",
    "upper_tripartite",
    "police",
    "court",
    "leader",
    "bureau_office",
}


@dataclass(frozen=True)
class Problem:
    """One problem in a rulebook file, with where it is."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class RulebookError(ValueError):
    """A rulebook file with one or more problems."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Level:
    """A warning level: code, Chinese name, display colour and rank (0 = lowest)."""

    code: str
    name: str
    colour: str
    rank: int
    description: str = ""


@dataclass(frozen=True)
class Criterion:
    """One numbered item of the seed: when its condition holds, its level fires."""

    id: str
    level: str
    text: str
    condition: Condition
    reading: str = ""
    manual: bool = False


@dataclass(frozen=True)
class Action:
    """A disposal step the rulebook sets for a level, with its deadline and clause."""

    task: str
    assignee: str
    office: str
    clause: str
    due_hours: float | None = None
    due_working_days: int | None = None
    recurrence: str | None = None
    note: str = ""
    # Calendar days as the seed writes them (30日); due_hours carries the same span in hours.
    due_days: int | None = None
    # The step whose office leads the case (属地、行业主管或执法) at this level.
    lead: bool = False

    def to_contract(self) -> dict[str, object]:
        """The action as `wagewatch grade` prints it."""
        out: dict[str, object] = {"task": self.task, "assignee": self.assignee}
        if self.due_hours is not None:
            out["due_hours"] = (
                int(self.due_hours) if self.due_hours.is_integer() else self.due_hours
            )
        if self.due_working_days is not None:
            out["due_working_days"] = self.due_working_days
        if self.recurrence:
            out["recurrence"] = self.recurrence
        out["office"] = self.office
        out["clause"] = self.clause
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class Rulebook:
    """A jurisdiction's rulebook: levels, parameters, criteria and disposal actions."""

    name: str
    title: str
    jurisdiction: str
    seed: Mapping[str, str]
    subject: str
    levels: tuple[Level, ...]
    parameters: Mapping[str, Value]
    parameter_texts: Mapping[str, str]
    criteria: tuple[Criterion, ...]
    actions: Mapping[str, tuple[Action, ...]]
    version: str
    path: str
    notes: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)

    def level(self, code: str) -> Level:
        """The level with this code."""
        for lv in self.levels:
            if lv.code == code:
                return lv
        raise KeyError(code)

    def fact_names(self) -> frozenset[str]:
        """Every fact the criteria read, with what the derived facts they use read."""
        from wagewatch.rules.derived import DERIVED

        names: set[str] = set()
        todo = [n for c in self.criteria for n in c.condition.names() if n not in self.parameters]
        while todo:
            name = todo.pop()
            if name in names:
                continue
            names.add(name)
            if name in DERIVED:
                todo.extend(DERIVED[name].names())
        return frozenset(names)

    def actions_for(self, level: str | None) -> tuple[Action, ...]:
        """Every action at this level, including those set for any level."""
        if level is None:
            return ()
        return tuple(self.actions.get(level, ())) + tuple(self.actions.get("any", ()))

    def with_params(self, overrides: Mapping[str, Value]) -> dict[str, Value]:
        """The parameter values with overrides applied (unknown names are an error)."""
        unknown = sorted(set(overrides) - set(self.parameters))
        if unknown:
            raise KeyError("未知参数：" + "、".join(unknown))
        merged = dict(self.parameters)
        for k, v in overrides.items():
            if type(v) is not type(self.parameters[k]) and not (
                isinstance(v, int | float) and isinstance(self.parameters[k], int | float)
            ):
                raise KeyError(f"参数 {k} 类型不符")
            merged[k] = v
        return merged


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that remembers the line of each mapping key."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping: dict[str, Any] = {
        str(k): v for k, v in loader.construct_mapping(node, deep=True).items()
    }
    lines = {str(k.value): k.start_mark.line + 1 for k, _ in node.value}
    mapping["__line__"] = node.start_mark.line + 1
    mapping["__lines__"] = lines
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _line(m: Mapping[str, Any], key: str | None = None) -> int | None:
    if key is not None:
        lines = m.get("__lines__", {})
        if key in lines:
            return int(lines[key])
    line = m.get("__line__")
    return int(line) if line is not None else None


def load_rulebook_file(path: str | Path) -> Rulebook:
    """Load a rulebook file; raise `RulebookError` listing every problem."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise RulebookError([Problem(str(p), None, f"无法读取文件：{exc.strerror}")]) from None
    rulebook, problems = parse_rulebook(data, str(p))
    if problems or rulebook is None:
        raise RulebookError(problems)
    return rulebook


def check_rulebook_file(path: str | Path) -> list[Problem]:
    """Every problem of a rulebook file (empty when it is sound)."""
    try:
        load_rulebook_file(path)
    except RulebookError as exc:
        return exc.problems
    return []


def _str(m: Mapping[str, Any], key: str, problems: list[Problem], file: str) -> str:
    v = m.get(key)
    if not isinstance(v, str) or not v.strip():
        problems.append(Problem(file, _line(m, key), f"缺少或无效的字段 {key}（应为非空文本）"))
        return ""
    return v.strip()


def parse_rulebook(data: bytes, file: str) -> tuple[Rulebook | None, list[Problem]]:
    """Parse rulebook YAML bytes; return the rulebook (or None) and every problem found."""
    problems: list[Problem] = []
    try:
        doc = yaml.load(data.decode("utf-8"), Loader=_LineLoader)  # noqa: S506 (SafeLoader)
    except UnicodeDecodeError:
        return None, [Problem(file, None, "文件不是 UTF-8 编码")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        return None, [Problem(file, line, f"YAML 语法错误：{getattr(exc, 'problem', exc)}")]
    if not isinstance(doc, dict):
        return None, [Problem(file, None, "规则文件应为一个映射（name、levels、criteria …）")]

    name = _str(doc, "name", problems, file)
    title = _str(doc, "title", problems, file)
    jurisdiction = _str(doc, "jurisdiction", problems, file)
    subject = doc.get("subject", "enterprise")
    if subject not in ("enterprise", "cluster"):
        problems.append(
            Problem(file, _line(doc, "subject"), "subject 只能是 enterprise 或 cluster")
        )
    seed_raw = doc.get("seed")
    seed: dict[str, str] = {}
    if not isinstance(seed_raw, dict) or not seed_raw.get("document"):
        problems.append(Problem(file, _line(doc, "seed"), "缺少 seed.document（所依据的政策文件）"))
    else:
        seed = {k: str(v) for k, v in seed_raw.items() if not k.startswith("__")}

    levels = _parse_levels(doc, problems, file)
    level_codes = {lv.code for lv in levels}
    params, param_texts = _parse_params(doc, problems, file)
    criteria = _parse_criteria(doc, levels, params, problems, file)
    actions = _parse_actions(doc, level_codes, problems, file)

    reached = {c.level for c in criteria if not c.manual}
    for lv in levels:
        if lv.code not in reached:
            problems.append(
                Problem(file, _line(doc, "levels"), f"等级 {lv.code} 没有任何判定条件，无法达到")
            )
    if problems:
        return None, problems
    version = hashlib.sha256(data).hexdigest()[:12]
    extra = {k: v for k, v in doc.items() if k in ("campaign", "routing", "forms")}
    return (
        Rulebook(
            name=name,
            title=title,
            jurisdiction=jurisdiction,
            seed=seed,
            subject=str(subject),
            levels=tuple(levels),
            parameters=params,
            parameter_texts=param_texts,
            criteria=tuple(criteria),
            actions=actions,
            version=version,
            path=file,
            notes=str(doc.get("notes", "")).strip(),
            extra=_strip_lines(extra),
        ),
        [],
    )


def _strip_lines(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _strip_lines(x) for k, x in v.items() if not str(k).startswith("__")}
    if isinstance(v, list):
        return [_strip_lines(x) for x in v]
    return v


def _parse_levels(doc: Mapping[str, Any], problems: list[Problem], file: str) -> list[Level]:
    raw = doc.get("levels")
    if not isinstance(raw, list) or not raw:
        problems.append(Problem(file, _line(doc, "levels"), "缺少 levels（由低到高的等级列表）"))
        return []
    out: list[Level] = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            problems.append(Problem(file, _line(doc, "levels"), f"第 {i + 1} 个等级应为映射"))
            continue
        code = _str(item, "code", problems, file)
        lname = _str(item, "name", problems, file)
        if code and not re.fullmatch(r"[a-z][a-z0-9_]*", code):
            problems.append(
                Problem(file, _line(item, "code"), f"等级代码 {code} 只能用小写字母、数字和下划线")
            )
        if code in seen:
            problems.append(Problem(file, _line(item, "code"), f"等级代码重复：{code}"))
        seen.add(code)
        out.append(
            Level(
                code=code,
                name=lname,
                colour=str(item.get("colour", "#888888")),
                rank=i,
                description=str(item.get("description", "")).strip(),
            )
        )
    return out


def _parse_params(
    doc: Mapping[str, Any], problems: list[Problem], file: str
) -> tuple[dict[str, Value], dict[str, str]]:
    raw = doc.get("parameters") or {}
    params: dict[str, Value] = {}
    texts: dict[str, str] = {}
    if not isinstance(raw, dict):
        problems.append(Problem(file, _line(doc, "parameters"), "parameters 应为映射"))
        return params, texts
    from wagewatch.rules.vocabulary import FACTS

    for key, spec in raw.items():
        if key.startswith("__"):
            continue
        line = _line(raw, key)
        if key in FACTS:
            problems.append(Problem(file, line, f"参数名 {key} 与事实名重名"))
            continue
        default = spec.get("default") if isinstance(spec, dict) else spec
        if not isinstance(default, bool | int | float | str):
            problems.append(Problem(file, line, f"参数 {key} 缺少默认值 default"))
            continue
        params[key] = default
        texts[key] = str(spec.get("text", "")) if isinstance(spec, dict) else ""
    return params, texts


def _parse_criteria(
    doc: Mapping[str, Any],
    levels: list[Level],
    params: Mapping[str, Value],
    problems: list[Problem],
    file: str,
) -> list[Criterion]:
    raw = doc.get("criteria")
    codes = {lv.code for lv in levels}
    out: list[Criterion] = []
    if not isinstance(raw, list) or not raw:
        problems.append(Problem(file, _line(doc, "criteria"), "缺少 criteria（判定条件列表）"))
        return out
    seen: set[str] = set()
    for item in raw:
        if not isinstance(item, dict):
            problems.append(
                Problem(file, _line(doc, "criteria"), "每个判定条件应为映射（id、text、when）")
            )
            continue
        cid = _str(item, "id", problems, file)
        text = _str(item, "text", problems, file)
        when = item.get("when")
        m = _ID_RE.match(cid) if cid else None
        if cid and m is None:
            problems.append(
                Problem(file, _line(item, "id"), f"条件编号 {cid} 应为“等级.序号”，如 red.1")
            )
        elif m is not None:
            if m["level"] not in codes:
                problems.append(
                    Problem(file, _line(item, "id"), f"条件 {cid} 指向未知等级 {m['level']}")
                )
            if m["item"] == "manual":
                problems.append(
                    Problem(
                        file, _line(item, "id"), f"{cid}：研判条件由 manual 段自动生成，不要手写"
                    )
                )
        if cid in seen:
            problems.append(Problem(file, _line(item, "id"), f"条件编号重复：{cid}"))
        seen.add(cid)
        if not isinstance(when, str):
            problems.append(
                Problem(file, _line(item, "when") or _line(item), f"条件 {cid} 缺少 when")
            )
            continue
        try:
            cond = parse_condition(when, params)
        except ConditionError as exc:
            problems.append(Problem(file, _line(item, "when"), f"条件 {cid} 的 when 有误：{exc}"))
            continue
        if m is not None and m["level"] in codes:
            out.append(
                Criterion(
                    id=cid,
                    level=m["level"],
                    text=text,
                    condition=cond,
                    reading=str(item.get("reading", "")).strip(),
                )
            )
    manual = doc.get("manual")
    if not isinstance(manual, dict):
        problems.append(
            Problem(
                file,
                _line(doc, "manual"),
                "缺少 manual（每个等级的研判条款原文，用于 <等级>.manual）",
            )
        )
        return out
    for lv in levels:
        mtext = manual.get(lv.code)
        if not isinstance(mtext, str) or not mtext.strip():
            problems.append(
                Problem(file, _line(manual), f"manual 缺少等级 {lv.code} 的研判条款原文")
            )
            continue
        out.append(
            Criterion(
                id=f"{lv.code}.manual",
                level=lv.code,
                text=mtext.strip(),
                condition=parse_condition(f"manual_level == {lv.code!r}"),
                manual=True,
            )
        )
    for key in manual:
        if not key.startswith("__") and key not in codes:
            problems.append(
                Problem(file, _line(manual, key), f"manual 中的 {key} 不是本规则的等级")
            )
    return out


def _parse_actions(
    doc: Mapping[str, Any], codes: set[str], problems: list[Problem], file: str
) -> dict[str, tuple[Action, ...]]:
    raw = doc.get("actions") or {}
    out: dict[str, tuple[Action, ...]] = {}
    if not isinstance(raw, dict):
        problems.append(
            Problem(file, _line(doc, "actions"), "actions 应为“等级: 处置步骤列表”的映射")
        )
        return out
    for key, items in raw.items():
        if key.startswith("__"):
            continue
        if key != "any" and key not in codes:
            problems.append(Problem(file, _line(raw, key), f"actions 中的 {key} 不是本规则的等级"))
            continue
        acts: list[Action] = []
        for item in items or []:
            if not isinstance(item, dict):
                problems.append(Problem(file, _line(raw, key), "处置步骤应为映射"))
                continue
            task = _str(item, "task", problems, file)
            assignee = _str(item, "assignee", problems, file)
            clause = _str(item, "clause", problems, file)
            office = str(item.get("office", ""))
            if office not in _OFFICES:
                problems.append(
                    Problem(file, _line(item, "office"), f"未知的承办机构代码 office: {office!r}")
                )
            hours = item.get("due_hours")
            days = item.get("due_days")
            wdays = item.get("due_working_days")
            if sum(x is not None for x in (hours, days, wdays)) > 1:
                problems.append(
                    Problem(file, _line(item), "due_hours、due_days、due_working_days 只能写一个")
                )
            due_hours: float | None = None
            if hours is not None:
                due_hours = float(hours)
            elif days is not None:
                due_hours = float(days) * 24  # calendar days: 30日 → 720 h
            acts.append(
                Action(
                    task=task,
                    assignee=assignee,
                    office=office,
                    clause=clause,
                    due_hours=due_hours,
                    due_working_days=int(wdays) if wdays is not None else None,
                    recurrence=str(item["recurrence"]) if item.get("recurrence") else None,
                    note=str(item.get("note", "")).strip(),
                    due_days=int(days) if days is not None else None,
                    lead=bool(item.get("lead", False)),
                )
            )
        leads = [a for a in acts if a.lead]
        if key == "any" and leads:
            problems.append(Problem(file, _line(raw, key), "lead 只能用于某一等级的处置步骤"))
        elif len(leads) > 1:
            problems.append(Problem(file, _line(raw, key), f"{key} 等级只能有一个 lead 步骤"))
        out[key] = tuple(acts)
    return out
