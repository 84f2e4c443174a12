"""The enterprise file (企业档案): registry data, the current warning and why, history, sources."""
