"""Prepare a demonstration database: the schema, the demo organisation and its logins."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from wagewatch.auth.seed import seed_demo_org
from wagewatch.db.migrate import upgrade
from wagewatch.db.session import session_scope
from wagewatch.enterprises.models import Enterprise
from wagewatch.settings import Settings

__all__ = ["prepare_demo", "registry_townships"]


def registry_townships(url: str) -> list[str]:
    """The distinct townships of the enterprise registry, sorted."""
    with session_scope(url) as session:
        rows = session.scalars(
            select(Enterprise.township)
            .where(Enterprise.township.is_not(None))
            .distinct()
            .order_by(Enterprise.township)
        )
        return [t for t in rows if t and t.strip()]


def prepare_demo(home: Path, townships: list[str]) -> list[tuple[str, str, str]]:
    """Upgrade the database under `home` and seed the demo organisation; the logins to print.

    The townships are those given (the first becomes the demo township user's) followed by
    the registry's other distinct townships. Returns (username, role label, password) per user;
    passwords are new on every call.
    """
    settings = Settings(home=home)
    upgrade(settings.db_url)
    names = list(dict.fromkeys([*townships, *registry_townships(settings.db_url)]))
    if not names:
        raise ValueError("演示需要至少一个镇街：请先导入企业名录，或指定镇街名称。")
    with session_scope(settings.db_url) as session:
        return seed_demo_org(session, names)
