"""The 宣恩 预警信息表: the seed's exact form, pre-filled from a cluster warning, Word export."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from wagewatch.reports import forms as forms_module
from wagewatch.reports.forms import (
    MAX_FIELD_CHARS,
    FormField,
    FormSpec,
    UnknownForm,
    forms,
    get_form,
    prefill_values,
    register_form,
    to_docx,
    to_text,
    validate,
)
from wagewatch.rules.registry import get_rulebook

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
KEY = "xuanen_warning_form"
OFFICER_FIELDS = ["cause_analysis", "situation_forecast", "measures_taken", "next_steps"]


@pytest.fixture(scope="module")
def seed() -> str:
    path = SEEDS / get_form(KEY).seed
    if not path.is_file():
        pytest.fail(f"policy document not found at {path} (shared/ must sit beside the repository)")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def spec() -> FormSpec:
    return get_form(KEY)


def _reason(level: str) -> dict[str, str]:
    rb = get_rulebook("xuanen")
    c = next(c for c in rb.criteria if c.level == level)
    return {"criterion": c.id, "text": c.text}


def _level2_context() -> dict[str, Any]:
    return {
        "cluster": "建筑业",
        "level_name": "二级",
        "level": "level2",
        "reasons": [_reason("level2")],
        "facts": {
            "cluster_townships": 2,
            "cluster_enterprises": 3,
            "cluster_workers": 45,
            "cluster_incidents": 4,
        },
        "enterprises": [
            {
                "name": "宣恩县甲建筑有限公司",
                "township": "椒园镇",
                "workers_owed": 20,
                "amount_owed": 356000,
                "months_owed": 3,
            },
            {"name": "宣恩县乙劳务有限公司", "township": "沙道沟镇", "workers_owed": 25},
            {"name": "宣恩县丙工程有限公司"},
        ],
        "raised_at": datetime(2024, 5, 6, 6, 30, tzinfo=UTC),
        "reporting_unit": "宣恩县协调劳动关系三方办公室",
        "township_names": ["椒园镇", "沙道沟镇"],
    }


def _info(values: dict[str, str]) -> dict[str, str]:
    lines = values["warning_info"].split("\n")
    return dict(line.split("：", 1) for line in lines)


def _complete(values: dict[str, str]) -> dict[str, str]:
    filled = dict(values)
    filled.update({k: f"{k} 的内容" for k in OFFICER_FIELDS})
    filled.update(
        filled_date="2024年5月6日",
        person_in_charge="张三",
        filled_by="李四",
        contact_phone="0718-1234567",
    )
    return filled


# ---------------------------------------------------------------- the seed's form


def test_table_labels_are_the_seeds_exact_labels_in_order(spec, seed):
    table = seed.split("项目\t内容\n", 1)[1].split("\n\n", 1)[0]
    seed_labels = [line.strip() for line in table.split("\n") if line.strip()]
    assert [f.label for f in spec.fields] == seed_labels
    assert spec.columns == ("项目", "内容")


def test_header_and_footer_labels_follow_the_seed(spec, seed):
    attachment = seed[seed.rindex("附件\n") :]
    assert [f.label for f in spec.header_fields] == ["报告单位", "填报时间"]
    assert [f.label for f in spec.footer_fields] == ["负责人", "填报人", "联系电话"]
    assert "报告单位：（盖章）" in attachment
    assert "填报时间： 年 月 日" in attachment
    table_start = attachment.index("项目\t内容")
    header = [attachment.index(f"\n{f.label}：") for f in spec.header_fields]
    footer = [attachment.index(f"\n{f.label}：") for f in spec.footer_fields]
    assert header == sorted(header) and header[-1] < table_start
    assert footer == sorted(footer) and footer[0] > table_start


def test_title_clause_and_issuer_are_verbatim_from_the_seed(spec, seed):
    assert spec.seed == "003_c11e2e308e6a523b.txt"
    assert f"\n{spec.title}\n" in seed
    assert spec.clause in seed
    assert "一级预警信息不迟于6小时上报,二级预警信息不迟于2小时上报" in spec.clause
    assert spec.issuer in seed


def test_the_rulebook_names_a_registered_form(spec):
    rb = get_rulebook("xuanen")
    declared = rb.extra["forms"]
    assert [f["key"] for f in declared] == [KEY]
    assert declared[0]["title"] == spec.title


def test_fields_are_described_for_the_officer(spec):
    for f in spec.all_fields:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", f.key)
        assert re.search(r"[\u4e00-\u9fff]", f.help), f.key
    required = {f.key for f in spec.all_fields if f.required}
    assert set(OFFICER_FIELDS) <= required
    assert "enterprise_details" not in required


# ---------------------------------------------------------------- pre-fill


def test_prefill_of_a_level2_warning(spec):
    values = prefill_values(spec, _level2_context())
    assert set(values) == {f.key for f in spec.all_fields}
    assert values["reporting_unit"] == "宣恩县协调劳动关系三方办公室"
    assert values["filled_date"] == ""
    assert (
        values["enterprise_names"]
        == "宣恩县甲建筑有限公司、宣恩县乙劳务有限公司、宣恩县丙工程有限公司"
    )
    assert values["warning_level"] == "二级预警（影响范围涉及两个乡镇以上）"
    info = _info(values)
    assert list(info) == ["时间", "地点", "起因", "诉求", "规模"]
    assert info["时间"].startswith("2024年5月6日14时30分")  # China time
    assert info["地点"] == "椒园镇、沙道沟镇"
    assert info["起因"].startswith("建筑业符合预警条件：“对少数行业")
    assert _reason("level2")["text"] in info["起因"]
    assert info["诉求"] == ""
    assert info["规模"] == "涉及乡镇2个，涉及企业3家，涉及职工45人，群体性事件或集体停工4起"
    assert values["enterprise_details"].split("\n") == [
        "1. 宣恩县甲建筑有限公司（椒园镇）：欠薪职工20人，欠薪金额356,000元，拖欠3个月",
        "2. 宣恩县乙劳务有限公司（沙道沟镇）：欠薪职工25人",
        "3. 宣恩县丙工程有限公司",
    ]
    for key in OFFICER_FIELDS + ["person_in_charge", "filled_by", "contact_phone"]:
        assert values[key] == ""


def test_prefill_of_a_level1_warning(spec):
    context = {
        "cluster": "制造业",
        "level_name": "一级",
        "level": "level1",
        "reasons": [_reason("level1")],
        "facts": {"group_incidents": 1, "workers_involved": 8, "townships_affected": 1},
        "enterprises": [{"name": "宣恩县丁食品有限公司", "township": "珠山镇", "months_owed": 2}],
        "raised_at": datetime(2024, 1, 31, 20, 5, tzinfo=UTC),
        "reporting_unit": "珠山镇协调劳动关系三方机构",
        "township_names": ["珠山镇"],
        "filled_at": date(2024, 2, 1),
    }
    values = prefill_values(spec, context)
    assert values["warning_level"] == "一级预警（影响范围限于本乡镇范围内）"
    assert values["enterprise_names"] == "宣恩县丁食品有限公司"
    assert values["filled_date"] == "2024年2月1日"
    info = _info(values)
    assert info["时间"].startswith("2024年2月1日04时05分")  # past midnight in China
    assert info["规模"] == "涉及乡镇1个，涉及职工8人，群体性事件或集体停工1起"
    assert values["enterprise_details"] == "1. 宣恩县丁食品有限公司（珠山镇）：拖欠2个月"


def test_a_level1_reading_the_facts_contradict_is_not_printed(spec):
    # 一级 is also any cluster short of 二级: three townships but too few workers
    context = {
        "level_name": "一级",
        "reasons": [_reason("level1")],
        "facts": {"townships_affected": 3},
    }
    assert prefill_values(spec, context)["warning_level"] == "一级预警"


def test_level_name_falls_back_to_the_level_code(spec):
    values = prefill_values(spec, {"level": "level2"})
    assert values["warning_level"] == "二级预警"


def test_missing_facts_are_left_out_not_shown_as_zero(spec):
    context = {
        "level_name": "二级",
        "facts": {"cluster_workers": 45, "cluster_enterprises": None, "cluster_incidents": "?"},
        "enterprises": [{"name": "宣恩县甲建筑有限公司", "workers_owed": None}],
    }
    values = prefill_values(spec, context)
    info = _info(values)
    assert info["规模"] == "涉及职工45人"
    assert values["enterprise_details"] == "1. 宣恩县甲建筑有限公司"
    assert "0" not in values["warning_info"] + values["enterprise_details"]


def test_an_empty_context_invents_nothing(spec):
    values = prefill_values(spec, {})
    assert not re.search(r"\d", "".join(values.values()))
    assert values["enterprise_names"] == values["warning_level"] == ""
    assert all(v == "" for v in _info(values).values())


def test_more_than_five_enterprises_are_cut_with_a_count(spec):
    enterprises = [{"name": f"企业{i}"} for i in range(1, 8)]
    values = prefill_values(spec, {"enterprises": enterprises})
    assert values["enterprise_names"] == "企业1、企业2、企业3、企业4、企业5等7家"
    assert len(values["enterprise_details"].split("\n")) == 7
    # the cluster's own count wins when the case system lists fewer enterprises than it knows
    few = prefill_values(
        spec, {"enterprises": enterprises[:2], "facts": {"cluster_enterprises": 9}}
    )
    assert few["enterprise_names"] == "企业1、企业2等9家"


def test_naive_and_iso_times_are_read_as_utc(spec):
    naive = prefill_values(spec, {"raised_at": datetime(2024, 5, 6, 6, 30)})
    iso = prefill_values(spec, {"raised_at": "2024-05-06T06:30:00+00:00"})
    assert _info(naive)["时间"] == _info(iso)["时间"]
    assert _info(naive)["时间"].startswith("2024年5月6日14时30分")


# ---------------------------------------------------------------- validation


def test_validate_asks_the_officer_for_the_rest(spec):
    problems = validate(spec, prefill_values(spec, _level2_context()))
    for label in ["原因分析", "当前事态状况及发展趋势预测", "已采取措施及成效", "下一步工作方案"]:
        assert f"请填写“{label}”。" in problems
    assert "请填写“负责人”。" in problems
    assert not any("企业相关资料信息" in p for p in problems)
    assert validate(spec, _complete(prefill_values(spec, _level2_context()))) == []


def test_validate_rejects_blank_overlong_and_non_text_values(spec):
    values = _complete(prefill_values(spec, _level2_context()))
    values["cause_analysis"] = "  \n "
    values["next_steps"] = "字" * (MAX_FIELD_CHARS + 1)
    assert validate(spec, values) == [
        "请填写“原因分析”。",
        f"“下一步工作方案”不能超过2000字（现有{MAX_FIELD_CHARS + 1}字）。",
    ]
    values = _complete(prefill_values(spec, _level2_context()))
    values["next_steps"] = "字" * MAX_FIELD_CHARS
    assert validate(spec, values) == []
    bad: dict[str, Any] = dict(values, contact_phone=12345)
    assert validate(spec, bad) == ["“联系电话”应为文本。"]


# ---------------------------------------------------------------- export


def test_to_docx_round_trip(spec):
    values = _complete(prefill_values(spec, _level2_context()))
    data = to_docx(spec, values)
    assert data[:2] == b"PK"
    doc = docx.Document(BytesIO(data))

    title = doc.paragraphs[0]
    assert title.text == spec.title
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    texts = [p.text for p in doc.paragraphs]
    assert "报告单位：宣恩县协调劳动关系三方办公室（盖章）" in texts
    assert "填报时间：2024年5月6日" in texts
    for line in ["负责人：张三", "填报人：李四", "联系电话：0718-1234567"]:
        assert line in texts
    assert texts[-1] == spec.issuer
    assert texts.index("报告单位：宣恩县协调劳动关系三方办公室（盖章）") < texts.index(
        "负责人：张三"
    )

    (table,) = doc.tables
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["项目", "内容"]
    assert [r[0] for r in rows[1:]] == [f.label for f in spec.fields]
    assert [r[1] for r in rows[1:]] == [values[f.key] for f in spec.fields]
    assert "\n" in rows[3][1]  # 预警信息 keeps its lines

    normal = doc.styles["Normal"].element
    fonts = normal.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "宋体"
    assert doc.core_properties.title == spec.title


def test_to_docx_of_a_blank_form_prints_the_seeds_blanks(spec):
    doc = docx.Document(BytesIO(to_docx(spec, {})))
    texts = [p.text for p in doc.paragraphs]
    assert "报告单位：（盖章）" in texts
    assert "填报时间：　　年　　月　　日" in texts
    (table,) = doc.tables
    assert [row.cells[1].text for row in table.rows[1:]] == [""] * len(spec.fields)


def test_to_text(spec):
    values = _complete(prefill_values(spec, _level2_context()))
    text = to_text(spec, values)
    lines = text.split("\n")
    assert lines[0] == spec.title
    assert "预警级别：二级预警（影响范围涉及两个乡镇以上）" in lines
    assert "预警信息（时间、地点、起因、诉求和规模）：" in lines
    assert "  地点：椒园镇、沙道沟镇" in lines
    assert "原因分析：cause_analysis 的内容" in lines
    assert "联系电话：0718-1234567" in lines
    assert text.endswith(spec.issuer + "\n")
    assert to_text(spec, {}).count("：") >= len(spec.all_fields)


# ---------------------------------------------------------------- registry


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> None:
    # each test gets its own copy, so a deployment form never leaks into other tests
    monkeypatch.setattr(forms_module, "_REGISTRY", dict(forms_module._REGISTRY))


def _custom(key: str = "demo_report", title: str = "示例报告表") -> FormSpec:
    return FormSpec(
        key=key,
        title=title,
        seed="demo.txt",
        clause="示例条款",
        header_fields=(FormField("unit", "报告单位", help="单位"),),
        fields=(FormField("summary", "情况概述", multiline=True, help="概述"),),
        footer_fields=(FormField("phone", "联系电话", help="电话"),),
        prefill=lambda ctx: {"summary": str(ctx.get("summary", ""))},
    )


def test_the_built_in_form_is_registered(spec):
    assert spec in forms()
    assert get_form(KEY) is spec


def test_a_deployment_adds_its_own_form(registry):
    custom = register_form(_custom())
    assert get_form("demo_report") is custom
    assert [f.key for f in forms()][-1] == "demo_report"
    values = prefill_values(custom, {"summary": "三家企业欠薪"})
    assert values == {"unit": "", "summary": "三家企业欠薪", "phone": ""}
    doc = docx.Document(BytesIO(to_docx(custom, values)))
    assert doc.tables[0].rows[1].cells[1].text == "三家企业欠薪"


def test_duplicate_registration_needs_replace(registry):
    register_form(_custom())
    with pytest.raises(ValueError, match="已注册"):
        register_form(_custom(title="另一张表"))
    assert get_form("demo_report").title == "示例报告表"
    register_form(_custom(title="另一张表"), replace=True)
    assert get_form("demo_report").title == "另一张表"
    with pytest.raises(ValueError, match="已注册"):
        register_form(_custom(key=KEY))


def test_unknown_form(registry):
    with pytest.raises(UnknownForm) as caught:
        get_form("no_such_form")
    assert "未知的表单：no_such_form" in str(caught.value)
    assert KEY in str(caught.value)
    assert isinstance(caught.value, KeyError)


@pytest.mark.parametrize(
    "fields",
    [
        (FormField("summary", "情况概述"), FormField("summary", "另一项")),
        (FormField("Summary", "情况概述"),),
        (FormField("summary", " "),),
    ],
)
def test_a_malformed_spec_is_rejected(fields):
    with pytest.raises(ValueError):
        FormSpec(
            key="bad_form",
            title="表",
            seed="demo.txt",
            clause="",
            header_fields=(),
            fields=fields,
            footer_fields=(),
            prefill=lambda ctx: {},
        )
