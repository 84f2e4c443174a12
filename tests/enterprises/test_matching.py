"""Resolver: code first, then the exact normalised name, then a careful fuzzy name, else review."""

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wagewatch.enterprises import uscc
from wagewatch.enterprises.matching import Candidate, Resolution, Resolver


def code(n: int, prefix: str = "91310113") -> str:
    return uscc.make_valid(prefix, random.Random(n))


PILOT = code(5)[:17] + ("0" if code(5)[17] != "0" else "1")  # an early code failing its checksum

REGISTRY = [
    (1, code(1), "上海宏达建筑工程有限公司"),
    (2, code(2), "上海宏达建筑工程有限公司宝山分公司"),
    (3, code(3), "上海宏远建筑工程有限公司"),
    (4, code(4), "上海宏达建筑劳务有限公司"),
    (5, PILOT, "上海鑫盛物流有限公司"),
    (6, None, "上海华联超市连锁有限公司"),
    (7, code(7), "上海瑞祥电子科技有限公司"),
    (8, code(8, "91110108"), "北京瑞祥电子科技有限公司"),
    (9, code(9), "上海嘉信餐饮管理有限公司"),
    (10, code(10), "上海泰安机械制造有限公司第一分公司"),
    (11, code(11), "上海泰安机械制造有限公司"),
]
NAMES = {i: name for i, _, name in REGISTRY}
OUTSIDER = code(99)  # valid, not in the registry


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver(REGISTRY)


def ids(resolution: Resolution) -> list[object]:
    return [c.enterprise_id for c in resolution.candidates]


# -- by code ------------------------------------------------------------------------------------


def test_code_and_registered_name_match_by_code(resolver):
    r = resolver.resolve(code(1), NAMES[1])
    assert (r.enterprise_id, r.method, r.score) == (1, "code", 100.0)
    assert r.candidates == (Candidate(1, NAMES[1], 100.0),)
    assert r.reason == "统一社会信用代码与名录一致"
    assert r.matched and not r.needs_review


def test_code_alone_is_enough(resolver):
    assert resolver.resolve(code(7), None).enterprise_id == 7


def test_messy_code_and_name_variant_still_match_by_code(resolver):
    messy = " " + code(1).lower()[:9] + " " + code(1).lower()[9:]
    r = resolver.resolve(messy, "宏达（上海）建筑工程有限责任公司")
    assert (r.enterprise_id, r.method) == (1, "code")


def test_pilot_code_failing_its_checksum_still_matches_and_is_flagged(resolver):
    r = resolver.resolve(PILOT, "上海鑫盛物流有限公司")
    assert (r.enterprise_id, r.method) == (5, "code_flagged")
    assert any(p.startswith("校验位错误：应为") for p in r.problems)
    assert "但与名录中的代码完全一致" in r.reason


def test_code_of_one_enterprise_with_the_name_of_another_is_a_conflict(resolver):
    r = resolver.resolve(code(1), NAMES[3])
    assert r.method == "review" and r.enterprise_id is None
    assert ids(r)[:2] == [1, 3]
    assert "存在冲突" in r.reason


def test_parent_code_with_a_branch_name_is_a_conflict(resolver):
    r = resolver.resolve(code(1), NAMES[2])
    assert r.needs_review
    assert set(ids(r)) >= {1, 2}


def test_code_wins_over_a_name_that_names_no_one_and_says_so(resolver):
    r = resolver.resolve(code(9), "上海新名字咨询有限公司")  # renamed since registration
    assert (r.enterprise_id, r.method) == (9, "code")
    assert "以代码为准" in r.reason
    assert r.candidates[0].score < 60


def test_nine_character_organisation_code_matches_with_a_flag(resolver):
    org = code(7)[8:17]
    r = resolver.resolve(f"{org[:8]}-{org[8]}", None)
    assert (r.enterprise_id, r.method) == (7, "code_flagged")
    assert "组织机构代码" in r.reason


