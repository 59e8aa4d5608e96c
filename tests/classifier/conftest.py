from __future__ import annotations

import pytest

from healer.classifier.engines import available_engines


@pytest.fixture(params=available_engines())
def engine(request: pytest.FixtureRequest) -> str:
    """Every pre-selection engine that loads on this machine."""
    return str(request.param)
