"""Shared fixtures for the extractor tests."""

from __future__ import annotations

from pathlib import Path

import pytest

CORPUS = Path(__file__).with_name("corpus.jsonl")


@pytest.fixture(scope="session")
def corpus_path() -> Path:
    """The labelled corpus shipped with the tests."""
    return CORPUS
