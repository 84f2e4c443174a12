"""Fixtures: small simulated districts, generated once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from wagewatch.simulate import SimulationSummary, generate

from .helpers import END


@pytest.fixture(scope="session")
def district(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SimulationSummary]:
    """200 enterprises over 6 months, with the default mess."""
    out = tmp_path_factory.mktemp("district")
    return out, generate(200, 6, 11, out, END)


@pytest.fixture(scope="session")
def busy_district(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SimulationSummary]:
    """A larger district over 12 months: enough deteriorating firms to test their histories."""
    out = tmp_path_factory.mktemp("busy")
    return out, generate(600, 12, 5, out, END, deteriorate=0.2)
