"""The condition language of rulebooks: parse once, type-check, evaluate two ways.

A condition is a small expression over fact names and rulebook parameters:
comparisons (`<`, `<=`, `>`, `>=`, `==`, `!=`, chained as in `10 <= x <= 30`),
`and` / `or` / `not`, parentheses, numbers, `true` / `false` and quoted strings.
Python's tokenizer and parser read the text (so precedence is the familiar one), but the
tree is walked by this module only: no `eval`, no attribute access, no calls (the derived
fact definitions alone may use `max(...)`), no subscripts.

One parsed condition compiles to a per-record evaluator (`evaluate`) and to an ibis
expression (`to_ibis`); the property tests check that the two always agree.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import reduce
from typing import TYPE_CHECKING, Any, Literal, Union

from wagewatch.rules.vocabulary import FACTS

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = [
    "BoolOp",
    "Compare",
    "Condition",
    "ConditionError",
    "Const",
    "Max",
    "Name",
    "Node",
    "Not",
    "Value",
    "parse_condition",
]

Value = int | float | bool | str
ValueType = Literal["num", "bool", "str"]


class ConditionError(ValueError):
    """A condition that cannot be parsed or type-checked; `col` is 0-based in the text."""

    def __init__(self, message: str, col: int | None = None, token: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.col = col
        self.token = token

    def __str__(self) -> str:
        where = f"（第 {self.col + 1} 个字符" if self.col is not None else ""
        tok = f"，“{self.token}”" if self.token else ""
        close = "）" if where else ""
        return f"{self.message}{where}{tok}{close}"


@dataclass(frozen=True)
class Name:
    """A fact or a parameter."""

    name: str
    is_param: bool


@dataclass(frozen=True)
class Const:
    """A literal number, boolean or string."""

    value: Value


@dataclass(frozen=True)
class Compare:
    """A (possibly chained) comparison: operands[0] ops[0] operands[1] ops[1] ..."""

    ops: tuple[str, ...]
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class BoolOp:
    """`and` / `or` over two or more operands."""

    op: Literal["and", "or"]
    values: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    """Logical negation."""

    operand: Node


@dataclass(frozen=True)
class Max:
    """The largest of numeric operands (derived-fact definitions only)."""

    args: tuple[Node, ...]


Node = Union[Name, Const, Compare, BoolOp, Not, Max]  # noqa: UP007 (recursive alias)

_CMP_OPS: dict[type[ast.cmpop], str] = {
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Eq: "==",
    ast.NotEq: "!=",
}
_PY_CMP: dict[str, Callable[[Any, Any], Any]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}
_FACT_TYPE: dict[str, ValueType] = {"int": "num", "number": "num", "bool": "bool", "str": "str"}


@dataclass(frozen=True)
class Condition:
    """A parsed, type-checked condition with its source text."""

    source: str
    root: Node

    def names(self) -> frozenset[str]:
        """Every fact and parameter name the condition reads."""
        out: set[str] = set()

        def walk(n: Node) -> None:
            if isinstance(n, Name):
                out.add(n.name)
            elif isinstance(n, Compare):
                for o in n.operands:
                    walk(o)
            elif isinstance(n, BoolOp):
                for v in n.values:
                    walk(v)
            elif isinstance(n, Max):
                for a in n.args:
                    walk(a)
            elif isinstance(n, Not):
                walk(n.operand)

        walk(self.root)
        return frozenset(out)

    def evaluate(self, facts: Mapping[str, Value], params: Mapping[str, Value]) -> Value:
        """Evaluate on one record (facts already normalised, see `derived.facts_for_record`)."""
        return _eval(self.root, facts, params)

    def to_ibis(self, table: ir.Table, params: Mapping[str, Value]) -> ir.Value:
        """Compile to an ibis expression over a table whose columns are the facts."""
        return _to_ibis(self.root, table, params)


def parse_condition(
    source: str,
    params: Mapping[str, Value] | None = None,
    *,
    allow_max: bool = False,
    want: ValueType = "bool",
) -> Condition:
    """Parse and type-check a condition; raise `ConditionError` naming the offending token."""
    params = dict(params or {})
    text = source.strip()
    if not text:
        raise ConditionError("条件为空")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        col = (exc.offset or 1) - 1
        token = text[col : col + 8].split(" ")[0] if col < len(text) else None
        raise ConditionError("语法错误", col, token) from None
    root = _convert(tree.body, text, params, allow_max)
    got = _type_of(root, params, text)
    if got != want:
        expected = {"bool": "真/假", "num": "数值", "str": "字符串"}[want]
        raise ConditionError(f"条件的结果应为{expected}，而不是{_TYPE_CN[got]}")
    return Condition(source=text, root=root)


_TYPE_CN: dict[ValueType, str] = {"num": "数值", "bool": "真/假", "str": "字符串"}


def _token(node: ast.AST, text: str) -> str:
    seg = ast.get_source_segment(text, node)
    return seg if seg is not None else type(node).__name__


def _col(node: ast.AST) -> int | None:
    return getattr(node, "col_offset", None)


def _convert(node: ast.expr, text: str, params: Mapping[str, Value], allow_max: bool) -> Node:
    if isinstance(node, ast.BoolOp):
        op: Literal["and", "or"] = "and" if isinstance(node.op, ast.And) else "or"
        return BoolOp(op, tuple(_convert(v, text, params, allow_max) for v in node.values))
    if isinstance(node, ast.UnaryOp):
        if isinstance(node.op, ast.Not):
            return Not(_convert(node.operand, text, params, allow_max))
        if isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant):
            inner = node.operand.value
            if isinstance(inner, int | float) and not isinstance(inner, bool):
                return Const(-inner)
        raise ConditionError("不支持的运算符", _col(node), _token(node, text))
    if isinstance(node, ast.Compare):
        ops: list[str] = []
        for o in node.ops:
            sym = _CMP_OPS.get(type(o))
            if sym is None:
                raise ConditionError("不支持的比较运算（只能用 < <= > >= == !=）", _col(node))
            ops.append(sym)
        operands = (node.left, *node.comparators)
        return Compare(tuple(ops), tuple(_convert(o, text, params, allow_max) for o in operands))
    if isinstance(node, ast.Name):
        if node.id in ("true", "True"):
            return Const(True)
        if node.id in ("false", "False"):
            return Const(False)
        if node.id in FACTS:
            return Name(node.id, is_param=False)
        if node.id in params:
            return Name(node.id, is_param=True)
        raise ConditionError("未知的事实或参数名", _col(node), node.id)
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool | int | float | str):
            return Const(node.value)
        raise ConditionError("不支持的常量", _col(node), _token(node, text))
    if isinstance(node, ast.Call):
        if allow_max and isinstance(node.func, ast.Name) and node.func.id == "max":
            if node.keywords or len(node.args) < 2:
                raise ConditionError("max() 至少需要两个参数", _col(node), "max")
            return Max(tuple(_convert(a, text, params, allow_max) for a in node.args))
        raise ConditionError("条件中不允许调用函数", _col(node), _token(node, text))
    if isinstance(node, ast.Attribute):
        raise ConditionError("条件中不允许访问属性", _col(node), _token(node, text))
    raise ConditionError("不支持的表达式", _col(node), _token(node, text))


def _value_type(v: Value) -> ValueType:
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, str):
        return "str"
    return "num"


def _type_of(node: Node, params: Mapping[str, Value], text: str) -> ValueType:
    if isinstance(node, Const):
        return _value_type(node.value)
    if isinstance(node, Name):
        if node.is_param:
            return _value_type(params[node.name])
        return _FACT_TYPE[FACTS[node.name].type]
    if isinstance(node, Not):
        if _type_of(node.operand, params, text) != "bool":
            raise ConditionError("not 只能用于真/假值", None, _describe(node.operand))
        return "bool"
    if isinstance(node, BoolOp):
        for v in node.values:
            if _type_of(v, params, text) != "bool":
                raise ConditionError(
                    f"{node.op} 的每一项都应为真/假（数值请写成比较，如 x > 0）",
                    None,
                    _describe(v),
                )
        return "bool"
    if isinstance(node, Max):
        for a in node.args:
            if _type_of(a, params, text) != "num":
                raise ConditionError("max() 的参数应为数值", None, _describe(a))
        return "num"
    types = [_type_of(o, params, text) for o in node.operands]
    for i, op in enumerate(node.ops):
        left, right = types[i], types[i + 1]
        if left != right:
            raise ConditionError(
                f"不能比较{_TYPE_CN[left]}与{_TYPE_CN[right]}",
                None,
                f"{_describe(node.operands[i])} {op} {_describe(node.operands[i + 1])}",
            )
        if left != "num" and op not in ("==", "!="):
            raise ConditionError(f"{_TYPE_CN[left]}只能用 == 或 != 比较", None, op)
    return "bool"


def _describe(node: Node) -> str:
    if isinstance(node, Name):
        return node.name
    if isinstance(node, Const):
        return repr(node.value)
    return type(node).__name__


def _eval(node: Node, facts: Mapping[str, Value], params: Mapping[str, Value]) -> Value:
    if isinstance(node, Const):
        return node.value
    if isinstance(node, Name):
        return params[node.name] if node.is_param else facts[node.name]
    if isinstance(node, Not):
        return not _eval(node.operand, facts, params)
    if isinstance(node, BoolOp):
        if node.op == "and":
            return all(_eval(v, facts, params) for v in node.values)
        return any(_eval(v, facts, params) for v in node.values)
    if isinstance(node, Max):
        nums = [_eval(a, facts, params) for a in node.args]
        return max(float(n) for n in nums)
    values = [_eval(o, facts, params) for o in node.operands]
    return all(_PY_CMP[op](values[i], values[i + 1]) for i, op in enumerate(node.ops))


def _to_ibis(node: Node, t: ir.Table, params: Mapping[str, Value]) -> ir.Value:
    import ibis

    if isinstance(node, Const):
        return ibis.literal(node.value)
    if isinstance(node, Name):
        if node.is_param:
            return ibis.literal(params[node.name])
        return t[node.name]
    if isinstance(node, Not):
        return ~_to_ibis(node.operand, t, params)
    if isinstance(node, BoolOp):
        parts = [_to_ibis(v, t, params) for v in node.values]
        if node.op == "and":
            return reduce(operator.and_, parts)
        return reduce(operator.or_, parts)
    if isinstance(node, Max):
        args = [_to_ibis(a, t, params).cast("float64") for a in node.args]
        return ibis.greatest(*args)
    vals = [_to_ibis(o, t, params) for o in node.operands]
    pairs = [_PY_CMP[op](vals[i], vals[i + 1]) for i, op in enumerate(node.ops)]
    return reduce(operator.and_, pairs)
