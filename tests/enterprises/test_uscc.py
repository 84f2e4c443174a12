"""统一社会信用代码 (GB 32100-2015) and its 组织机构代码 part (GB 11714)."""

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wagewatch.enterprises import uscc

# Codes as published by the companies themselves; both check characters verify below.
PUBLISHED = {
    "914403001922038216": "华为技术有限公司",
    "9144030071526726XG": "深圳市腾讯计算机系统有限公司",
    "91330100716105852F": "阿里巴巴（中国）有限公司",
    "91110000802100433B": "北京百度网讯科技有限公司",
    "91110108551385082Q": "北京小米科技有限责任公司",
}

codes = st.integers(min_value=0, max_value=2**32).map(lambda s: uscc.generate(random.Random(s)))


@pytest.mark.parametrize("code", sorted(PUBLISHED))
def test_published_codes_pass_both_check_characters(code):
    info = uscc.parse(code)
    assert info.valid_format and info.checksum_ok and info.org_code_ok
    assert info.problems == ()
    assert uscc.check_digit(code[:17]) == code[17]
    assert uscc.org_check_digit(code[8:16]) == code[16]
    assert uscc.is_valid(code)


def test_weights_are_the_table_printed_in_the_standard():
    assert uscc.WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def test_alphabet_leaves_out_i_o_z_s_v():
    assert len(uscc.ALPHABET) == 31
    assert not set("IOZSV") & set(uscc.ALPHABET)


def test_org_check_character_is_x_when_the_remainder_calls_for_ten():
    assert uscc.org_check_digit("71526726") == "X"  # 腾讯's 组织机构代码 71526726-X
    assert uscc.org_code_valid("71526726-X")


def test_parse_splits_the_five_fields_and_names_them():
    info = uscc.parse("9144030071526726XG")
    assert info.parts == uscc.UsccParts("9", "1", "440300", "71526726X", "G")
    assert info.parts.department_name == "工商（市场监管）"
    assert info.parts.category_name == "企业"
    assert info.parts.province_name == "广东省"


@pytest.mark.parametrize(
    "messy",
    [
        " 9144 0300 7152 6726 XG ",
        "９１４４０３００７１５２６７２６ＸＧ",  # full width
        "9144030071526726xg",
        "914403-00715267-26XG",
        "'9144030071526726XG",  # Excel's text marker
        "9144030071526726XG\u200b",
    ],
)
def test_normalise_folds_spaces_width_case_and_separators(messy):
    assert uscc.normalise(messy) == "9144030071526726XG"
    assert uscc.is_valid(messy)


def test_failing_checksum_is_flagged_not_rejected():
    info = uscc.parse("914403001922038217")
    assert info.valid_format
    assert not info.checksum_ok
    assert info.expected_check == "6"
    assert "校验位错误：应为6" in info.problems
    assert info.parts is not None  # still usable for a registry lookup
    assert not uscc.is_valid("914403001922038217")


def test_letters_outside_the_alphabet_are_reported_never_fixed():
    info = uscc.parse("91440300I922O38216")  # I and O inside the 主体标识码
    assert info.normalised == "91440300I922O38216"
    assert not info.valid_format
    assert not info.checksum_ok
    assert "第9位字符“I”不在代码字符集中（代码不使用I、O、Z、S、V）" in info.problems
    assert "第13位字符“O”不在代码字符集中（代码不使用I、O、Z、S、V）" in info.problems


def test_s_for_5_is_not_guessed_even_where_only_digits_fit():
    info = uscc.parse("9144S3001922038216")
    assert info.normalised == "9144S3001922038216"
    assert not info.valid_format


def test_o_and_i_in_the_digit_only_fields_are_read_as_digits_with_a_note():
    info = uscc.parse("9I44O3001922038216")  # 机构类别码 and 行政区划码 hold digits only
    assert info.normalised == "914403001922038216"
    assert info.is_valid
    assert info.corrected
    assert info.problems == ("第2位“I”应为数字，按“1”识别", "第5位“O”应为数字，按“0”识别")


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("310113000123456", "疑似旧版工商注册号（15位），不是统一社会信用代码"),
        ("71526726-X", "疑似组织机构代码（9位，GB 11714）"),
        ("9.14403E+17", "代码被表格转成了科学计数法，原值已丢失"),
        ("91440300192203821", "长度应为18位，实为17位"),
        ("无", "代码为空"),
        ("", "代码为空"),
    ],
)
def test_codes_that_are_not_uscc_say_what_they_look_like(code, message):
    info = uscc.parse(code)
    assert not info.valid_format and not info.is_valid
    assert message in info.problems


