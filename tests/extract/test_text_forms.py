"""Traditional characters, full-width forms, typos, arbitrary input, and evidence spans."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from wagewatch.extract import extract
from wagewatch.extract.normalize import normalize

_FULL = str.maketrans("0123456789.,:;!?()", "０１２３４５６７８９．，：；！？（）")


def test_traditional_characters_read_like_simplified() -> None:
    trad = extract(
        "本人在東莞一家五金廠上班，老闆拖欠我兩個多月的工資，共計一萬二千元，現在老闆跑路了。"
    )
    assert trad.months_owed == 2
    assert trad.amount_yuan == 12000
    assert trad.workers == 1
    assert trad.flags == ("fled",)


def test_full_width_digits_and_punctuation() -> None:
    result = extract("來電人稱：公司拖欠其２０２４年３月至６月的薪資，合計２８０００元。")
    assert (result.months_owed, result.amount_yuan) == (4, 28000)


def test_typo_for_wages_is_read() -> None:
    assert extract("老板欠我两个月公资不给，打电话也不接").is_wage_arrears is True


def test_colloquial_wage_words() -> None:
    result = extract("工头欠我们五个人的辛苦钱三万多块，一直不给。")
    assert (result.workers, result.amount_yuan) == (5, 30000)


def test_normalize_keeps_length() -> None:
    text = "來電人反映：２０２３年工資１.２w，聯繫不上"
    assert len(normalize(text)) == len(text)


def test_evidence_spans_index_the_original_text() -> None:
    text = (
        "來電人稱：工頭陳某某拖欠其與另外5名工友２０２４年２月至５月的工錢，合計約9萬元，現已失聯。"
    )
    result = extract(text)
    assert {"months_owed", "workers", "amount_yuan", "employer_name", "flags.fled"} <= set(
        result.evidence
    )
    for ev in result.evidence.values():
        assert text[ev.start : ev.end] == ev.phrase
    assert result.evidence["months_owed"].phrase == "２０２４年２月至５月"


_TEMPLATE = st.sampled_from(
    [
        "公司拖欠{a}名员工{b}个月工资共计{c}元。",
        "包工头欠我们{a}个人工钱{c}元，已经{b}个月了，老板跑路了。",
        "来电人反映：2023年{b}月起，某厂拖欠其工资{c}元。",
    ]
)


@settings(max_examples=60, deadline=None)
@given(_TEMPLATE, st.integers(1, 500), st.integers(1, 12), st.integers(100, 9_999_999))
def test_full_width_and_half_width_digits_agree(template: str, a: int, b: int, c: int) -> None:
    half = template.format(a=a, b=b, c=c)
    full = half.translate(_FULL)
    assert extract(full).to_contract() == extract(half).to_contract()


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_never_crashes_on_arbitrary_text(text: str) -> None:
    result = extract(text)
    contract = result.to_contract()
    assert list(contract) == [
        "months_owed",
        "workers",
        "amount_yuan",
        "employer_name",
        "flags",
        "is_wage_arrears",
    ]
    for ev in result.evidence.values():
        assert text[ev.start : ev.end] == ev.phrase


_CHINESE = st.text(
    alphabet="拖欠工资个月名员工万元多余几十百千两三半年至到公司老板跑路我们的，。０１２３４５6789",
    max_size=120,
)


@settings(max_examples=300, deadline=None)
@given(_CHINESE)
def test_never_crashes_on_arrears_like_noise(text: str) -> None:
    extract(text).to_contract()


def test_long_input_stays_fast() -> None:
    import time

    text = "包工头刘某某拖欠我们27名工人2023年5月至8月工资13万余元，老板跑路了。" * 500
    started = time.perf_counter()
    result = extract(text)
    assert time.perf_counter() - started < 5
    assert result.workers == 27


def test_thousands_separators_are_one_number() -> None:
    assert extract("公司拖欠其工资13,500元。").amount_yuan == 13500


def test_dotted_date_range() -> None:
    assert extract("公司拖欠其2023.5-2023.8期间的工资。").months_owed == 4


def test_form_style_fields() -> None:
    text = "工资拖欠情况：单位名称：某某市鑫达机械有限公司；拖欠人数：1人；拖欠金额：5600元；拖欠时间：2个月。"
    result = extract(text)
    assert result.to_contract() == {
        "months_owed": 2,
        "workers": 1,
        "amount_yuan": 5600,
        "employer_name": "某某市鑫达机械有限公司",
        "flags": [],
        "is_wage_arrears": True,
    }


def test_bracketed_group_inside_a_company_name() -> None:
    result = extract("来电人反映：恒大建设(集团)有限公司拖欠其工资。")
    assert result.employer_name == "恒大建设(集团)有限公司"
    assert "construction" in result.flags
