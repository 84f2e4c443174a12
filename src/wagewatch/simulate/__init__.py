"""A synthetic district with messy, realistic source files and the ground truth behind them.

``generate(enterprises, months, seed, out, end)`` writes::

    out/sources/<kind>/<period>_<office>_<kind title>.csv|xlsx   one file per office and period
    out/truth/enterprises.csv   enterprise_id, code, name (canonical), township, industry,
                                employees, parent_id, in_registry, outsourcing, payroll,
                                deteriorating, recovered (date everything owed was settled)
    out/truth/rows.csv          file, row (as Excel shows it), kind, enterprise_id (blank for
                                blank, 合计 and malformed rows), malformed, errors (";"-joined)
    out/truth/timeline.csv      per enterprise and month end: the true facts (SPEC.md names)
    out/truth/arrears.csv       each wage-arrears episode: start, end (blank while open),
                                workers, months and yuan owed when settled or at the end
    out/truth/complaints.csv    what each complaint text states (the `extract` contract)
    out/truth/files.csv         file, kind, office, period, format, encoding, header_row, rows
    out/truth/summary.json      the SimulationSummary

Periods are "2024-10" (monthly lists), "2024Q4" (quarterly) or 截至… (cumulative lists).
``wage_arrears_months`` counts pay days missed since the first one and keeps growing until
the arrears are settled (SPEC.md); the amount stops growing when the firm closes or its owner
flees. Same seed and end, same bytes: nothing reads the wall clock when ``end`` is given.
"""

from wagewatch.simulate.files import ERROR_TYPES, MessRates
from wagewatch.simulate.generate import SimulationSummary, default_end, generate

__all__ = ["ERROR_TYPES", "MessRates", "SimulationSummary", "default_end", "generate"]