def test_duplicated_registry_code_is_never_used():
    twice = Resolver(
        [(1, code(1), "上海宏达建筑工程有限公司"), (2, code(1), "上海宏远物流有限公司")]
    )
    r = twice.resolve(code(1), None)
    assert r.needs_review and "多家" in r.reason
    assert twice.resolve(code(1), "上海宏远物流有限公司").enterprise_id == 2


# -- by name ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("上海宏达建筑工程有限公司", 1),
        ("宏达建筑工程有限责任公司", 1),
        ("宏达（上海）建筑工程股份有限公司", 1),
        ("上海市宝山区宏达建筑工程有限公司", 1),
        ("上海 宏达 建筑工程 有限公司 宝山分公司", 2),
        ("上海泰安机械制造有限公司", 11),
        ("北京市瑞祥电子科技有限公司", 8),
        ("华联超市连锁有限公司", 6),
    ],
)
def test_normalised_name_matches_exactly(resolver, name, expected):
    r = resolver.resolve(None, name)
    assert (r.enterprise_id, r.method, r.score) == (expected, "name", 100.0)


def test_same_name_in_two_regions_without_a_region_goes_to_review(resolver):
    r = resolver.resolve(None, "瑞祥电子科技有限公司")
    assert r.needs_review
    assert sorted(ids(r)) == [7, 8]


def test_same_name_in_another_region_goes_to_review(resolver):
    r = resolver.resolve(None, "深圳市瑞祥电子科技有限公司")
    assert r.needs_review
    assert "行政区划不同" in r.reason
    assert resolver.resolve(
        None, "深圳瑞祥电子科技有限公司"
    ).needs_review  # 深圳 not read as a region


def test_one_typo_in_the_industry_words_matches_fuzzily(resolver):
    r = resolver.resolve(None, "上海嘉信餐饮管里有限公司")
    assert (r.enterprise_id, r.method) == (9, "fuzzy")
    assert r.score == pytest.approx(87.5)
    assert "阈值85" in r.reason


def test_one_typo_in_the_trade_name_goes_to_review_with_both_candidates(resolver):
    r = resolver.resolve(None, "上海宏运建筑工程有限公司")
    assert r.needs_review
    assert {1, 3} <= set(ids(r))
    assert "字号不同" in r.reason or "差距不足" in r.reason


def test_unknown_branch_never_matches_the_parent_or_another_branch(resolver):
    r = resolver.resolve(None, "上海宏达建筑工程有限公司嘉定分公司")
    assert r.needs_review
    assert r.enterprise_id is None


def test_second_branch_never_matches_the_first(resolver):
    r = resolver.resolve(None, "上海泰安机械制造有限公司第二分公司")
    assert r.needs_review


def test_sister_company_with_another_industry_never_matches(resolver):
    r = resolver.resolve(None, "上海宏达建设工程有限公司")
    assert r.needs_review


def test_region_read_on_one_side_only_still_finds_the_rival():
    """杭州宏达… keeps 杭州 in its 字号; 杭州市宏达… strips it. Neither may be skipped."""
    r = Resolver([(1, None, "宏达建筑工程有限公司"), (2, None, "杭州宏达建筑工程有限公司")])
    typo = r.resolve(None, "杭州市宏达建筑工城有限公司")
    assert typo.needs_review
    assert ids(typo)[0] == 2
    assert r.resolve(None, "杭州市宏达建筑工程有限公司").enterprise_id == 2


def test_typo_one_edit_from_two_registered_names_goes_to_review():
    """福美包欣装 is 福美包装 with 欣 inserted, and 福美欣包装 with two characters swapped."""
    r = Resolver([(1, None, "上海福美包装材料有限公司"), (2, None, "福美欣包装材料有限责任公司")])
    typo = r.resolve(None, "福美包欣装材料有限责任公司")
    assert typo.needs_review
    assert "同样只差" in typo.reason
    assert (
        Resolver([(1, None, "上海福美包装材料有限公司")])
        .resolve(None, "福美包装材料料有限公司")
        .method
        == "fuzzy"
    )


