"""Fixtures: an in-memory database, a fast argon2id hasher and the demo organisation."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher
from sqlalchemy.orm import Session

from tests.auth.helpers import Org, demo_engine, new_engine
from wagewatch.auth.service import use_password_hasher


@pytest.fixture(autouse=True)
def fast_hasher() -> Iterator[PasswordHasher]:
    """argon2id with tiny costs, so tests do not spend seconds hashing; yields the real one."""
    previous = use_password_hasher(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    yield previous
    use_password_hasher(previous)


@pytest.fixture
def session() -> Iterator[Session]:
    """A session on a fresh in-memory database."""
    engine = new_engine()
    with Session(engine) as s:
        yield s
    engine.dispose()


@pytest.fixture
def org() -> Iterator[Org]:
    """The demo organisation (3 townships) with one user per role, committed."""
    engine, passwords = demo_engine()
    with Session(engine) as s:
        yield Org(s, passwords)
    engine.dispose()
