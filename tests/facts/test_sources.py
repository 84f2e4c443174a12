"""Fact lineage: every fact the engine computes names the source kinds that feed it."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import ibis
import pyarrow as pa

from wagewatch.facts.engine import FactsInputs, compute_cluster_facts, compute_facts
from wagewatch.facts.sources import BASE_FACT_SOURCES, FACT_SOURCES, sources_of
from wagewatch.rules.derived import DERIVED
from wagewatch.rules.vocabulary import FACTS
from wagewatch.signals.catalogue import kinds

DOCS = Path(__file__).resolve().parents[2] / "docs" / "facts.md"


def _engine_facts() -> set[str]:
    reg = ibis.memtable(pa.Table.from_pylist([{"enterprise_id": 1, "employees": 5}]))
    manual = ibis.memtable(pa.Table.from_pylist([{"enterprise_id": 1, "manual_level": "red"}]))
    facts = compute_facts(FactsInputs(registry=reg, manual=manual), date(2024, 10, 31))
    reg_full = ibis.memtable(
        pa.Table.from_pylist([{"enterprise_id": 1, "industry": "建筑业", "township": "东镇"}])
    )
    # the cluster table also carries the lists behind its counts: only its facts count
    cluster = set(compute_cluster_facts(facts, reg_full).columns)
    cluster_facts = cluster & {name for name, fact in FACTS.items() if fact.cluster}
    return (set(facts.columns) - {"enterprise_id"}) | cluster_facts


def test_every_fact_the_engine_computes_has_sources() -> None:
    computed = _engine_facts()
    assert computed - set(BASE_FACT_SOURCES) == set()
    # and nothing is mapped that the engine does not compute
    assert set(BASE_FACT_SOURCES) == computed


def test_every_vocabulary_fact_has_an_entry() -> None:
    assert set(FACTS) - set(FACT_SOURCES) == set()
    for name, fact in FACTS.items():
        if name != "manual_level":
            assert FACT_SOURCES[name], f"{name} ({fact.label}) has no source"
    assert sources_of("manual_level") == ()
    assert sources_of("no_such_fact") == ()


def test_every_kind_named_is_in_the_catalogue() -> None:
    known = [k.key for k in kinds()]
    for fact, fed_by in FACT_SOURCES.items():
        assert set(fed_by) <= set(known), fact
        assert len(set(fed_by)) == len(fed_by), fact
        assert list(fed_by) == sorted(fed_by, key=known.index), "catalogue order"


def test_derived_facts_take_the_union_of_their_inputs() -> None:
    for name, condition in DERIVED.items():
        reads = condition.names() - {name}
        expected = {k for r in reads for k in FACT_SOURCES[r]}
        assert set(FACT_SOURCES[name]) == expected
    assert FACT_SOURCES["fee_arrears_months"] == ("fee_arrears",)
    assert set(FACT_SOURCES["wages_unpaid"]) == {"complaints", "inspections", "wage_payments"}
    assert {"layoffs", "credit_blacklist", "si_deferrals"} <= set(FACT_SOURCES["any_anomaly"])


def test_entries_as_docs_facts_md_describes_them() -> None:
    assert set(sources_of("wage_arrears_months")) == {"complaints", "inspections", "wage_payments"}
    assert sources_of("tax_arrears_months") == ("fee_arrears",)
    assert sources_of("employees") == ("enterprises",)
    assert set(sources_of("outsourcing")) == {"enterprises", "business_events"}
    assert set(sources_of("business_anomaly")) == {"business_events", "layoffs"}
    assert sources_of("wage_delays_12m") == ("wage_payments",)
    assert sources_of("wage_complaints_90d") == ("complaints",)
    assert sources_of("blacklisted") == ("credit_blacklist",)
    assert sources_of("repeat_petitions_90d") == ("petitions",)
    assert sources_of("arbitration_cases_90d") == ("arbitration",)
    assert sources_of("social_insurance_deferrals_12m") == ("si_deferrals",)
    assert sources_of("group_incident") == ("incidents",)


def test_each_docs_section_names_kinds_that_feed_its_facts() -> None:
    """A section headed with source kinds: every fact it names is fed by one of them."""
    known = {k.key for k in kinds()}
    sections = re.split(r"^## ", DOCS.read_text(encoding="utf-8"), flags=re.M)[1:]
    checked = 0
    for section in sections:
        head, _, body = section.partition("\n")
        section_kinds = set(re.findall(r"`(\w+)`", head)) & known
        if not section_kinds:
            continue
        named = set(re.findall(r"`(\w+)`", body)) & set(FACT_SOURCES)
        for fact in named:
            assert set(FACT_SOURCES[fact]) & section_kinds, (head, fact)
            checked += 1
    assert checked >= 20
