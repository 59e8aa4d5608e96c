"""A fake GitHub REST API for tests, validated against GitHub's OpenAPI description.

Use the ``fake_github`` fixture (``tests/conftest.py``)::

    def test_something(fake_github):
        repo = fake_github.add_repo("octo-org/octo-repo")
        run = repo.add_run("CI")
        run.add_job("test", steps=[("Run tests", "failure")], log="E   boom\n")
        gh = github.Github(auth=github.Auth.Token(fake_github.token), base_url=fake_github.url)
"""

from tests.github.fake_github.openapi import GitHubContract
from tests.github.fake_github.server import DEFAULT_TOKEN, FakeGitHub, Fault, RecordedRequest, Token
from tests.github.fake_github.state import Comment, Issue, Job, Label, Repo, Run, Step

__all__ = [
    "DEFAULT_TOKEN",
    "Comment",
    "FakeGitHub",
    "Fault",
    "GitHubContract",
    "Issue",
    "Job",
    "Label",
    "RecordedRequest",
    "Repo",
    "Run",
    "Step",
    "Token",
]
