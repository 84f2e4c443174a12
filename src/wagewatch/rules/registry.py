"""Where rulebooks come from: the built-in ones and a deployment's own.

Built-in rulebooks live in `rules/rulebooks/*.yaml`. A deployment adds its own files or
folders with `WAGEWATCH_RULEBOOK_PATH` (separated by the OS path separator); the same
registry serves both, and a deployment's file of the same name replaces the built-in one.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from wagewatch.rules.model import Problem, Rulebook, RulebookError, load_rulebook_file

__all__ = ["BUILTIN_DIR", "UnknownRulebook", "get_rulebook", "rulebook_files"]

BUILTIN_DIR = Path(__file__).parent / "rulebooks"


class UnknownRulebook(KeyError):
    """No rulebook by that name or path."""

    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__(name)
        self.name = name
        self.known = known

    def __str__(self) -> str:
        return f"未知的预警规则：{self.name}（可用：{'、'.join(self.known)}）"


def rulebook_files() -> dict[str, Path]:
    """Name → file of every rulebook available now (deployment files last, so they win)."""
    files = {p.stem: p for p in sorted(BUILTIN_DIR.glob("*.yaml"))}
    extra = os.environ.get("WAGEWATCH_RULEBOOK_PATH", "")
    for entry in filter(None, extra.split(os.pathsep)):
        p = Path(entry)
        if p.is_dir():
            files.update({q.stem: q for q in sorted(p.glob("*.yaml"))})
        elif p.suffix in (".yaml", ".yml"):
            files[p.stem] = p
    return files


@cache
def _load(path: str, mtime_ns: int) -> Rulebook:
    return load_rulebook_file(path)


def get_rulebook(name_or_path: str) -> Rulebook:
    """The rulebook with this name, or loaded from this file path."""
    files = rulebook_files()
    if name_or_path in files:
        path = files[name_or_path]
    elif name_or_path.endswith((".yaml", ".yml")):
        path = Path(name_or_path)
        if not path.is_file():
            raise RulebookError([Problem(name_or_path, None, "规则文件不存在")])
    else:
        raise UnknownRulebook(name_or_path, sorted(files))
    rb = _load(str(path), path.stat().st_mtime_ns)
    if rb.name != path.stem and str(path) in {str(p) for p in files.values()}:
        raise RulebookError(
            [Problem(str(path), None, f"文件名 {path.stem} 与 name: {rb.name} 不一致")]
        )
    return rb
