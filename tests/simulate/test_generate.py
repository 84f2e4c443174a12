"""The simulated district: determinism, coverage of the catalogue, truth and injected mess."""

from __future__ import annotations

import csv
import json
import re
import zipfile
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import python_calamine

from wagewatch.signals.catalogue import get_kind, kinds
from wagewatch.signals.validate import map_headers
from wagewatch.simulate import ERROR_TYPES, MessRates, SimulationSummary, default_end, generate
from wagewatch.simulate.ids import id_number_valid

from .helpers import END, read_truth

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
ORG = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

District = tuple[Path, SimulationSummary]


def uscc_ok(code: str) -> bool:
    """GB 32100 and the GB 11714 organisation code inside it, checked independently."""
    if len(code) != 18 or any(c not in ALPHABET for c in code):
        return False
    total = sum(ALPHABET.index(c) * pow(3, i, 31) for i, c in enumerate(code[:17]))
    if ALPHABET[(31 - total % 31) % 31] != code[17]:
        return False
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    org = sum(ORG.index(c) * w for c, w in zip(code[8:16], weights, strict=True))
    check = (11 - org % 11) % 11
    return code[16] == ("X" if check == 10 else str(check))


def read_table(out: Path, spec: dict[str, str]) -> list[list[Any]]:
    """Every row of a written file as cells (CSV text, or calamine's typed values)."""
    path = out / spec["file"]
    if spec["format"] == "xlsx":
        with python_calamine.CalamineWorkbook.from_path(str(path)) as book:
            rows: list[list[Any]] = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
            return rows
    with path.open(encoding=spec["encoding"], newline="") as handle:
        return list(csv.reader(handle))


def files_by_name(out: Path) -> dict[str, dict[str, str]]:
    return {f["file"]: f for f in read_truth(out, "files.csv")}


