"""Warnings (预警): the current level of every subject and the history of its changes."""
