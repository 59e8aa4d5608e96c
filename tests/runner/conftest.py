"""Fixtures of the runner's tests: the repository the action works on in the fake GitHub."""

from __future__ import annotations

import pytest

from tests.github.fake_github import FakeGitHub
from tests.github.fake_github.state import Repo
from tests.runner.action_run import REPO


@pytest.fixture
def repo(fake_github: FakeGitHub) -> Repo:
    return fake_github.add_repo(REPO)