def all_bytes(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_same_seed_writes_byte_identical_files(tmp_path: Path) -> None:
    first = all_bytes_of(tmp_path / "a", seed=3)
    second = all_bytes_of(tmp_path / "b", seed=3)
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []
    assert any(k.endswith(".xlsx") for k in first)


def all_bytes_of(out: Path, seed: int) -> dict[str, bytes]:
    generate(120, 4, seed, out, END)
    return all_bytes(out)


def test_another_seed_writes_another_district(tmp_path: Path) -> None:
    generate(120, 4, 1, tmp_path / "a", END)
    generate(120, 4, 2, tmp_path / "b", END)
    a = (tmp_path / "a" / "truth" / "enterprises.csv").read_bytes()
    assert a != (tmp_path / "b" / "truth" / "enterprises.csv").read_bytes()


def test_xlsx_creation_time_comes_from_the_period_not_the_clock(district: District) -> None:
    out, _ = district
    xlsx = [f for f in read_truth(out, "files.csv") if f["format"] == "xlsx"]
    assert xlsx
    for spec in xlsx:
        with zipfile.ZipFile(out / spec["file"]) as book:
            core = book.read("docProps/core.xml").decode()
            assert {i.date_time for i in book.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        created = re.search(r"<dcterms:created[^>]*>(\d{4})-(\d{2})", core)
        assert created is not None
        assert (int(created[1]), int(created[2])) <= (2025, 1)


def test_every_catalogue_kind_has_at_least_one_file(district: District) -> None:
    out, summary = district
    written = Counter(f["kind"] for f in read_truth(out, "files.csv"))
    for kind in kinds():
        assert written[kind.key] >= 1, kind.key
        assert any((out / "sources" / kind.key).iterdir())
    assert summary.catalogue_gaps == []
    assert summary.files_written == sum(written.values())


def test_truth_rows_cover_every_written_data_row(district: District) -> None:
    out, summary = district
    truth: dict[str, list[int]] = defaultdict(list)
    for row in read_truth(out, "rows.csv"):
        truth[row["file"]].append(int(row["row"]))
    for spec in read_truth(out, "files.csv"):
        table = read_table(out, spec)
        header = int(spec["header_row"])
        last = max(
            (i + 1 for i, r in enumerate(table) if any(str(c).strip() for c in r)), default=0
        )
        numbers = truth.get(spec["file"], [])
        # Every row below the header is listed once, in order, and nothing else is.
        assert numbers == list(range(header + 1, header + 1 + len(numbers))), spec["file"]
        assert (numbers[-1] if numbers else header) == last, spec["file"]
        assert len(numbers) == int(spec["rows"])
    counted = Counter(row["kind"] for row in read_truth(out, "rows.csv"))
    assert dict(counted) == {k: v for k, v in summary.rows_per_kind.items() if v}


def test_injected_error_counts_match_the_summary(district: District) -> None:
    out, summary = district
    counted: Counter[str] = Counter()
    for row in read_truth(out, "rows.csv"):
        for error in filter(None, row["errors"].split(";")):
            counted[error.partition(":")[0]] += 1
    assert set(summary.injected_errors) == set(ERROR_TYPES)
    assert {k: v for k, v in summary.injected_errors.items() if v} == dict(counted)
    # The default rates put every kind of mess in even a small district.
    for error in ("bad_check_digit", "missing_code", "name_variant", "duplicate_row"):
        assert counted[error] > 0, error


def test_injected_mess_is_really_in_the_files(district: District) -> None:
    out, _ = district
    specs = files_by_name(out)
    firms = {e["enterprise_id"]: e for e in read_truth(out, "enterprises.csv")}
    rows_by_file: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in read_truth(out, "rows.csv"):
        rows_by_file[row["file"]].append(row)
    checked: Counter[str] = Counter()
    for name, rows in rows_by_file.items():
        spec = specs[name]
        table = read_table(out, spec)
        header = [str(c) for c in table[int(spec["header_row"]) - 1]]
        mapping = map_headers(get_kind(spec["kind"]), header)
        code_at = mapping.indices.get("credit_code")
        name_at = mapping.indices.get("enterprise_name")
        for row in rows:
            cells = table[int(row["row"]) - 1] if int(row["row"]) <= len(table) else []
            errors = row["errors"]
            if "blank_row" in errors:
                assert not any(str(c).strip() for c in cells)
                checked["blank_row"] += 1
                continue
            if "summary_row" in errors or row["malformed"] == "1":
                continue
            firm = firms[row["enterprise_id"]]
            code = str(cells[code_at]).strip() if code_at is not None else ""
            if "bad_check_digit" in errors:
                assert code[:17] == firm["code"][:17] and not uscc_ok(code)
                checked["bad_check_digit"] += 1
            elif "missing_code" in errors:
                assert code == ""
                checked["missing_code"] += 1
            elif code:
                assert code == firm["code"]
            written = str(cells[name_at])
            if "name_variant" in errors:
                assert written != firm["name"]
                checked["name_variant"] += 1
            else:
                assert written == firm["name"]
    assert min(checked.values()) > 0 and len(checked) == 4


def test_malformed_rows_carry_a_broken_date_or_number(district: District) -> None:
    out, _ = district
    malformed = [r for r in read_truth(out, "rows.csv") if r["malformed"] == "1"]
    assert malformed
    for row in malformed:
        assert row["enterprise_id"] == ""
        assert row["errors"] in ("bad_date", "text_in_number")


def test_registry_codes_validate_and_match_the_truth(district: District) -> None:
    out, _ = district
    firms = read_truth(out, "enterprises.csv")
    codes = [f["code"] for f in firms if f["code"]]
    assert len(codes) == len(set(codes)) >= len(firms) * 0.95
    assert all(uscc_ok(c) for c in codes)
    # Only a 项目部 has no code of its own.
    assert all(f["name"].endswith("项目部") for f in firms if not f["code"])
    spec = next(f for f in read_truth(out, "files.csv") if f["kind"] == "enterprises")
    table = read_table(out, spec)
    header = [str(c) for c in table[int(spec["header_row"]) - 1]]
    at = map_headers(get_kind("enterprises"), header).indices["credit_code"]
    written = {str(r[at]) for r in table[int(spec["header_row"]) :] if r and str(r[at]).strip()}
    registered = {f["code"] for f in firms if f["in_registry"] == "1"}
    assert written == registered


def series(rows: list[dict[str, str]], column: str) -> list[float]:
    return [float(r[column]) for r in rows]


MONOTONE = (
    "wage_arrears_months",
    "wage_arrears_workers",
    "wage_arrears_amount",
    "fee_arrears_months",
    "tax_arrears_months",
    "social_insurance_arrears_months",
    "electricity_arrears_months",
    "sudden_closure",
    "owner_absconded",
)


def test_deteriorating_enterprise_timeline_is_monotone_until_recovery(
    busy_district: District,
) -> None:
    out, summary = busy_district
    firms = {f["enterprise_id"]: f for f in read_truth(out, "enterprises.csv")}
    timeline: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in read_truth(out, "timeline.csv"):
        timeline[row["enterprise_id"]].append(row)
    deteriorating = [f for f in firms.values() if f["deteriorating"] == "1"]
    assert len(deteriorating) == summary.deteriorating > 50
    grew = recovered = 0
    for firm in deteriorating:
        rows = timeline[firm["enterprise_id"]]
        assert len(rows) == summary.months
        cut = firm["recovered"]
        before = [r for r in rows if not cut or r["month_end"] < cut[:7] + "-00"]
        for column in MONOTONE:
            values = series(before, column)
            assert values == sorted(values), (firm["enterprise_id"], column, values)
        grew += series(before, "fee_arrears_months")[-1:] > [0]
        if cut and cut[:7] >= rows[0]["month_end"][:7]:
            at = next(r for r in rows if r["month_end"][:7] == cut[:7])
            assert at["wages_unpaid"] == "0" and at["fee_arrears_months"] == "0"
            recovered += 1
    assert grew > 20 and recovered > 5


def test_arrears_episodes_agree_with_the_timeline(busy_district: District) -> None:
    out, _ = busy_district
    unpaid = {
        (r["enterprise_id"], r["month_end"][:7])
        for r in read_truth(out, "timeline.csv")
        if r["wages_unpaid"] == "1"
    }
    ends = sorted({m for _, m in unpaid})
    covered = set()
    for ep in read_truth(out, "arrears.csv"):
        assert int(ep["workers"]) >= 1 and int(ep["amount"]) > 0
        stop = ep["end_date"][:7] if ep["end_date"] else "9999-99"
        for month in ends:
            if ep["start_date"][:7] <= month < stop:
                covered.add((ep["enterprise_id"], month))
    assert covered == unpaid


def test_gbk_files_decode_as_gb18030_and_not_as_utf8(district: District) -> None:
    out, _ = district
    gbk = [f for f in read_truth(out, "files.csv") if f["encoding"] == "gbk"]
    assert gbk
    for spec in gbk:
        data = (out / spec["file"]).read_bytes()
        text = data.decode("gb18030")
        assert "企业" in text or "单位" in text or "公司" in text
        if not data.isascii():
            with pytest.raises(UnicodeDecodeError):
                data.decode("utf-8")


def test_files_mix_containers_encodings_titles_and_header_spellings(district: District) -> None:
    out, _ = district
    specs = read_truth(out, "files.csv")
    assert {f["format"] for f in specs} == {"csv", "xlsx"}
    encodings = {f["encoding"] for f in specs if f["format"] == "csv"}
    assert {"utf-8-sig", "utf-8"} <= encodings and encodings & {"gbk", "gb18030"}
    assert any(f["title"] for f in specs) and any(not f["title"] for f in specs)
    bom = [f for f in specs if f["encoding"] == "utf-8-sig"]
    assert all((out / f["file"]).read_bytes().startswith(b"\xef\xbb\xbf") for f in bom)
    canonical = {c.header for k in kinds() for c in k.columns}
    aliases = {a for k in kinds() for c in k.columns for a in c.aliases}
    seen: set[str] = set()
    dates: Counter[str] = Counter()
    for spec in specs:
        table = read_table(out, spec)
        header = [str(c) for c in table[int(spec["header_row"]) - 1]]
        seen.update(header)
        for row in table[int(spec["header_row"]) :]:
            for cell in row:
                dates[_date_form(cell)] += 1
    assert seen & canonical and seen & aliases
    assert seen <= canonical | aliases | {"序号"}
    for form in ("iso", "slash", "chinese", "compact", "excel_date"):
        assert dates[form] > 0, form


def _date_form(cell: Any) -> str:
    if isinstance(cell, date):
        return "excel_date"
    text = str(cell)
    for form, pattern in (
        ("iso", r"20\d\d-\d\d-\d\d"),
        ("slash", r"20\d\d/\d{1,2}/\d{1,2}"),
        ("chinese", r"20\d\d年\d{1,2}月\d{1,2}日"),
        ("compact", r"20\d\d[01]\d[0-3]\d"),
    ):
        if re.fullmatch(pattern, text):
            return form
    return ""


def test_complainants_have_well_formed_phones_and_id_numbers(district: District) -> None:
    out, _ = district
    phones = ids = 0
    for spec in read_truth(out, "files.csv"):
        if spec["kind"] not in ("complaints", "petitions"):
            continue
        table = read_table(out, spec)
        header = [str(c) for c in table[int(spec["header_row"]) - 1]]
        idx = map_headers(get_kind(spec["kind"]), header).indices
        for row in table[int(spec["header_row"]) :]:
            for key in ("complainant_phone", "petitioner_phone"):
                if key in idx and str(row[idx[key]]).strip():
                    assert re.fullmatch(r"1[3-9]\d{9}", str(row[idx[key]]))
                    phones += 1
            if "complainant_id_number" in idx and str(row[idx["complainant_id_number"]]).strip():
                assert id_number_valid(str(row[idx["complainant_id_number"]]))
                ids += 1
    assert phones > 0 and ids > 0


def test_complaint_truth_states_what_the_text_says(district: District) -> None:
    out, _ = district
    said = read_truth(out, "complaints.csv")
    rows = [r for r in read_truth(out, "rows.csv") if r["kind"] == "complaints"]
    assert len(said) == len([r for r in rows if "blank_row" not in r["errors"]])
    assert any(s["months_owed"] == "" for s in said) or len(said) < 20
    for s in said:
        assert s["is_wage_arrears"] in ("0", "1")
        assert set(filter(None, s["flags"].split(","))) <= {
            "fled",
            "extreme",
            "group",
            "construction",
            "casualty",
        }


def test_clean_rates_write_clean_files(tmp_path: Path) -> None:
    summary = generate(150, 3, 4, tmp_path, END, mess=MessRates.clean())
    assert sum(summary.injected_errors.values()) == 0
    rows = read_truth(tmp_path, "rows.csv")
    assert all(r["errors"] == "" and r["enterprise_id"] for r in rows)
    assert all(f["title"] == "" for f in read_truth(tmp_path, "files.csv"))


def test_summary_to_dict_is_json_ready_and_written_to_truth(district: District) -> None:
    out, summary = district
    data = summary.to_dict()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert json.loads((out / "truth" / "summary.json").read_text(encoding="utf-8")) == data
    assert data["files_written"] == len(data["files"]) and data["end"] == END.isoformat()
    assert 8 <= len(data["townships"]) <= 12


def test_default_end_is_the_last_day_of_the_previous_month() -> None:
    assert default_end(date(2024, 3, 15)) == date(2024, 2, 29)
    assert default_end(date(2025, 1, 1)) == date(2024, 12, 31)


def test_window_ends_at_the_month_of_end(tmp_path: Path) -> None:
    summary = generate(60, 3, 9, tmp_path, date(2024, 5, 17))
    assert summary.end == date(2024, 5, 31) and summary.start == date(2024, 3, 1)
    ends = sorted({r["month_end"] for r in read_truth(tmp_path, "timeline.csv")})
    assert ends == ["2024-03-31", "2024-04-30", "2024-05-31"]


def test_an_earlier_run_is_not_mixed_into_a_new_one(tmp_path: Path) -> None:
    generate(60, 2, 1, tmp_path, END)
    with pytest.raises(FileExistsError):
        generate(60, 2, 2, tmp_path, END)
    summary = generate(60, 2, 2, tmp_path, END, overwrite=True)
    written = {str(p.relative_to(tmp_path)) for p in (tmp_path / "sources").rglob("*.*")}
    assert written == set(summary.files)
