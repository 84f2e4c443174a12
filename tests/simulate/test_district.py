"""The synthetic district: townships, industries, sizes, names and identifiers."""

from __future__ import annotations

import random
import re
import time
import unicodedata
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from wagewatch.enterprises.uscc import is_valid
from wagewatch.simulate import generate
from wagewatch.simulate.district import (
    INDUSTRIES,
    NAME_VARIANTS,
    Registry,
    build_registry,
    make_district,
    variant,
)
from wagewatch.simulate.ids import (
    bad_check_digit,
    credit_code,
    id_number,
    id_number_valid,
    person_name,
    phone,
)


@pytest.fixture(scope="module")
def registry() -> Registry:
    rng = random.Random("district-test")
    return build_registry(5000, make_district(rng), rng, np.random.default_rng(8), 0.01)


def test_district_has_8_to_12_townships_streets_towns_and_parks() -> None:
    for seed in range(20):
        district = make_district(random.Random(seed))
        names = district.townships
        assert 8 <= len(names) <= 12 and len(set(names)) == len(names)
        assert any(n.endswith("街道") for n in names)
        assert any(n.endswith("镇") for n in names)
        assert any(n.endswith(("开发区", "园区")) for n in names)


def test_construction_transport_and_water_are_about_15_percent(registry: Registry) -> None:
    platform = np.array([ind.platform for ind in INDUSTRIES])[registry.industry]
    assert 0.12 <= platform.mean() <= 0.18
    assert {INDUSTRIES[i].name for i in registry.industry.tolist()} == {i.name for i in INDUSTRIES}


def test_headcounts_are_heavy_tailed(registry: Registry) -> None:
    employees = registry.employees
    assert 5 <= np.median(employees) <= 100
    assert ((employees >= 5) & (employees <= 100)).mean() > 0.75
    assert ((employees >= 500) & (employees <= 3000)).sum() >= 10
    assert employees.max() <= 3000


def test_names_are_unique_and_look_like_company_names(registry: Registry) -> None:
    names = [n.canonical for n in registry.names]
    assert len(set(names)) == len(names)
    forms = ("有限公司", "有限责任公司", "股份有限公司")
    assert all(re.search(r"(公司|分公司|项目部)$", n) for n in names)
    assert any(n.endswith("分公司") for n in names)
    assert any(n.endswith("项目部") for n in names)
    assert any("（" in n for n in names)
    assert all(any(f in n for f in forms) for n in names)


def _fold(text: str, city: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\s+", "", text).replace("有限责任公司", "有限公司")
    text = re.sub(rf"\(?{city}市?\)?", "", text)
    return text


def test_name_variants_differ_but_name_the_same_enterprise(registry: Registry) -> None:
    rng = random.Random(5)
    city = registry.district.city
    made = dict.fromkeys(NAME_VARIANTS, 0)
    for name in registry.names[:800]:
        if name.region and name.region not in (city, city + "市"):
            continue  # a province prefix folds differently
        for kind in NAME_VARIANTS:
            written = variant(name, kind, city, rng)
            if written is None:
                continue
            made[kind] += 1
            assert written != name.canonical
            assert _fold(written, city) == _fold(name.canonical, city), (kind, written)
    assert all(made.values()), made


def test_codes_validate_and_a_bad_check_digit_does_not() -> None:
    rng = random.Random(3)
    for _ in range(500):
        code = credit_code(rng, "330112")
        assert code.startswith("91330112") and is_valid(code)
        assert not is_valid(bad_check_digit(code, rng))


def test_people_have_valid_id_numbers_and_mobile_phones() -> None:
    rng = random.Random(4)
    for _ in range(500):
        number = id_number(rng, date(2024, 6, 1))
        assert id_number_valid(number)
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        assert 18 <= (date(2024, 6, 1) - born).days / 365.25 <= 61
        assert re.fullmatch(r"1[3-9]\d{9}", phone(rng))
        assert 2 <= len(person_name(rng)) <= 3
    assert not id_number_valid("11010519491231002X".replace("X", "1"))


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(k) + _strings(v)]
    if isinstance(value, tuple | list | frozenset | set):
        return [s for v in value for s in _strings(v)]
    return []


def test_every_word_the_simulator_writes_encodes_in_gbk() -> None:
    from wagewatch.simulate import district, ids, records, text

    words = [
        w
        for module in (district, ids, records, text)
        for w in _strings(list(vars(module).values()))
    ]
    assert len(words) > 200
    for word in words:
        word.encode("gbk")


@pytest.mark.slow
def test_3000_enterprises_over_24_months_take_well_under_30_seconds(tmp_path: Path) -> None:
    started = time.perf_counter()
    summary = generate(3000, 24, 1, tmp_path, date(2024, 12, 31))
    assert time.perf_counter() - started < 30
    assert 0.05 <= summary.deteriorating / 3000 <= 0.11
