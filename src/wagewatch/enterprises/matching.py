"""Entity resolution: tie each (credit code, name) row to one registry enterprise, or to review.

Order: a code found in the registry → the exact normalised name → a fuzzy name that clears the
threshold, beats the runner-up by a clear margin, has no rival as few edits away and passes
the structural checks (same 字号, branch, numbers, region, form, no extra 行业用语) → otherwise
review with the candidates. A valid code absent from the registry, with no similar name, is
"new". Nothing is ever guessed: a code naming one enterprise and a name clearly naming another
is a conflict for review.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import repeat
from operator import itemgetter
from typing import Any, Literal, NamedTuple, TypeAlias

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from wagewatch.enterprises import uscc
from wagewatch.enterprises.names import NameParts, regions_compatible, split_name

__all__ = [
    "Candidate",
    "EnterpriseId",
    "Method",
    "Resolution",
    "Resolver",
]

EnterpriseId: TypeAlias = int | str
Method: TypeAlias = Literal["code", "code_flagged", "name", "fuzzy", "review", "new"]

_AMBIGUOUS = -1
_SEP = "\x1f"  # ASCII unit separator: joins a row's code and name into one memo key
_BIGRAM_CAP = 100  # postings longer than this are dropped from the bigram index
_POOL_MAX = 40  # names scored per leftover row, at most
_PREFIX_MAX = 2_000  # names checked for a rival before a fuzzy match, at most
_NULL_NAMES = frozenset({"无", "暂无", "不详", "未知", "空", "NAN", "NONE", "NULL", "个人"})


class Candidate(NamedTuple):
    """A registry enterprise offered for a row, with its name similarity (0-100)."""

    enterprise_id: EnterpriseId
    name: str
    score: float


class Resolution(NamedTuple):
    """The enterprise a row belongs to (or None), how it was decided and why, in Chinese.

    Resolutions are cached and shared between identical rows, hence immutable.
    """

    enterprise_id: EnterpriseId | None
    method: Method
    score: float
    candidates: tuple[Candidate, ...]
    reason: str
    problems: tuple[str, ...] = ()  # what is wrong with the row's credit code, if anything

    @property
    def needs_review(self) -> bool:
        """True when an officer must choose the enterprise (or confirm a new one)."""
        return self.method == "review"

    @property
    def matched(self) -> bool:
        """True when the row was tied to a registry enterprise automatically."""
        return self.enterprise_id is not None


@dataclass(frozen=True, slots=True)
class _Entry:
    id: EnterpriseId
    code: str | None
    name: str
    parts: NameParts | None
    code_problems: tuple[str, ...]


class _NameMatch(NamedTuple):
    kind: Literal["exact", "fuzzy", "ambiguous", "none"]
    best: int | None
    score: float
    scored: tuple[tuple[int, float], ...]
    reason: str


def _text(value: object) -> str | None:
    """A cell as stripped text, or None for empty, NaN and similar."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        value = int(value) if value.is_integer() else value
    text = str(value).strip()
    return text or None


