"""self-healing: classify failed CI jobs and act on them."""

__version__ = "0.1.0"
