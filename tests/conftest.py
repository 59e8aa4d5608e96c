from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.github.fake_github import FakeGitHub, GitHubContract
from tests.github.fake_github.fetch_spec import SpecUnavailableError


@pytest.fixture(autouse=True, scope="session")
def _private_engine_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Compiled pattern databases go to a folder of the test run, not the user's cache."""
    folder = tmp_path_factory.mktemp("engine-cache")
    patcher = pytest.MonkeyPatch()
    patcher.setenv("HEALER_CACHE_DIR", str(folder))
    yield folder
    patcher.undo()


@pytest.fixture(scope="session")
def github_contract() -> GitHubContract:
    """GitHub's OpenAPI description, loaded once per session (fetched with npm if absent)."""
    try:
        return GitHubContract.load()
    except SpecUnavailableError as error:
        problem = str(error)
    pytest.fail(f"GitHub's OpenAPI description is unavailable: {problem}", pytrace=False)


@pytest.fixture
def fake_github(github_contract: GitHubContract) -> Iterator[FakeGitHub]:
    """A fresh fake GitHub API on loopback; fails the test if it saw requests GitHub rejects."""
    with FakeGitHub(github_contract) as fake:
        yield fake
    fake.check()
