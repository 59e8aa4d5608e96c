"""Builds the optional C helper; everything else is configured in pyproject.toml."""

from setuptools import Extension, setup

setup(
    ext_modules=[
        # optional: without a compiler the package falls back to pure Python.
        Extension("healer.classifier._fastprep", ["healer/classifier/_fastprep.c"], optional=True),
    ]
)