def test_name_without_code_that_resembles_nothing_goes_to_review_not_new(resolver):
    r = resolver.resolve(None, "上海全新科技有限公司")
    assert r.needs_review
    assert r.candidates == ()


# -- codes and names together -------------------------------------------------------------------


def test_valid_unknown_code_without_name_is_new(resolver):
    r = resolver.resolve(OUTSIDER, None)
    assert (r.enterprise_id, r.method) == (None, "new")


def test_valid_unknown_code_with_an_unknown_name_is_new(resolver):
    assert resolver.resolve(OUTSIDER, "上海全新科技有限公司").method == "new"


def test_valid_unknown_code_with_a_registered_name_having_another_code_is_review(resolver):
    r = resolver.resolve(OUTSIDER, NAMES[1])
    assert r.needs_review
    assert ids(r) == [1]


def test_valid_code_fills_in_a_registry_entry_without_one(resolver):
    r = resolver.resolve(OUTSIDER, NAMES[6])
    assert (r.enterprise_id, r.method) == (6, "name")
    assert "可补录" in r.reason


def test_mistyped_code_falls_back_to_the_name_and_reports_the_code(resolver):
    typo = code(1)[:10] + ("A" if code(1)[10] != "A" else "B") + code(1)[11:]
    r = resolver.resolve(typo, NAMES[1])
    assert (r.enterprise_id, r.method) == (1, "name")
    assert any(p.startswith("校验位错误") for p in r.problems)
    assert "代码有误" in r.reason


def test_mistyped_code_alone_goes_to_review(resolver):
    typo = code(1)[:10] + ("A" if code(1)[10] != "A" else "B") + code(1)[11:]
    r = resolver.resolve(typo, None)
    assert r.needs_review and r.problems


@pytest.mark.parametrize("blank", [None, "", "  ", math.nan, "无", "/"])
def test_row_without_code_or_name_goes_to_review(resolver, blank):
    r = resolver.resolve(blank, blank)
    assert r.needs_review
    assert r.reason == "无代码也无名称，无法确定企业"


# -- batch API ----------------------------------------------------------------------------------


def test_resolve_many_agrees_with_resolve_row_by_row(resolver):
    codes = [code(1), None, PILOT, "bad", None, OUTSIDER, code(1)]
    names = [None, "宏达建筑工程有限公司", None, "上海嘉信餐饮管里有限公司", None, None, NAMES[3]]
    batch = resolver.resolve_many(codes, names)
    assert batch == [resolver.resolve(c, n) for c, n in zip(codes, names, strict=True)]
    assert [r.method for r in batch] == [
        "code",
        "name",
        "code_flagged",
        "fuzzy",
        "review",
        "new",
        "review",
    ]


def test_resolve_many_accepts_a_missing_column(resolver):
    assert [r.enterprise_id for r in resolver.resolve_many(None, [NAMES[9], NAMES[11]])] == [9, 11]
    assert [r.enterprise_id for r in resolver.resolve_many([code(3)], None)] == [3]


def test_resolve_many_refuses_columns_of_different_lengths(resolver):
    with pytest.raises(ValueError):
        resolver.resolve_many([code(1), code(3)], [NAMES[1]])


def test_repeated_rows_share_one_resolution(resolver):
    a, b = resolver.resolve_many(["  " + code(1)] * 2, ["宏达建筑工程公司"] * 2)
    assert a is b


def test_numeric_cells_from_a_spreadsheet_are_read_as_text(resolver):
    assert resolver.resolve(310113000123456.0, None).problems[-1].startswith("疑似旧版工商注册号")


