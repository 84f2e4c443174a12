"""Fixtures: built front-end assets, a fast password hasher, a prepared district."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import create_engine

from tests.conftest import PG_URL, require_or_skip
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
def sqlite_world(tmp_path_factory: pytest.TempPathFactory) -> World:
    """One prepared district in SQLite (copied for the tests that write)."""
    return build_world(tmp_path_factory.mktemp("web") / "home")


@pytest.fixture(scope="session")
def postgres_world(tmp_path_factory: pytest.TempPathFactory) -> World:
    """The same district in PostgreSQL, in its own database (other tests reset theirs)."""
    require_or_skip(
        bool(PG_URL),
        "PostgreSQL",
        "set WAGEWATCH_TEST_POSTGRES_URL (.ci/run does; .ci/start-postgres creates the web database)",
    )
    assert PG_URL is not None
    url = PG_URL.rsplit("/", 1)[0] + "/wagewatch_web_test"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()
    return build_world(tmp_path_factory.mktemp("web-pg") / "home", database_url=url)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def shared_world(request: pytest.FixtureRequest) -> World:
    """One prepared district for the tests that only read, on each database."""
    name = "sqlite_world" if request.param == "sqlite" else "postgres_world"
    world: World = request.getfixturevalue(name)
    return world


@pytest.fixture
def world(sqlite_world: World, tmp_path: Path) -> World:
    """A private copy of the district for a test that writes."""
    return copy_world(sqlite_world, tmp_path / "home")
