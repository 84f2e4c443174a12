"""The labelled corpus is well formed, and the extractor scores on it as documented."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from wagewatch.extract import CONTRACT_KEYS, FLAGS, evaluate_file

GENRES = {"hotline", "letter", "board", "news", "court", "grid", "negative"}


def _items(path: Path) -> list[dict[str, object]]:
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def test_corpus_is_large_varied_and_well_formed(corpus_path: Path) -> None:
    items = _items(corpus_path)
    assert len(items) >= 150
    assert len({i["id"] for i in items}) == len(items)
    assert {i["genre"] for i in items} == GENRES
    for item in items:
        expected = item["expected"]
        assert isinstance(expected, dict)
        assert list(expected) == list(CONTRACT_KEYS)
        assert set(expected["flags"]) <= set(FLAGS)
        assert expected["flags"] == sorted(expected["flags"])
        assert item["split"] in ("train", "heldout")
        if not expected["is_wage_arrears"]:
            assert expected["flags"] == [] and expected["workers"] is None


def test_a_third_is_held_out(corpus_path: Path) -> None:
    splits = Counter(i["split"] for i in _items(corpus_path))
    share = splits["heldout"] / (splits["heldout"] + splits["train"])
    assert 0.30 <= share <= 0.40


def test_every_genre_is_in_the_held_out_split(corpus_path: Path) -> None:
    held = {i["genre"] for i in _items(corpus_path) if i["split"] == "heldout"}
    assert held == GENRES


def test_heldout_mean_is_at_least_092(corpus_path: Path) -> None:
    report = evaluate_file(corpus_path)
    assert report.split == "heldout"
    assert report.mean >= 0.92, report.to_dict()["accuracy"]


def test_train_mean_is_at_least_095(corpus_path: Path) -> None:
    assert evaluate_file(corpus_path, split="train").mean >= 0.95
