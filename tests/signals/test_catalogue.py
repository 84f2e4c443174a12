"""The source-kind catalogue: built-in kinds, the registry, and what each kind feeds."""

from __future__ import annotations

import re

import pytest

from tests.signals.helpers import write_csv
from wagewatch.rules.vocabulary import FACTS
from wagewatch.signals import (
    Catalogue,
    Choice,
    Column,
    SourceKind,
    UnknownKindError,
    enterprise_columns,
    get_kind,
    kinds,
    register_kind,
    unregister_kind,
    validate_file,
)
from wagewatch.signals.catalogue import BUILTIN_KINDS, ENTERPRISE_KEYS

BUILTIN_KEYS = [
    "enterprises",
    "fee_arrears",
    "si_deferrals",
    "wage_payments",
    "complaints",
    "business_events",
    "credit_blacklist",
    "incidents",
    "inspections",
    "arbitration",
    "layoffs",
    "petitions",
]


def test_every_kind_from_the_issue_is_registered_in_order():
    assert [k.key for k in BUILTIN_KINDS] == BUILTIN_KEYS
    assert [k.key for k in kinds()][: len(BUILTIN_KEYS)] == BUILTIN_KEYS


@pytest.mark.parametrize("key", BUILTIN_KEYS)
def test_every_builtin_kind_is_about_an_enterprise_with_code_and_name(key):
    kind = get_kind(key)
    assert kind.about_enterprise
    assert kind.column("credit_code").header == "统一社会信用代码"
    assert kind.column("enterprise_name").header == "企业名称"
    assert ENTERPRISE_KEYS in kind.one_of


@pytest.mark.parametrize("key", BUILTIN_KEYS)
def test_every_column_has_chinese_help_and_a_title(key):
    kind = get_kind(key)
    assert re.search(r"[\u4e00-\u9fff]", kind.title)
    assert kind.offices and kind.feeds
    for column in kind.columns:
        assert re.search(r"[\u4e00-\u9fff]", column.header), column.key
        assert re.search(r"[\u4e00-\u9fff]", column.help), column.key


@pytest.mark.parametrize("key", BUILTIN_KEYS)
def test_feeds_text_names_only_facts_from_the_spec(key):
    names = re.findall(r"`([a-z_0-9]+)`", get_kind(key).feeds)
    assert names, "feeds should name the facts it drives"
    assert set(names) <= set(FACTS), set(names) - set(FACTS)


def test_fee_categories_line_up_with_the_seven_arrears_facts():
    category = get_kind("fee_arrears").column("category")
    codes = [c.value for c in category.choices]
    assert codes == ["tax", "social_insurance", "loan", "water", "electricity", "gas", "telecom"]
    assert [c.label for c in category.choices] == [
        "税费",
        "社保费",
        "贷款",
        "水费",
        "电费",
        "燃气费",
        "通信费",
    ]
    for code in codes:
        assert f"{code}_arrears_months" in FACTS


def test_event_and_incident_types_cover_the_issue_lists():
    events = {c.label for c in get_kind("business_events").column("event_type").choices}
    assert events >= {
        "停产",
        "减产",
        "搬迁",
        "重组",
        "裁员",
        "减员",
        "关停风险",
        "突然关停",
        "资产查封",
        "法人被管制",
        "经济纠纷",
        "负责人失联",
        "外包",
    }
    incidents = {c.label for c in get_kind("incidents").column("incident_type").choices}
    assert incidents == {
        "群体性事件",
        "集体停工",
        "极端讨薪",
        "舆情热点",
        "伤亡或刑事案件",
        "升级迹象",
    }


def test_personal_data_columns_are_marked_pii():
    complaints = {c.key for c in get_kind("complaints").pii_columns()}
    assert complaints == {"complainant_name", "complainant_phone", "complainant_id_number"}
    assert get_kind("enterprises").column("contact_phone").pii
    assert not get_kind("enterprises").column("enterprise_name").pii


def test_petitions_carry_a_matter_key_to_count_repeats():
    matter = get_kind("petitions").column("matter_key")
    assert matter.required


@pytest.mark.parametrize("key", BUILTIN_KEYS)
def test_sample_row_of_every_kind_validates_through_a_file(tmp_path, key):
    kind = get_kind(key)
    path = write_csv(
        tmp_path / f"{key}.csv",
        [[c.header for c in kind.columns], [c.sample for c in kind.columns]],
    )
    report = validate_file(path, kind=key)
    assert report.errors == []
    assert report.accepted == 1
    assert report.unmatched_headers == []


def test_registering_a_key_twice_is_refused_unless_replacing():
    catalogue = Catalogue(BUILTIN_KINDS)
    with pytest.raises(ValueError, match="already registered"):
        catalogue.register(get_kind("complaints"))
    catalogue.register(get_kind("complaints"), replace=True)
    assert len(catalogue) == len(BUILTIN_KINDS)


def test_unknown_kind_names_the_key_in_chinese():
    with pytest.raises(UnknownKindError) as info:
        get_kind("nope")
    assert "未登记" in str(info.value) and "nope" in str(info.value)


def test_a_deployment_kind_registers_like_the_builtins_and_imports(tmp_path):
    kind = SourceKind(
        key="housing_fund_arrears",
        title="公积金欠缴",
        offices=("住房公积金中心",),
        columns=(
            *enterprise_columns(),
            Column("month", "欠缴月份", "month", required=True, help="欠缴月份", sample="2024-10"),
        ),
        one_of=(ENTERPRISE_KEYS,),
        feeds="每行是一个月的公积金欠缴（暂不参与评级）。",
    )
    register_kind(kind)
    try:
        assert get_kind("housing_fund_arrears") is kind
        path = write_csv(tmp_path / "gjj.csv", [["企业名称", "欠缴月份"], ["甲公司", "2024年9月"]])
        report = validate_file(path, kind="housing_fund_arrears")
        assert [r["month"].isoformat() for r in report.records()] == ["2024-09-01"]
    finally:
        unregister_kind("housing_fund_arrears")
    assert "housing_fund_arrears" not in [k.key for k in kinds()]


def test_a_kind_whose_columns_share_a_header_is_refused():
    with pytest.raises(ValueError, match="names both"):
        SourceKind(
            key="bad",
            title="坏",
            offices=(),
            columns=(
                Column("a", "日期", "date", help="甲"),
                Column("b", "发生日期", "date", aliases=("日期（发生）",), help="乙"),
            ),
            feeds="",
        )


def test_an_enum_without_choices_or_with_a_clashing_spelling_is_refused():
    with pytest.raises(ValueError, match="needs choices"):
        Column("kind", "类别", "enum")
    clashing = Column("kind", "类别", "enum", choices=(Choice("a", "甲", ("x",)), Choice("b", "X")))
    with pytest.raises(ValueError, match="names a and b"):
        SourceKind(key="clash", title="冲突", offices=(), columns=(clashing,), feeds="")


def test_a_reserved_layout_header_cannot_name_a_column():
    with pytest.raises(ValueError, match="reserved"):
        SourceKind(key="r", title="保留", offices=(), columns=(Column("n", "序号"),), feeds="")
