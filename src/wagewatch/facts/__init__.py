"""wagewatch.facts."""
