"""Disposal: the case ledger (台账), tasks and deadlines, complaints, directed inspections."""
