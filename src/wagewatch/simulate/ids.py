"""Identifiers of a synthetic district: credit codes, ID numbers, phones and personal names."""

from __future__ import annotations

import random
from datetime import date, timedelta

from wagewatch.enterprises.uscc import ALPHABET, check_digit, org_check_digit

__all__ = [
    "ORG_BODY",
    "bad_check_digit",
    "credit_code",
    "id_number",
    "id_number_valid",
    "person_name",
    "phone",
]

# Body characters of a GB 11714 code that are also in the GB 32100 alphabet (no I, O, S, V, Z).
ORG_BODY = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# Provinces that send many migrant workers, with real prefecture-level codes.
_ID_REGIONS = (
    "411323", "411525", "412724", "510922", "511321", "513030", "341222", "341621", "340826",
    "430524", "431121", "522422", "520221", "362426", "360729", "421127", "420683", "500235",
    "452226", "610528", "320924", "330326", "370826", "130529",
)  # fmt: skip
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾"
)
_GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌辉鹏飞宇浩俊峰波"
    "海燕林春梅云龙成东亮晓丹宁慧新利福德金山庆祥永生海涛立群小红春花长青国强建华"
)
_MOBILE_PREFIXES = (
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "147", "150", "151",
    "152", "153", "155", "156", "157", "158", "159", "166", "171", "173", "175", "176", "177",
    "178", "180", "181", "182", "183", "185", "186", "187", "188", "189", "191", "198", "199",
)  # fmt: skip


def credit_code(rng: random.Random, region: str) -> str:
    """A valid 18-character enterprise code (登记管理部门 9, 企业 1) for a region."""
    if rng.random() < 0.6:  # codes issued since 2015 carry MA + a serial in the 主体标识码
        body = "MA" + "".join(rng.choice(ORG_BODY) for _ in range(6))
    else:  # an older enterprise keeps its GB 11714 organisation code
        body = "".join(rng.choice("0123456789") for _ in range(8))
    first17 = "91" + region + body + org_check_digit(body)
    return first17 + check_digit(first17)


def bad_check_digit(code: str, rng: random.Random) -> str:
    """The same code with a wrong GB 32100 check character (as a typo or a pilot code has)."""
    wrong = rng.choice([c for c in ALPHABET if c != code[17]])
    return code[:17] + wrong


def id_number(rng: random.Random, on: date) -> str:
    """A well-formed 18-digit resident ID number (GB 11643) of an adult worker."""
    age_days = rng.randint(18 * 365 + 5, 60 * 365)
    born = on - timedelta(days=age_days)
    body = rng.choice(_ID_REGIONS) + born.strftime("%Y%m%d") + f"{rng.randint(0, 999):03d}"
    total = sum(int(c) * w for c, w in zip(body, _ID_WEIGHTS, strict=True))
    return body + _ID_CHECK[total % 11]


def id_number_valid(number: str) -> bool:
    """True when an 18-character ID number carries the right GB 11643 check character."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(c) * w for c, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17].upper()


def phone(rng: random.Random) -> str:
    """An 11-digit mobile number with a real operator prefix (1[3-9]x)."""
    return rng.choice(_MOBILE_PREFIXES) + f"{rng.randint(0, 99_999_999):08d}"


def person_name(rng: random.Random) -> str:
    """A common Chinese personal name of two or three characters."""
    given = rng.choice(_GIVEN)
    if rng.random() < 0.7:
        given += rng.choice(_GIVEN)
    return rng.choice(_SURNAMES) + given
