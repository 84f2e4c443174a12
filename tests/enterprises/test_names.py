"""Company-name normalisation: what folds together and what must stay apart."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wagewatch.enterprises.names import (
    CANONICAL_FORM,
    name_key,
    normalise_name,
    regions_compatible,
    split_name,
)

BASE = "宏达建筑工程公司"


@pytest.mark.parametrize(
    "variant",
    [
        "上海宏达建筑工程有限公司",
        "宏达建筑工程有限责任公司",
        "宏达建筑工程股份有限公司",
        "宏达建筑工程公司",
        "宏达建筑工程有限",  # truncated in a spreadsheet cell
        "宏达（上海）建筑工程有限公司",
        "宏达(上海)建筑工程有限公司",
        "宏达【上海】建筑工程有限公司",
        "宏达〔上海市〕建筑工程有限公司",
        "上海市宏达建筑工程有限公司",
        "上海市宝山区宏达建筑工程有限公司",
        "宝山区宏达建筑工程有限公司",
        "威海市文登区宏达建筑工程有限公司",
        "宣恩县宏达建筑工程有限公司",
        "湖北省宏达建筑工程有限公司",
        "新疆维吾尔自治区宏达建筑工程有限公司",
        "浦东新区宏达建筑工程有限公司",
        " 宏达 建筑·工程 有限公司 ",
        "宏达建筑工程有限公司\u3000",
        "宏达-建筑、工程（有限公司）",
    ],
)
def test_spelling_variants_fold_to_one_name(variant):
    assert normalise_name(variant) == BASE


def test_full_width_latin_and_digits_fold_to_half_width_upper_case():
    assert normalise_name("ＡＢＣ１２３科技有限公司") == normalise_name("abc123科技有限公司")


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("宏达建筑工程有限公司宝山分公司", "宏达建筑工程有限公司"),
        ("宏达建筑工程有限公司（宝山分公司）", "宏达建筑工程有限公司"),
        ("宏达建筑工程有限公司第一分公司", "宏达建筑工程有限公司第二分公司"),
        ("宏达建筑工程有限公司嘉定项目部", "宏达建筑工程有限公司"),
        ("宏达建筑工程有限公司宝山项目部", "宏达建筑工程有限公司嘉定项目部"),
        ("宏达建筑工程有限公司", "宏远建筑工程有限公司"),
        ("宏达建筑工程有限公司", "宏达建筑劳务有限公司"),
        ("宏达建筑工程有限公司", "宏达建筑工程"),  # no company form at all
        ("宏达市政工程有限公司", "宏达工程有限公司"),  # 市政 is a trade, not 宏达市
    ],
)
def test_branches_trades_and_industries_stay_distinct(one, other):
    assert normalise_name(one) != normalise_name(other)


def test_branch_is_kept_after_the_canonical_form():
    parts = split_name("上海宏达建筑工程有限公司宝山分公司")
    assert parts.normalised == "宏达建筑工程公司宝山分公司"
    assert parts.branch == "宝山分公司"
    assert parts.branch_markers == ("分公司",)


@pytest.mark.parametrize(
    ("name", "region", "normalised"),
    [
        ("华联超市有限公司", (), "华联超市公司"),
        ("上海华联超市连锁有限公司", ("上海",), "华联超市连锁公司"),
        ("智慧城市科技有限公司", (), "智慧城市科技公司"),
        ("上海市政工程设计研究总院（集团）有限公司", ("上海",), "市政工程设计研究总院集团公司"),
        ("宏达市场管理有限公司", (), "宏达市场管理公司"),
        ("链达区块链科技有限公司", (), "链达区块链科技公司"),
        ("宏达五金门市部", (), "宏达五金门市部"),
        ("苏州工业园区宏达有限公司", (), "苏州工业园区宏达公司"),
        ("上海有限公司", (), "上海公司"),  # a region needs something left after it
    ],
)
def test_words_ending_in_a_place_suffix_are_not_mistaken_for_regions(name, region, normalised):
    parts = split_name(name)
    assert parts.region == region
    assert parts.normalised == normalised


def test_region_tokens_are_kept_for_comparison():
    parts = split_name("上海市宝山区宏达（集团）建筑工程有限公司")
    assert parts.region == ("上海", "宝山")
    assert parts.full == "上海宝山宏达集团建筑工程公司"


def test_bracketed_country_is_a_region():
    assert split_name("阿里巴巴（中国）有限公司").region == ("中国",)


def test_name_key_is_the_trade_name():
    assert name_key("上海宏达建筑工程有限公司") == "宏达"
    assert name_key("宏达利（上海）物流有限公司") == "宏达利"
    assert name_key("中建八局第一建设有限公司") == "中建八局第一"
    assert name_key("阿里巴巴（中国）有限公司") == "阿里巴巴"  # no industry word: the whole body


def test_numerals_and_industry_words_are_exposed_for_matching():
    parts = split_name("宏达第一建筑工程有限公司")
    assert parts.numerals == ("一",)
    assert parts.industry_words == {"建筑", "工程"}


@pytest.mark.parametrize(
    ("a", "b", "compatible"),
    [
        ((), ("上海",), True),
        (("上海",), ("上海", "宝山"), True),
        (("上海",), ("北京",), False),
        (("上海", "宝山"), ("上海", "青浦"), False),
    ],
)
def test_regions_are_compatible_when_one_contains_the_other(a, b, compatible):
    assert regions_compatible(a, b) is compatible
    assert regions_compatible(b, a) is compatible


# Names composed the way the registry writes them: region + 字号 + 行业 + form + branch.
trades = st.text(alphabet="宏达远鑫盛华兴恒信嘉瑞祥利丰源泰安顺", min_size=2, max_size=3)
industries = st.sampled_from(["建筑工程", "物流", "电子科技", "餐饮管理", "机械制造", "劳务"])
forms = st.sampled_from(["有限公司", "有限责任公司", "股份有限公司", "公司"])
regions = st.sampled_from(["", "上海", "上海市", "上海市宝山区", "威海市文登区", "宣恩县"])
branches = st.sampled_from(["", "宝山分公司", "第一分公司", "嘉定项目部"])


@given(regions, trades, industries, forms, branches)
def test_normalise_name_is_idempotent(region, trade, industry, form, branch):
    once = normalise_name(region + trade + industry + form + branch)
    assert normalise_name(once) == once


@given(regions, regions, trades, industries, forms, forms, branches)
def test_region_and_form_never_change_the_normalised_name(r1, r2, trade, industry, f1, f2, branch):
    one = normalise_name(r1 + trade + industry + f1 + branch)
    other = normalise_name(r2 + trade + industry + f2 + branch)
    assert one == other == trade + industry + CANONICAL_FORM + branch


@given(trades, industries, forms, st.sampled_from(["（）", "()", "【】", "〔〕", "[]"]))
def test_bracket_style_never_changes_the_normalised_name(trade, industry, form, pair):
    bracketed = f"{trade}{pair[0]}上海{pair[1]}{industry}{form}"
    assert normalise_name(bracketed) == normalise_name(f"上海{trade}{industry}{form}")


@given(regions, trades, industries, forms, branches, branches)
def test_different_branches_never_fold_together(region, trade, industry, form, b1, b2):
    if b1 == b2:
        return
    base = region + trade + industry + form
    assert normalise_name(base + b1) != normalise_name(base + b2)
