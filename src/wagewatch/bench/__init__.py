"""Benchmarks of the facts engine against independent baselines."""
