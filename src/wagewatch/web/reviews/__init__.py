"""Review queue (待核对): rows whose enterprise an officer must decide."""
