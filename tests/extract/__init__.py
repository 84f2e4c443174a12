"""Tests for wagewatch.extract."""
