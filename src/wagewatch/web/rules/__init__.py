"""The active rulebook as people read it: levels, criteria with their seed clauses, disposal."""
