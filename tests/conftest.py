from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from healer.engines import available_engines


@pytest.fixture(params=available_engines())
def engine(request: pytest.FixtureRequest) -> str:
    """Every pre-selection engine that loads on this machine."""
    return str(request.param)


@pytest.fixture(autouse=True, scope="session")
def _private_engine_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Compiled pattern databases go to a folder of the test run, not the user's cache."""
    folder = tmp_path_factory.mktemp("engine-cache")
    patcher = pytest.MonkeyPatch()
    patcher.setenv("HEALER_CACHE_DIR", str(folder))
    yield folder
    patcher.undo()
