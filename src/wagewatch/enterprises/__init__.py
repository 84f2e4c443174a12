"""wagewatch.enterprises."""
