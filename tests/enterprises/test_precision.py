"""Precision on a synthetic district: spelling variants match, near-namesakes never do."""

import pytest

from tests.enterprises.precision import Outcome, build, evaluate
from wagewatch.enterprises.bench import bench_resolver
from wagewatch.enterprises.matching import Resolver

SAME_NAME = ["bracket", "suffix", "region", "width", "punct"]
NEAR_NAMESAKES = [
    "other_trade",
    "longer_trade",
    "sister",
    "other_branch",
    "other_region",
    "shorter_industry",
    "unrelated",
]


@pytest.fixture(scope="module", params=[0, 1])
def outcome(request) -> Outcome:
    registry, rows = build(1500, seed=request.param)
    resolver = Resolver((e.id, e.code, e.name) for e in registry)
    return evaluate(resolver, rows)


def test_no_row_is_ever_matched_to_the_wrong_enterprise(outcome):
    assert outcome.wrong == []


@pytest.mark.parametrize("kind", SAME_NAME)
def test_every_spelling_variant_matches_by_name(outcome, kind):
    assert outcome.share(kind, "name") == 1.0


@pytest.mark.parametrize("kind", ["code", "code_lowercase"])
def test_every_row_with_a_registered_code_matches_by_code(outcome, kind):
    assert outcome.share(kind, "code") == 1.0


def test_a_mistyped_code_falls_back_to_the_name_every_time(outcome):
    assert outcome.share("bad_code+name", "name") == 1.0


def test_a_code_of_one_enterprise_with_the_name_of_another_is_always_reviewed(outcome):
    assert outcome.share("code_conflict", "review") == 1.0


@pytest.mark.parametrize("kind", ["parent_only_registered", "other_branch_registered"])
def test_a_registered_parent_or_sibling_branch_is_found_by_its_own_name(outcome, kind):
    if outcome.by_kind[kind]:
        assert outcome.share(kind, "name") == 1.0


@pytest.mark.parametrize("kind", NEAR_NAMESAKES)
def test_near_namesakes_outside_the_registry_always_go_to_review(outcome, kind):
    if outcome.by_kind[kind]:
        assert outcome.share(kind, "review") == 1.0


@pytest.mark.parametrize("kind", NEAR_NAMESAKES)
def test_near_namesakes_with_an_unknown_valid_code_are_reviewed_or_new(outcome, kind):
    counts = outcome.by_kind[kind + "+new_code"]
    assert set(counts) <= {"review", "new"}


def test_typos_are_matched_fuzzily_or_reviewed_never_guessed(outcome):
    counts = outcome.by_kind["typo"]
    assert set(counts) <= {"fuzzy", "review"}
    assert outcome.share("typo", "fuzzy") > 0.25  # one typo in the industry words is corrected


def test_bench_resolver_reports_a_rate():
    assert bench_resolver(5_000) > 0
