"""wagewatch.rules."""
