"""Fixtures: built front-end assets, a fast password hasher, a prepared district."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from tests.web.helpers import World, build_world, copy_world
from wagewatch.auth.service import use_password_hasher
from wagewatch.web.assets import REQUIRED, VENDOR_DIR, AssetsMissing, build_assets


@pytest.fixture(scope="session", autouse=True)
def vendor_assets() -> None:
    """The generated vendor folder (built from node_modules when it is missing)."""
    if all((VENDOR_DIR / name).is_file() for name in REQUIRED):
        return
    try:
        build_assets()
    except AssetsMissing as exc:
        pytest.fail(f"front-end assets are missing and cannot be built: {exc}")


@pytest.fixture(scope="session", autouse=True)
def fast_hasher() -> Iterator[None]:
    """argon2id with tiny costs: the web tests sign in many times."""
    previous = use_password_hasher(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    yield
    use_password_hasher(previous)


@pytest.fixture(scope="session")
def shared_world(tmp_path_factory: pytest.TempPathFactory) -> World:
    """One prepared district for the tests that only read."""
    return build_world(tmp_path_factory.mktemp("web") / "home")


@pytest.fixture
def world(shared_world: World, tmp_path: Path) -> World:
    """A private copy of the district for a test that writes."""
    return copy_world(shared_world, tmp_path / "home")
