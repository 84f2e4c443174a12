"""Project-wide fixtures."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def wagewatch() -> str:
    """Path of the installed `wagewatch` command (the contract is tested through it)."""
    candidate = Path(sys.executable).with_name("wagewatch")
    found = str(candidate) if candidate.exists() else shutil.which("wagewatch")
    if not found:
        pytest.fail("the wagewatch command is not installed: run `make install`")
    return found


PG_URL = os.environ.get("WAGEWATCH_TEST_POSTGRES_URL")


def require_or_skip(available: bool, what: str, how: str) -> None:
    """Skip loudly when a prerequisite is missing; under CI=true a missing one is a failure."""
    if available:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {what} is missing: {how}")
    pytest.skip(f"SKIPPED — {what} is not available here: {how}")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh operational database: a SQLite file, and PostgreSQL when one is configured."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'wagewatch.db'}"
    require_or_skip(
        bool(PG_URL),
        "PostgreSQL",
        "set WAGEWATCH_TEST_POSTGRES_URL=postgresql+psycopg://user:pw@127.0.0.1/db (.ci/run does)",
    )
    assert PG_URL is not None
    from sqlalchemy import create_engine

    engine = create_engine(PG_URL)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()
    from wagewatch.db.session import get_engine

    get_engine(PG_URL).dispose()  # pooled connections may hold the dropped schema's catalog
    return PG_URL
