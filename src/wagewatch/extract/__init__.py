"""wagewatch.extract."""
