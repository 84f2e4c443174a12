"""wagewatch.signals."""