def test_thresholds_are_constructor_parameters():
    strict = Resolver(REGISTRY, fuzzy_threshold=90)
    r = strict.resolve(None, "上海嘉信餐饮管里有限公司")
    assert r.needs_review
    assert "低于自动匹配阈值90" in r.reason


def test_duplicate_enterprise_ids_are_refused():
    with pytest.raises(ValueError):
        Resolver([(1, None, "甲公司"), (1, None, "乙公司")])


# -- invariants over arbitrary rows ---------------------------------------------------------------

row_codes = st.one_of(
    st.none(),
    st.sampled_from([c for _, c, _ in REGISTRY if c] + [OUTSIDER, PILOT]),
    st.text(alphabet=uscc.ALPHABET + " -oi", max_size=20),
)
row_names = st.one_of(
    st.none(),
    st.sampled_from(list(NAMES.values())),
    st.sampled_from(list(NAMES.values())).map(lambda n: n.replace("有限公司", "有限责任公司")),
    st.text(alphabet="上海宏达远建筑工程有限公司分（）第一二 ", max_size=20),
)


@given(st.lists(st.tuples(row_codes, row_names), max_size=8))
def test_every_resolution_is_consistent_with_its_method(rows):
    resolver = Resolver(REGISTRY)
    codes = {i: c for i, c, _ in REGISTRY}
    batch = resolver.resolve_many([c for c, _ in rows], [n for _, n in rows])
    assert batch == [resolver.resolve(c, n) for c, n in rows]
    for (code, _name), r in zip(rows, batch, strict=True):
        assert r.matched == (r.method in {"code", "code_flagged", "name", "fuzzy"})
        if r.matched:
            assert r.candidates[0].enterprise_id == r.enterprise_id
        if r.method == "code":
            assert codes[r.enterprise_id] == uscc.normalise(code)
        if r.method == "new":
            assert r.candidates == () and uscc.is_valid(code)
        if r.method == "review":
            assert r.reason


# -- the Arrow pre-pass the importer runs before resolving the rest one by one ---------------

_TWICE = code(50)
_ROW_CODES = [c for _, c, _ in REGISTRY] + [OUTSIDER, _TWICE, code(1).lower(), "", None]
_ROW_NAMES = [n for _, _, n in REGISTRY] + ["上海宏达建筑工程有限公司（宝山）", "", None]


@settings(deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(_ROW_CODES), st.sampled_from(_ROW_NAMES)),
        min_size=1,
        max_size=40,
    )
)
def test_exact_code_rows_settle_only_what_resolve_settles_by_code(rows):
    import pyarrow as pa

    r = Resolver([*REGISTRY, (50, _TWICE, "甲公司"), (51, _TWICE, "乙公司")])
    codes = [c or None for c, _ in rows]
    names = [n or None for _, n in rows]
    entries = r.exact_code_rows(pa.array(codes, pa.string()), pa.array(names, pa.string()))
    for c, n, entry in zip(codes, names, entries.tolist(), strict=True):
        if entry < 0:
            continue
        res = r.resolve(c, n)
        assert (res.enterprise_id, res.method) == (r.entry_id(entry), r.entry_method(entry))
        assert res.method in ("code", "code_flagged") and c != _TWICE
    # a registry row as the registry writes it is always settled here
    exact = r.exact_code_rows(pa.array([code(1), PILOT]), pa.array([NAMES[1], None]))
    assert [r.entry_id(e) for e in exact.tolist()] == [1, 5]
    assert r.entry_method(int(exact[1])) == "code_flagged"


def test_exact_code_rows_with_a_registry_without_codes():
    import pyarrow as pa

    r = Resolver([(1, None, "上海华联超市连锁有限公司")])
    assert r.exact_code_rows(pa.array([code(1), None]), pa.array(["甲", None])).tolist() == [-1, -1]
    assert Resolver([]).exact_code_rows(pa.array([code(1)]), pa.array([None])).tolist() == [-1]
