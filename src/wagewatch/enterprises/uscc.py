"""统一社会信用代码 (USCC, GB 32100-2015): normalisation, parsing, check digits, generation.

An 18-character code: 登记管理部门码 (1) + 机构类别码 (1) + 行政区划码 (6) + 主体标识码, i.e. the
组织机构代码 of GB 11714 (8 body characters + its own check character) + the overall check
character. The alphabet has 31 characters; I, O, Z, S and V are never used.

A code whose checksum fails is flagged, not rejected: lawful early pilot codes fail it.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "ALPHABET",
    "CATEGORIES",
    "DEPARTMENTS",
    "PROVINCES",
    "UsccInfo",
    "UsccParts",
    "check_digit",
    "generate",
    "is_valid",
    "make_valid",
    "normalise",
    "org_check_digit",
    "org_code_valid",
    "parse",
]

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
# GB 32100 weights are 3^(i-1) mod 31; 3 is a primitive root of 31, so all 17 are distinct.
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))

# GB 11714 (组织机构代码): body characters are digits and A-Z (A = 10 … Z = 35), mod 11.
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_VALUE = {c: i for i, c in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")}

DEPARTMENTS: dict[str, str] = {
    "1": "机构编制",
    "2": "外交",
    "3": "司法行政",
    "4": "文化",
    "5": "民政",
    "6": "旅游",
    "7": "宗教",
    "8": "工会",
    "9": "工商（市场监管）",
    "A": "中央军委改革和编制办公室",
    "N": "农业",
    "Y": "其他",
}

CATEGORIES: dict[str, dict[str, str]] = {
    "1": {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"},
    "2": {"1": "外国常驻新闻机构", "9": "其他"},
    "3": {
        "1": "律师执业机构",
        "2": "公证处",
        "3": "基层法律服务所",
        "4": "司法鉴定机构",
        "5": "仲裁委员会",
        "9": "其他",
    },
    "4": {"1": "外国在华文化中心", "9": "其他"},
    "5": {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"},
    "6": {
        "1": "外国旅游部门常驻代表机构",
        "2": "港澳台地区旅游部门常驻内地（大陆）代表机构",
        "9": "其他",
    },
    "7": {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"},
    "8": {"1": "基层工会", "9": "其他"},
    "9": {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"},
    "A": {"1": "军队事业单位", "9": "其他"},
    "N": {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他"},
    "Y": {"1": "其他"},
}

# GB/T 2260 province-level prefixes; "10" is the national level (100000).
PROVINCES: dict[str, str] = {
    "10": "全国",
    "11": "北京市",
    "12": "天津市",
    "13": "河北省",
    "14": "山西省",
    "15": "内蒙古自治区",
    "21": "辽宁省",
    "22": "吉林省",
    "23": "黑龙江省",
    "31": "上海市",
    "32": "江苏省",
    "33": "浙江省",
    "34": "安徽省",
    "35": "福建省",
    "36": "江西省",
    "37": "山东省",
    "41": "河南省",
    "42": "湖北省",
    "43": "湖南省",
    "44": "广东省",
    "45": "广西壮族自治区",
    "46": "海南省",
    "50": "重庆市",
    "51": "四川省",
    "52": "贵州省",
    "53": "云南省",
    "54": "西藏自治区",
    "61": "陕西省",
    "62": "甘肃省",
    "63": "青海省",
    "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区",
    "71": "台湾省",
    "81": "香港特别行政区",
    "82": "澳门特别行政区",
}

# Separators people and spreadsheets insert; quotes are Excel's "store as text" marks.
_STRIP = re.compile(r"[\s\u200b-\u200d\u2060\ufeff\-‐‑‒–—―−_'\"`]+")
_SCIENTIFIC = re.compile(r"^\d(?:\.\d+)?E\+?\d+$")
# Positions 2-8 (机构类别码 and 行政区划码) hold digits only, so O→0 and I/l→1 are unambiguous
# there; elsewhere O could be 0, D or Q, and is reported instead of guessed.
_DIGIT_ONLY = range(1, 8)
_OCR_DIGITS = {"O": "0", "o": "0", "I": "1", "l": "1"}
_NULL_TOKENS = frozenset({"", "无", "暂无", "不详", "NAN", "NONE", "NULL", "/", "0"})


@dataclass(frozen=True, slots=True)
class UsccParts:
    """The five fields of a USCC, split by position."""

    department: str  # 登记管理部门码, position 1
    category: str  # 机构类别码, position 2
    region: str  # 行政区划码, positions 3-8
    org_code: str  # 主体标识码 (组织机构代码, GB 11714), positions 9-17
    check: str  # 校验码, position 18

    @property
    def department_name(self) -> str | None:
        """Chinese name of the registration department, or None if the code is undefined."""
        return DEPARTMENTS.get(self.department)

    @property
    def category_name(self) -> str | None:
        """Chinese name of the organisation category, or None if undefined for the department."""
        return CATEGORIES.get(self.department, {}).get(self.category)

    @property
    def province_name(self) -> str | None:
        """Province named by the first two digits of the region code, or None."""
        return PROVINCES.get(self.region[:2])


@dataclass(frozen=True, slots=True)
class UsccInfo:
    """What is known about one credit code: normal form, validity and problems in Chinese."""

    raw: str
    normalised: str
    valid_format: bool
    checksum_ok: bool
    problems: tuple[str, ...] = ()
    parts: UsccParts | None = None
    expected_check: str | None = None
    org_code_ok: bool | None = None
    corrected: bool = False  # an OCR confusion was fixed in a digit-only position

    @property
    def is_valid(self) -> bool:
        """True when the format is right and the GB 32100 check character matches."""
        return self.valid_format and self.checksum_ok


def _clean(code: str) -> str:
    return _STRIP.sub("", unicodedata.normalize("NFKC", code))


def _fix_ocr(code: str) -> tuple[str, list[str]]:
    notes: list[str] = []
    if len(code) != 18:
        return code.upper(), notes
    chars = list(code)
    for i in _DIGIT_ONLY:
        digit = _OCR_DIGITS.get(chars[i])
        if digit is not None:
            notes.append(f"第{i + 1}位“{chars[i]}”应为数字，按“{digit}”识别")
            chars[i] = digit
    return "".join(chars).upper(), notes


def normalise(code: str) -> str:
    """Strip spaces and separators, fold full width to half width, upper-case, fix O/I in digit fields."""
    return _fix_ocr(_clean(code))[0]


def check_digit(first17: str) -> str:
    """GB 32100 check character for the first 17 characters of a code."""
    if len(first17) != 17:
        raise ValueError(f"需要17位，实为{len(first17)}位")
    try:
        total = sum(_VALUE[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    except KeyError as exc:
        raise ValueError(f"字符{exc.args[0]!r}不在代码字符集中") from None
    return ALPHABET[-total % 31]


def org_check_digit(first8: str) -> str:
    """GB 11714 check character (0-9 or X) for the 8 body characters of an organisation code."""
    if len(first8) != 8:
        raise ValueError(f"需要8位，实为{len(first8)}位")
    try:
        total = sum(_ORG_VALUE[c] * w for c, w in zip(first8, ORG_WEIGHTS, strict=True))
    except KeyError as exc:
        raise ValueError(f"字符{exc.args[0]!r}不能用于组织机构代码") from None
    c9 = -total % 11
    return "X" if c9 == 10 else str(c9)


def org_code_valid(code: str) -> bool:
    """True when a 9-character organisation code (GB 11714) carries the right check character."""
    code = _clean(code).upper()
    if len(code) != 9:
        return False
    try:
        return org_check_digit(code[:8]) == code[8]
    except ValueError:
        return False


def parse(code: str) -> UsccInfo:
    """Normalise a code and report its parts, validity and every problem found (in Chinese)."""
    cleaned = _clean(code)
    normalised, problems = _fix_ocr(cleaned)
    corrected = bool(problems)
    if normalised.upper() in _NULL_TOKENS:
        return UsccInfo(code, "", False, False, ("代码为空",))
    if _SCIENTIFIC.match(normalised):
        problems.append("代码被表格转成了科学计数法，原值已丢失")
        return UsccInfo(code, normalised, False, False, tuple(problems))
    if len(normalised) != 18:
        problems.append(f"长度应为18位，实为{len(normalised)}位")
        if len(normalised) == 15 and normalised.isdigit():
            problems.append("疑似旧版工商注册号（15位），不是统一社会信用代码")
        elif len(normalised) == 9 and org_code_valid(normalised):
            problems.append("疑似组织机构代码（9位，GB 11714）")
        return UsccInfo(code, normalised, False, False, tuple(problems), corrected=corrected)

    valid_format = True
    for i, c in enumerate(normalised):
        if c not in _VALUE:
            valid_format = False
            problems.append(f"第{i + 1}位字符“{c}”不在代码字符集中（代码不使用I、O、Z、S、V）")
        elif i in _DIGIT_ONLY and not c.isdigit():
            valid_format = False
            field_name = "机构类别码" if i == 1 else "行政区划码"
            problems.append(f"第{i + 1}位“{c}”应为数字（{field_name}）")

    parts = UsccParts(
        normalised[0], normalised[1], normalised[2:8], normalised[8:17], normalised[17]
    )
    if parts.department_name is None:
        problems.append(f"登记管理部门码“{parts.department}”未定义")
    elif parts.category_name is None:
        problems.append(f"机构类别码“{parts.category}”不属于登记管理部门“{parts.department_name}”")
    if parts.region.isdigit() and parts.province_name is None:
        problems.append(f"行政区划码“{parts.region}”的省级代码“{parts.region[:2]}”不存在")

    org_ok: bool | None = None
    try:
        expected_org = org_check_digit(parts.org_code[:8])
    except ValueError:
        expected_org = None
    if expected_org is not None:
        org_ok = expected_org == parts.org_code[8]
        if not org_ok:
            problems.append(f"组织机构代码校验位错误：应为{expected_org}")

    expected: str | None = None
    checksum_ok = False
    if valid_format:
        expected = check_digit(normalised[:17])
        checksum_ok = expected == parts.check
        if not checksum_ok:
            problems.append(f"校验位错误：应为{expected}")
    return UsccInfo(
        raw=code,
        normalised=normalised,
        valid_format=valid_format,
        checksum_ok=checksum_ok,
        problems=tuple(problems),
        parts=parts,
        expected_check=expected,
        org_code_ok=org_ok,
        corrected=corrected,
    )


def is_valid(code: str) -> bool:
    """True when the code, once normalised, has the GB 32100 format and a matching check character."""
    return parse(code).is_valid


# Real region codes of the seed jurisdictions and a few large cities, for realistic fakes.
_REGIONS = (
    "310113",  # 上海市宝山区
    "310118",  # 上海市青浦区
    "310115",  # 上海市浦东新区
    "371003",  # 威海市文登区
    "422825",  # 宣恩县
    "210800",  # 营口市
    "210803",  # 营口市西市区
    "110108",  # 北京市海淀区
    "440300",  # 深圳市
    "330100",  # 杭州市
)
# Department + category pairs weighted the way a labour bureau sees them: mostly enterprises.
_KINDS = ("91",) * 14 + ("92",) * 3 + ("93", "12", "52", "11", "N2")
_ORG_BODY = "0123456789" * 3 + "ABCDEFGHJKLMNPQRTUWXY"


def generate(rng: random.Random) -> str:
    """A random, fully valid code (both check characters right) drawn from realistic fields."""
    body = "".join(rng.choice(_ORG_BODY) for _ in range(8))
    first17 = rng.choice(_KINDS) + rng.choice(_REGIONS) + body + org_check_digit(body)
    return first17 + check_digit(first17)


def make_valid(prefix: str, rng: random.Random | None = None) -> str:
    """Complete (or repair the check characters of) a code starting with prefix so that it validates.

    A prefix of 17 or 18 characters keeps its first 17 and gets the right GB 32100 check
    character; a shorter one is filled with random fields (deterministic for a given prefix
    unless rng is given) and gets both check characters right.
    """
    prefix = _clean(prefix).upper()
    bad = [c for c in prefix if c not in _VALUE]
    if bad or len(prefix) > 18 or not prefix[1:8].isdigit() and prefix[1:8]:
        raise ValueError(f"前缀无效：{prefix!r}")
    if len(prefix) >= 17:
        return prefix[:17] + check_digit(prefix[:17])
    rng = rng or random.Random(prefix)
    chars = list(prefix)
    if not chars:
        chars.append(rng.choice(_KINDS)[0])
    if len(chars) == 1:
        chars.append(rng.choice(sorted(CATEGORIES.get(chars[0], {"1": ""}))))
    while len(chars) < 8:
        chars.append(rng.choice("0123456789"))
    while len(chars) < 16:
        chars.append(rng.choice(_ORG_BODY))
    chars.append(org_check_digit("".join(chars[8:16])))
    first17 = "".join(chars)
    return first17 + check_digit(first17)
