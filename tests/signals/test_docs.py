"""docs/sources.md is generated from the catalogue and must not go stale."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from wagewatch.signals import get_kind
from wagewatch.signals.catalogue import BUILTIN_KINDS
from wagewatch.signals.docs import render_kind_md, render_sources_md, sample_csv

PAGE = Path(__file__).resolve().parents[2] / "docs" / "sources.md"


def test_committed_sources_page_equals_the_rendered_catalogue():
    rendered = render_sources_md(BUILTIN_KINDS)
    assert PAGE.read_text(encoding="utf-8") == rendered, (
        "docs/sources.md is stale: run `python -m wagewatch.signals.docs docs/sources.md`"
    )


def test_the_page_lists_every_kind_column_alias_and_choice():
    page = render_sources_md(BUILTIN_KINDS)
    for kind in BUILTIN_KINDS:
        assert f"## {kind.title}（`{kind.key}`）" in page
        section = render_kind_md(kind)
        for column in kind.columns:
            assert f"| `{column.key}` | {column.header} |" in section
            for alias in column.aliases:
                assert alias in section
            for choice in column.choices:
                assert f"{choice.label}（`{choice.value}`" in section


def test_personal_data_is_flagged_in_the_table():
    section = render_kind_md(get_kind("complaints"))
    row = next(line for line in section.splitlines() if "`complainant_id_number`" in line)
    assert "| 是 |" in row


def test_each_sample_block_is_the_kind_headers_and_sample_row():
    for kind in BUILTIN_KINDS:
        rows = list(csv.reader(io.StringIO(sample_csv(kind))))
        assert rows == [[c.header for c in kind.columns], [c.sample for c in kind.columns]]
        block = re.search(r"```csv\n(.*?)\n```", render_kind_md(kind), re.S)
        assert block and block.group(1) + "\n" == sample_csv(kind)