class Resolver:
    """Resolves rows against a registry built once from (enterprise_id, code, name) triples.

    Defaults, all constructor parameters: fuzzy_threshold=85 (fuzz.ratio on normalised names;
    one wrong character scores 87.5 in an eight-character name, 83.3 in a six-character one),
    margin=5 points over the runner-up, max_edits=1 (a fuzzy match corrects one typo, never a
    missing word), min_fuzzy_length=6 normalised characters, review_floor=60 (weaker
    candidates are not listed), max_candidates=5, cache_size=500,000 distinct rows remembered
    (all forgotten at once when full). Not thread-safe: it caches.
    """

    def __init__(
        self,
        registry: Iterable[tuple[EnterpriseId, str | None, str | None]],
        *,
        fuzzy_threshold: float = 85.0,
        margin: float = 5.0,
        review_floor: float = 60.0,
        max_candidates: int = 5,
        min_fuzzy_length: int = 6,
        max_edits: int = 1,
        cache_size: int = 500_000,
    ) -> None:
        """Index the registry by code, organisation code, raw name, normalised name and 字号."""
        self.fuzzy_threshold = fuzzy_threshold
        self.margin = margin
        self.review_floor = review_floor
        self.max_candidates = max_candidates
        self.min_fuzzy_length = min_fuzzy_length
        self.max_edits = max_edits
        self.cache_size = cache_size

        self._entries: list[_Entry] = []
        self._by_code: dict[str, int] = {}
        self._by_org: dict[str, int] = {}
        self._by_raw_name: dict[str, int] = {}
        self._by_full: dict[str, list[int]] = {}
        self._by_norm: dict[str, list[int]] = {}
        self._blocks: dict[str, list[int]] = {}  # by 字号
        self._prefixes: dict[str, list[int]] = {}  # by the first two and first three characters
        self._bigrams: dict[str, list[int]] | None = None  # built on first use
        self._norms: list[str] = []  # normalised name per entry ("" when it has none)
        self._fulls: list[str] = []  # the same with region tokens
        # Every row seen, keyed by code + _SEP + name: one lookup for a repeated row.
        self._memo: dict[str, Resolution] = {}
        self._raw_names: list[str] = []  # the name as the registry spells it
        # Resolutions of a row carrying exactly the registry's code or name, made on first use.
        self._code_res: list[Resolution | None] = []
        self._name_res: list[Resolution | None] = []
        self._exact_res: dict[tuple[int, str], Resolution] = {}  # by normalised name
        self._arrow_codes: tuple[Any, Any, Any] | None = None  # built on first use

        seen: set[EnterpriseId] = set()
        for enterprise_id, raw_code, raw_name in registry:
            if enterprise_id in seen:
                raise ValueError(f"名录中企业编号重复：{enterprise_id!r}")
            seen.add(enterprise_id)
            i = len(self._entries)
            code, problems = self._registry_code(raw_code)
            name = _text(raw_name) or ""
            parts = self._parts(name)
            self._entries.append(_Entry(enterprise_id, code, name, parts, problems))
            self._norms.append(parts.normalised if parts else "")
            self._fulls.append(parts.full if parts else "")
            self._raw_names.append(name)
            self._code_res.append(None)
            self._name_res.append(None)
            if code is not None:
                _put_unique(self._by_code, code, i)
                _put_unique(self._by_org, code[8:17], i)
            if name:
                _put_unique(self._by_raw_name, name, i)
            if parts is not None:
                self._by_full.setdefault(parts.full, []).append(i)
                self._by_norm.setdefault(parts.normalised, []).append(i)
                self._blocks.setdefault(parts.trade, []).append(i)
                self._prefixes.setdefault(parts.normalised[:2], []).append(i)
                self._prefixes.setdefault(parts.normalised[:3], []).append(i)

    def __len__(self) -> int:
        """Number of enterprises in the registry."""
        return len(self._entries)

    # -- public API ---------------------------------------------------------------------------

    def resolve(self, code: object, name: object) -> Resolution:
        """Resolve one row; code and name may be None, empty or NaN."""
        return self._resolve_pairs(iter(((code, name),)))[0]

    def resolve_many(
        self, codes: Iterable[object] | None, names: Iterable[object] | None
    ) -> list[Resolution]:
        """Resolve aligned columns of codes and names (either may be None for "all missing")."""
        pairs: Iterator[tuple[object, object]]
        if codes is None and names is None:
            raise ValueError("codes 和 names 不能同时为空")
        if codes is None:
            pairs = zip(repeat(None), names or ())
        elif names is None:
            pairs = zip(codes, repeat(None))
        else:
            pairs = zip(codes, names, strict=True)

        with _gc_paused():
            return self._resolve_pairs(pairs)

    def _resolve_pairs(self, pairs: Iterator[tuple[object, object]]) -> list[Resolution]:
        # Hot loop. A row seen before (an enterprise's code and name repeat across a file)
        # costs one string concatenation and one dict lookup; a row carrying the code or the
        # name exactly as the registry spells it, two or three more. Only the rest is parsed.
        memo = self._memo
        by_code = self._by_code
        by_raw_name = self._by_raw_name
        raw_names = self._raw_names
        code_res = self._code_res
        name_res = self._name_res
        limit = self.cache_size
        slow = self._resolve_new
        out: list[Resolution] = []
        append = out.append
        for code, name in pairs:
            if type(code) is str:
                if type(name) is str:
                    key = code + _SEP + name
                elif name is None:
                    key = code + _SEP
                else:
                    append(slow(code, name, None))
                    continue
                r = memo.get(key)
                if r is None:
                    i = by_code.get(code)
                    if i is None or i < 0 or (name is not None and name != raw_names[i]):
                        append(slow(code, name, key))
                        continue
                    r = code_res[i] or self._code_resolution(i)
                    if len(memo) >= limit:
                        memo.clear()
                    memo[key] = r
            elif code is None and type(name) is str:
                key = _SEP + name
                r = memo.get(key)
                if r is None:
                    i = by_raw_name.get(name)
                    if i is None or i < 0:
                        append(slow(code, name, key))
                        continue
                    r = name_res[i] or self._name_resolution(i)
                    if len(memo) >= limit:
                        memo.clear()
                    memo[key] = r
            else:
                r = slow(code, name, None)
            append(r)
        return out

    def exact_code_rows(self, codes: Any, names: Any) -> Any:
        """Rows that carry a registry code exactly, found at Arrow speed.

        `codes` and `names` are Arrow string arrays. Returns, per row, the index of the
        registry entry (for `entry_id` and `entry_method`) or -1: -1 unless the code is one
        enterprise's code as `resolve` reads it and the name is blank or exactly the name the
        registry gives. Those rows are the ones `resolve` settles by code without looking
        further; every other row is for `resolve_many`.
        """
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        if self._arrow_codes is None:
            keys = [k for k, i in self._by_code.items() if i >= 0]
            entries = np.fromiter((self._by_code[k] for k in keys), np.int64, len(keys))
            self._arrow_codes = (
                pa.array(keys, pa.string()),
                entries,
                pa.array(self._raw_names, pa.string()),
            )
        keys_arr, entries, raw_names = self._arrow_codes
        if not len(entries):  # a registry without one usable code
            return np.full(len(codes), -1, dtype=np.int64)
        found = pc.fill_null(pc.index_in(codes, value_set=keys_arr), -1)
        at = found.to_numpy(zero_copy_only=False).astype(np.int64)
        entry = np.where(at >= 0, entries[np.maximum(at, 0)], -1)
        registered = raw_names.take(pa.array(np.maximum(entry, 0)))
        same = pc.fill_null(pc.or_kleene(pc.is_null(names), pc.equal(names, registered)), False)
        return np.where(same.to_numpy(zero_copy_only=False) & (entry >= 0), entry, -1)

    def entry_id(self, i: int) -> EnterpriseId:
        """The enterprise of registry entry `i`."""
        return self._entries[i].id

    def entry_method(self, i: int) -> Method:
        """How a row carrying entry `i`'s code exactly is matched (`code` or `code_flagged`)."""
        return "code_flagged" if self._entries[i].code_problems else "code"

    # -- registry helpers ---------------------------------------------------------------------

    @staticmethod
    def _registry_code(raw: object) -> tuple[str | None, tuple[str, ...]]:
        text = _text(raw)
        if text is None:
            return None, ()
        info = uscc.parse(text)
        if len(info.normalised) != 18:
            return None, info.problems
        return info.normalised, info.problems

    @staticmethod
    def _parts(name: str | None) -> NameParts | None:
        if not name or (len(name) < 5 and name.upper() in _NULL_NAMES):
            return None
        parts = split_name(name)
        if len(parts.body) + len(parts.branch) < 2:
            return None
        return parts

    def _candidate(self, i: int, score: float) -> Candidate:
        e = self._entries[i]
        return Candidate(e.id, e.name, score if score == 100.0 else round(score, 1))

    def _code_resolution(self, i: int) -> Resolution:
        e = self._entries[i]
        r = self._code_hit(i, e.code_problems, via_org=False)
        self._code_res[i] = r
        return r

    def _name_resolution(self, i: int) -> Resolution:
        e = self._entries[i]
        r = Resolution(e.id, "name", 100.0, (self._candidate(i, 100.0),), "名称与名录完全一致")
        self._name_res[i] = r
        return r

    # -- the decision -------------------------------------------------------------------------

    def _resolve_new(self, code: object, name: object, key: str | None) -> Resolution:
        """Resolve a row not in the memo, and remember it."""
        code_text, name_text = _text(code), _text(name)
        if key is None:
            key = (code_text or "") + _SEP + (name_text or "")
            r = self._memo.get(key)
            if r is not None:
                return r
        if len(self._memo) >= self.cache_size:
            self._memo.clear()
        r = self._memo[key] = self._resolve(code_text, name_text)
        return r

    def _code_hit(
        self,
        i: int,
        problems: tuple[str, ...],
        *,
        via_org: bool,
        similarity: float = 100.0,
        note: str = "",
    ) -> Resolution:
        e = self._entries[i]
        if via_org:
            reason = "按组织机构代码（主体标识码）与名录中的统一社会信用代码匹配"
        elif problems:
            reason = f"代码存在问题（{'；'.join(problems)}），但与名录中的代码完全一致"
        else:
            reason = "统一社会信用代码与名录一致"
        method: Method = "code_flagged" if via_org or problems else "code"
        candidates = (self._candidate(i, similarity),)
        return Resolution(e.id, method, 100.0, candidates, reason + note, problems)

    def _similarity(self, i: int, parts: NameParts | None) -> float:
        e = self._entries[i]
        if parts is None or e.parts is None:
            return 100.0
        return float(fuzz.ratio(parts.normalised, e.parts.normalised))

    def _resolve(self, code: str | None, name: str | None) -> Resolution:
        # The code as the registry spells it (give or take letter case): no parsing at all.
        if code is not None:
            i = self._by_code.get(code)
            if i is None and code.isascii():
                i = self._by_code.get(code.upper())
            if i is not None and i >= 0:
                if name is None or name == self._raw_names[i]:
                    return self._code_res[i] or self._code_resolution(i)
                problems = self._entries[i].code_problems
                return self._resolve_code_hit(i, problems, self._parts(name), via_org=False)
        elif name is not None:
            i = self._by_raw_name.get(name)
            if i is not None and i >= 0:
                return self._name_res[i] or self._name_resolution(i)
        info = uscc.parse(code) if code else None
        if info is not None and not info.normalised:
            info = None
        parts = self._parts(name)
        problems = info.problems if info is not None else ()

        hit: int | None = None
        via_org = False
        if info is not None:
            hit = self._by_code.get(info.normalised)
            if hit is None and len(info.normalised) == 9 and uscc.org_code_valid(info.normalised):
                hit = self._by_org.get(info.normalised)
                via_org = hit is not None and hit >= 0
        if hit is not None and hit >= 0:
            return self._resolve_code_hit(hit, problems, parts, via_org=via_org)

        if parts is None:
            if info is None:
                return _review("无代码也无名称，无法确定企业", ())
            if hit == _AMBIGUOUS:
                return _review("该代码在名录中对应多家企业", problems)
            if info.is_valid:
                return Resolution(None, "new", 0.0, (), "代码有效但不在名录中，且无名称", problems)
            return _review(f"代码无效（{'；'.join(problems)}），且无名称", problems)

        m = self._match_name(parts)
        if m.kind == "exact" and m.best is not None and info is None:
            key = (m.best, m.reason)
            memo = self._exact_res.get(key)
            if memo is None:
                e = self._entries[m.best]
                memo = Resolution(e.id, "name", 100.0, (self._candidate(m.best, 100.0),), m.reason)
                self._exact_res[key] = memo
            return memo
        if m.kind in ("exact", "fuzzy") and m.best is not None:
            e = self._entries[m.best]
            if info is not None and info.is_valid and e.code and e.code != info.normalised:
                return _review(
                    f"名称对应“{e.name}”，但代码{info.normalised}与其登记代码{e.code}不同",
                    problems,
                    (self._candidate(m.best, m.score),),
                )
            reason = m.reason
            if info is not None and not info.is_valid:
                reason += f"；代码有误（{'；'.join(problems)}），未采用"
            elif info is not None and hit == _AMBIGUOUS:
                reason += "；代码在名录中对应多家企业，未采用"
            elif info is not None and e.code is None:
                reason += f"；名录中该企业无代码，可补录{info.normalised}"
            method: Method = "name" if m.kind == "exact" else "fuzzy"
            candidate = self._candidate(m.best, m.score)
            return Resolution(e.id, method, candidate.score, (candidate,), reason, problems)
        candidates = tuple(self._candidate(i, s) for i, s in m.scored[: self.max_candidates])
        if candidates:
            return _review(m.reason, problems, candidates)
        if info is not None and not info.is_valid:
            return _review(f"代码无效（{'；'.join(problems)}），名录中也无相近名称", problems)
        if hit == _AMBIGUOUS:
            return _review("该代码在名录中对应多家企业，名录中也无相近名称", problems)
        if info is None:
            # Without a code there is nothing to register a new enterprise under.
            return _review("名录中无相近名称，可能是名录外企业，需人工确认", problems)
        return Resolution(
            None, "new", 0.0, (), "代码有效但不在名录中，名录中也无相近名称", problems
        )

    def _resolve_code_hit(
        self, i: int, problems: tuple[str, ...], parts: NameParts | None, *, via_org: bool
    ) -> Resolution:
        e = self._entries[i]
        if parts is None or e.parts is None or _same_name(parts, e.parts):
            if not via_org and problems is e.code_problems:
                return self._code_res[i] or self._code_resolution(i)
            return self._code_hit(i, problems, via_org=via_org)
        m = self._match_name(parts)
        others = [j for j, _ in m.scored if j != i]
        if (m.kind in ("exact", "fuzzy") and m.best != i) or (
            m.kind == "ambiguous" and i not in {j for j, _ in m.scored}
        ):
            sim = self._similarity(i, parts)
            named = "、".join(f"“{self._entries[j].name}”" for j in others[:3])
            return _review(
                f"代码指向“{e.name}”，名称却指向{named}，存在冲突",
                problems,
                (self._candidate(i, sim), *(self._candidate(j, s) for j, s in m.scored if j != i))[
                    : self.max_candidates
                ],
            )
        sim = self._similarity(i, parts)
        note = f"；名称与名录不一致（相似度{_num(sim)}），以代码为准"
        return self._code_hit(i, problems, via_org=via_org, similarity=sim, note=note)

    def _match_name(self, parts: NameParts) -> _NameMatch:
        full = self._by_full.get(parts.full)
        if full:
            if len(full) == 1:
                return _NameMatch("exact", full[0], 100.0, ((full[0], 100.0),), "名称与名录一致")
            return _NameMatch(
                "ambiguous", None, 100.0, tuple((j, 100.0) for j in full), "名录中有多家同名企业"
            )
        same = [
            j
            for j in self._by_norm.get(parts.normalised, ())
            if regions_compatible(parts.region, self._region(j))
        ]
        if len(same) == 1:
            reason = "名称规范化后与名录一致（括号、组织形式、行政区划前缀等写法不同）"
            return _NameMatch("exact", same[0], 100.0, ((same[0], 100.0),), reason)
        if same:
            scored = tuple((j, 100.0) for j in same)
            return _NameMatch("ambiguous", None, 100.0, scored, "名称规范化后对应多家企业")

        scored = self._score(parts)
        if not scored:
            return _NameMatch("none", None, 0.0, (), "名录中无相近名称")
        best, best_score = scored[0]
        runner_up = scored[1][1] if len(scored) > 1 else 0.0
        why = self._why_not_fuzzy(parts, best, best_score)
        if why is None and best_score - runner_up < self.margin:
            why = f"最相近的两家相似度{_num(best_score)}与{_num(runner_up)}，差距不足{_num(self.margin)}"
        if why is None:
            rival = self._rival(parts, best, (j for j, _ in scored))
            if rival is not None:
                why = f"“{self._entries[rival].name}”与名称同样只差一两个字"
        if why is not None:
            return _NameMatch("none", None, best_score, scored, why)
        reason = (
            f"名称相似度{_num(best_score)}（阈值{_num(self.fuzzy_threshold)}），"
            f"领先次优候选{_num(best_score - runner_up)}分"
        )
        return _NameMatch("fuzzy", best, best_score, scored, reason)

    def _rival(self, parts: NameParts, best: int, scored: Iterable[int]) -> int | None:
        """Another registry name as few edits away as the best one, or None.

        fuzz.ratio counts a swap of two characters as two edits, so a swapped 字号 can score
        below a sister company one insertion away: edits are counted with OSA here, over the
        other candidates and every registry name starting with the same two characters (the
        best one does: it shares the 字号), which a typo further on cannot hide.
        """
        query = parts.normalised
        norms = self._norms
        edits = OSA.distance(query, norms[best])
        for j in scored:
            if j != best and OSA.distance(query, norms[j]) <= edits:
                return j
        block = self._prefixes.get(query[:2], [])
        if len(block) > _PREFIX_MAX:  # a very common start: narrow to three characters
            block = self._prefixes.get(query[:3], [])
        if not block:
            return None
        for _, _, k in process.extract(
            query, _pick(norms, block), scorer=OSA.distance, score_cutoff=edits, limit=2
        ):
            if block[k] != best:
                return block[k]
        return None

    def _region(self, i: int) -> tuple[str, ...]:
        parts = self._entries[i].parts
        return parts.region if parts is not None else ()

    def _why_not_fuzzy(self, p: NameParts, i: int, score: float) -> str | None:
        """The first reason a fuzzy candidate may not be taken automatically, or None."""
        q = self._entries[i].parts
        assert q is not None
        if score < self.fuzzy_threshold:
            return f"最相近名称相似度{_num(score)}，低于自动匹配阈值{_num(self.fuzzy_threshold)}"
        if len(p.normalised) < self.min_fuzzy_length:
            return "名称过短，不做模糊匹配"
        edits = OSA.distance(p.normalised, q.normalised)
        if edits > self.max_edits:
            return f"名称相差{edits}处，超过自动匹配允许的{self.max_edits}处（错别字）"
        # The registry's 字号 must survive intact and the typo must lie beyond it, in the
        # industry words: 宏达建祝工程 is 宏达建筑工程 misspelt, but 宏达利建筑工程 and
        # 嘉福信信息科技 (next to 嘉福信息科技) may be other companies.
        if p.trade != q.trade and (
            _common_prefix(p.body, q.body) <= len(q.trade)
            or p.body[len(p.trade) :] == q.body[len(q.trade) :]
        ):
            return f"字号不同（“{p.trade}”与“{q.trade}”）"
        if p.branch != q.branch or p.branch_markers != q.branch_markers:
            return "分支机构不同（分公司、项目部等）"
        if p.numerals != q.numerals:
            return "名称中的数字或字母不同"
        if p.form != q.form:
            return "组织形式不同（一方缺少“公司”）"
        extra = p.industry_words - q.industry_words
        if extra:
            return f"行业用语不同（{'、'.join(sorted(extra))}）"
        if not regions_compatible(p.region, q.region):
            return f"行政区划不同（{''.join(p.region)}与{''.join(q.region)}）"
        return None

    def _score(self, parts: NameParts) -> tuple[tuple[int, float], ...]:
        """Top candidates by fuzz.ratio on normalised names, among the 字号 block and the
        names sharing rare bigrams; the best first."""
        pool = list(self._pool(parts))
        if not pool:
            return ()
        found = process.extract(
            parts.normalised,
            _pick(self._norms, pool),
            scorer=fuzz.ratio,
            limit=self.max_candidates + 1,
            score_cutoff=self.review_floor,
        )
        best = {pool[k]: score for _, score, k in found}
        for j, score in self._cross_region(parts):
            if score > best.get(j, 0.0):
                best[j] = score
        ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))
        return tuple(ranked[: self.max_candidates + 1])

    def _cross_region(self, parts: NameParts) -> Iterator[tuple[int, float]]:
        """Scores against names whose region was read on one side only.

        杭州宏达建筑… (no 市, so 杭州 stays in the body and the 字号 reads 杭州宏达) and
        杭州市宏达建筑… (region 杭州, 字号 宏达) are compared with the region in front of both.
        """
        floor = self.review_floor
        blocks, fulls, norms = self._blocks, self._fulls, self._norms
        for token in parts.region:  # the other side kept our region in its 字号
            for j in blocks.get(token + parts.trade, ()):
                yield j, fuzz.ratio(parts.full, norms[j], score_cutoff=floor)
        trade = parts.trade
        for k in (2, 3):  # we kept the other side's region in our 字号
            if len(trade) - k >= 2:
                for j in blocks.get(trade[k:], ()):
                    if trade[:k] in self._region(j):
                        yield j, fuzz.ratio(parts.normalised, fulls[j], score_cutoff=floor)

    def _pool(self, parts: NameParts) -> set[int]:
        """The 字号 block plus the registry names sharing the name's rarest bigrams.

        A name one or two typos away from a registry name still shares most of its rare
        bigrams, so a misspelt 字号 or a near-namesake in another block is still scored.
        """
        if self._bigrams is None:
            index: dict[str, list[int]] = {}
            for j, text in enumerate(self._norms):
                for g in _bigrams(text):
                    index.setdefault(g, []).append(j)
            # Common bigrams (工程, 公司, 建筑) say nothing about which enterprise is meant.
            self._bigrams = {g: js for g, js in index.items() if len(js) <= _BIGRAM_CAP}
        pool = set(self._blocks.get(parts.trade, ()))
        postings = [p for g in _bigrams(parts.normalised) if (p := self._bigrams.get(g))]
        if not postings:
            return pool
        postings.sort(key=len)
        for posting in postings:  # the rarest first, while they fit
            if len(pool) + len(posting) > _POOL_MAX:
                break
            pool.update(posting)
        return pool


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic collector: resolutions form no cycles, and with a large registry in
    memory its full passes cost a third of the time of a million-row batch (measured)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _pick(values: list[str], indices: list[int]) -> list[str]:
    """values[i] for each index, gathered in C (this runs for every leftover row)."""
    if len(indices) == 1:
        return [values[indices[0]]]
    return list(itemgetter(*indices)(values))


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _num(x: float) -> str:
    """A score as people write it: 90, 87.5."""
    return f"{x:.1f}".removesuffix(".0")


def _bigrams(text: str) -> set[str]:
    return {text[k : k + 2] for k in range(len(text) - 1)}


def _same_name(p: NameParts, q: NameParts) -> bool:
    return p.full == q.full or (
        p.normalised == q.normalised and regions_compatible(p.region, q.region)
    )


def _put_unique(index: dict[str, int], key: str, i: int) -> None:
    index[key] = _AMBIGUOUS if key in index else i


def _review(
    reason: str, problems: tuple[str, ...], candidates: tuple[Candidate, ...] = ()
) -> Resolution:
    score = max((c.score for c in candidates), default=0.0)
    return Resolution(None, "review", score, candidates, reason, problems)
