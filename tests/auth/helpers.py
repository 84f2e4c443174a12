"""Shared test helpers: a fixed clock start, fresh databases, enterprises, the demo org."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, create_engine, select
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

import wagewatch.auth.models  # noqa: F401  (registers the auth tables)
import wagewatch.db.models  # noqa: F401  (every other table, so foreign keys resolve)
from wagewatch.auth.models import User
from wagewatch.auth.seed import seed_demo_org
from wagewatch.db.base import Base
from wagewatch.enterprises.models import Enterprise

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
TOWNSHIPS = ["东镇", "西镇", "南镇"]


def new_engine() -> Engine:
    """A fresh in-memory database with every table."""
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    return engine


# Seeding takes ~50 flushes; it is done once and each test gets a copy of the database.
_demo: tuple[sqlite3.Connection, dict[str, str]] | None = None


def demo_engine() -> tuple[Engine, dict[str, str]]:
    """A fresh in-memory copy of the seeded demo organisation and its users' passwords."""
    global _demo
    if _demo is None:
        seeded = new_engine()
        with Session(seeded) as s:
            credentials = seed_demo_org(s, TOWNSHIPS, now=T0)
            s.commit()
        template = sqlite3.connect(":memory:", check_same_thread=False)
        raw = seeded.raw_connection()
        assert raw.driver_connection is not None
        raw.driver_connection.backup(template)
        raw.close()
        seeded.dispose()
        _demo = (template, {username: password for username, _, password in credentials})
    template, passwords = _demo

    def connect() -> sqlite3.Connection:
        conn = sqlite3.connect(":memory:", check_same_thread=False)
        template.backup(conn)
        return conn

    return create_engine("sqlite://", creator=connect, poolclass=StaticPool), dict(passwords)


def add_enterprise(
    session: Session, name: str, township: str | None, industry: str | None, **extra: object
) -> Enterprise:
    """Add one enterprise to the registry."""
    ent = Enterprise(name=name, name_norm=name, township=township, industry=industry, **extra)
    session.add(ent)
    session.flush()
    return ent


@dataclass
class Org:
    """The seeded demo organisation and its users' passwords."""

    session: Session
    passwords: dict[str, str]

    def user(self, username: str) -> User:
        """The demo user `username`."""
        found = self.session.scalar(select(User).where(User.username == username))
        assert found is not None
        return found
