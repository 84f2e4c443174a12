"""The deadline clock in the web server: reminders and escalation every few minutes.

With several server processes only one runs the clock (an exclusive lock on a file in the
data folder); `WAGEWATCH_DEADLINE_MINUTES=0` turns it off for deployments that run
`wagewatch deadlines` from cron instead.
"""

from __future__ import annotations

import fcntl
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import IO

from fastapi import FastAPI

from wagewatch.cases.deadlines import run_deadlines
from wagewatch.web.context import WebState

__all__ = ["deadline_clock"]

log = logging.getLogger(__name__)


def _loop(state: WebState, stop: threading.Event, lock: IO[bytes]) -> None:
    interval = state.settings.deadline_minutes * 60
    while not stop.wait(interval):
        try:
            with state.sessions() as session:
                run = run_deadlines(session)
                session.commit()
            if any(run.to_dict().values()):
                log.info("期限检查：%s", run.to_dict())
        except Exception:  # keep the clock running; the next pass retries
            log.exception("期限检查失败")
    lock.close()


@asynccontextmanager
async def deadline_clock(app: FastAPI) -> AsyncIterator[None]:
    """Run the deadline clock in a background thread while the app is up (one process only)."""
    state: WebState = app.state.web
    stop = threading.Event()
    thread: threading.Thread | None = None
    if state.settings.deadline_minutes > 0:
        state.settings.home.mkdir(parents=True, exist_ok=True)
        lock = (state.settings.home / "deadlines.lock").open("wb")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            lock.close()  # another server process runs the clock
        else:
            thread = threading.Thread(
                target=_loop, args=(state, stop, lock), name="deadline-clock", daemon=True
            )
            thread.start()
    try:
        yield
    finally:
        stop.set()
        if thread is not None:
            thread.join(timeout=5)
