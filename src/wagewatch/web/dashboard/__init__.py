"""The dashboard (驾驶舱): warnings by level, this week's changes, trends, where they are."""
