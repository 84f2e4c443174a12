"""Official report forms: pre-filled from warnings, edited by officers, exported as Word."""
