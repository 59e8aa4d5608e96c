"""Fixtures of the trends tests."""