def test_undefined_department_is_a_problem_but_not_a_format_error():
    code = uscc.make_valid("B1310113")
    info = uscc.parse(code)
    assert info.is_valid
    assert "登记管理部门码“B”未定义" in info.problems


def test_category_must_belong_to_its_department():
    info = uscc.parse(uscc.make_valid("95310113"))
    assert "机构类别码“5”不属于登记管理部门“工商（市场监管）”" in info.problems


def test_unknown_province_is_reported():
    info = uscc.parse(uscc.make_valid("91990000"))
    assert "行政区划码“990000”的省级代码“99”不存在" in info.problems


def test_wrong_org_check_character_is_reported_separately():
    code = uscc.make_valid("91440300192203820")  # 华为's 组织机构代码 is 19220382-1
    info = uscc.parse(code)
    assert info.checksum_ok
    assert info.org_code_ok is False
    assert "组织机构代码校验位错误：应为1" in info.problems


@pytest.mark.parametrize("bad", ["123", "9144030019220382I", "91440300192203821X"])
def test_check_digit_refuses_anything_but_17_alphabet_characters(bad):
    with pytest.raises(ValueError):
        uscc.check_digit(bad)


def test_make_valid_repairs_the_check_character_of_a_full_code():
    assert uscc.make_valid("91440300192203821A") == "914403001922038216"


def test_make_valid_refuses_letters_in_the_region_code():
    with pytest.raises(ValueError):
        uscc.make_valid("913101A3")


@given(codes)
def test_every_generated_code_validates_with_both_check_characters(code):
    info = uscc.parse(code)
    assert info.is_valid and info.org_code_ok and info.problems == ()


@given(st.text(alphabet=uscc.ALPHABET, max_size=16), st.randoms(use_true_random=False))
def test_make_valid_keeps_the_prefix_and_validates(prefix, rng):
    if prefix[1:8] and not prefix[1:8].isdigit():
        with pytest.raises(ValueError):
            uscc.make_valid(prefix, rng)
        return
    code = uscc.make_valid(prefix, rng)
    assert code.startswith(prefix)
    assert len(code) == 18
    assert uscc.parse(code).is_valid


@given(codes, st.integers(0, 17), st.sampled_from(uscc.ALPHABET))
def test_any_single_character_substitution_breaks_the_checksum(code, position, new):
    """31 is prime and every weight (and the check position's, 1) is non-zero mod 31."""
    if code[position] == new:
        return
    changed = code[:position] + new + code[position + 1 :]
    info = uscc.parse(changed)
    assert not info.checksum_ok


@given(codes, st.integers(0, 17), st.integers(0, 17))
def test_transpositions_break_the_checksum_except_first_with_last(code, i, j):
    """The weights 3^k mod 31 are distinct (3 is a primitive root of 31), so swapping two
    different characters changes the sum, except for positions 1 and 18, which both weigh 1."""
    if i == j or code[i] == code[j]:
        return
    chars = list(code)
    chars[i], chars[j] = chars[j], chars[i]
    swapped = "".join(chars)
    assert uscc.parse(swapped).checksum_ok == ({i, j} == {0, 17})


@given(codes)
def test_swapping_first_and_last_characters_goes_undetected(code):
    swapped = code[17] + code[1:17] + code[0]
    assert uscc.parse(swapped).checksum_ok


@given(codes, st.sampled_from(["{}", " {} ", "{}\u3000"]), st.booleans())
def test_normalise_is_idempotent_and_ignores_case_width_and_spaces(code, frame, wide):
    messy = frame.format(code.lower())
    if wide:
        messy = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in messy)
    assert uscc.normalise(messy) == code
    assert uscc.normalise(uscc.normalise(messy)) == code
