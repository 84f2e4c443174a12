"""Project-wide fixtures."""

from __future__ import annotations

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
