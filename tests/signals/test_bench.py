"""The throughput benchmark keeps working (its numbers are reported, not asserted)."""

from __future__ import annotations

from wagewatch.signals.bench import main


def test_benchmark_runs_and_accounts_for_every_row(capsys):
    assert main(["2000", "0.5"]) == 0
    out = capsys.readouterr().out
    assert "rows=2000" in out and "accepted=2000" in out and "validate" in out
