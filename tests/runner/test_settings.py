"""The action's inputs arrive as the runner passes them: INPUT_<NAME> with hyphens."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from healer.runner.settings import Settings, input_problems

RUNNER = {
    "GITHUB_REPOSITORY": "octo/shop",
    "GITHUB_RUN_ID": "1001",
    "GITHUB_RUN_ATTEMPT": "2",
    "GITHUB_WORKFLOW": "Tests",
    "GITHUB_EVENT_NAME": "push",
}
# Every input the runner sets, empty when the workflow leaves it unset.
UNSET = {
    f"INPUT_{name}": ""
    for name in [
        "GITHUB-TOKEN",
        "WORKFLOW-NAME",
        "JOB-NAME",
        "RUN-ID",
        "LABELS",
        "MENTION",
        "COPILOT-TOKEN",
        "RULES-FILE",
        "DRY-RUN",
        "MAX-EXCERPT-LINES",
        "MAX-RETRY-WAIT",
    ]
}


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name, value in {**RUNNER, **UNSET, "INPUT_GITHUB-TOKEN": "ghs_secret"}.items():
        monkeypatch.setenv(name, value)
    return monkeypatch


def test_empty_inputs_take_the_defaults(env: pytest.MonkeyPatch) -> None:
    settings = Settings()
    assert settings.labels == ("ci-failure", "automated")
    assert settings.mention == "@github"
    assert settings.dry_run is False
    assert settings.max_excerpt_lines == 40
    assert settings.max_retry_wait == 180
    assert settings.compare_last_green is True
    assert settings.rules_file == ".github/self-healing.yml"
    assert settings.target_run_id == 1001
    assert settings.workflow_name is None
    assert settings.workflow == "Tests"
    assert settings.api_url == "https://api.github.com"
    assert settings.copilot_token is None


def test_inputs_with_hyphens_are_read(env: pytest.MonkeyPatch) -> None:
    env.setenv("INPUT_RUN-ID", "77")
    env.setenv("INPUT_LABELS", " ci-failure , flaky ,")
    env.setenv("INPUT_DRY-RUN", "true")
    env.setenv("INPUT_WORKFLOW-NAME", "Lint")
    env.setenv("INPUT_JOB-NAME", "test")
    env.setenv("INPUT_COMPARE-LAST-GREEN", "false")
    env.setenv("GITHUB_API_URL", "http://127.0.0.1:8080/api/v3/")
    settings = Settings()
    assert settings.target_run_id == 77
    assert settings.labels == ("ci-failure", "flaky")
    assert settings.dry_run is True
    assert settings.workflow_name == "Lint"
    assert settings.job_name == "test"
    assert settings.compare_last_green is False
    assert settings.api_url == "http://127.0.0.1:8080/api/v3"


def test_tokens_are_never_shown(env: pytest.MonkeyPatch) -> None:
    env.setenv("INPUT_COPILOT-TOKEN", "github_pat_user")
    settings = Settings()
    assert "ghs_secret" not in repr(settings)
    assert "github_pat_user" not in repr(settings)
    assert settings.github_token.get_secret_value() == "ghs_secret"


@pytest.mark.parametrize(
    ("name", "value", "problem"),
    [
        ("INPUT_GITHUB-TOKEN", "", ("github-token", "is required")),
        ("INPUT_RUN-ID", "abc", ("run-id", "valid integer")),
        ("INPUT_RUN-ID", "-3", ("run-id", "greater than 0")),
        ("INPUT_LABELS", "ok," + "x" * 51, ("labels", "longer than 50")),
        ("INPUT_LABELS", " , ", ("labels", "at least one label")),
        ("INPUT_LABELS", "ci-failure,bell\x07label", ("labels", "control character")),
        ("INPUT_DRY-RUN", "maybe", ("dry-run", "valid boolean")),
        ("INPUT_MAX-EXCERPT-LINES", "0", ("max-excerpt-lines", "greater than or equal to 1")),
        ("INPUT_MAX-RETRY-WAIT", "-1", ("max-retry-wait", "greater than or equal to 0")),
        ("INPUT_MAX-RETRY-WAIT", "7200", ("max-retry-wait", "less than or equal to 3600")),
        ("GITHUB_REPOSITORY", "not a repo", ("GITHUB_REPOSITORY", "not owner/name")),
    ],
)
def test_bad_inputs_name_the_input(
    env: pytest.MonkeyPatch, name: str, value: str, problem: tuple[str, str]
) -> None:
    env.setenv(name, value)
    with pytest.raises(ValidationError) as exc:
        Settings()
    problems = input_problems(exc.value)
    assert len(problems) == 1
    assert problems[0][0] == problem[0]
    assert problem[1] in problems[0][1]
    assert "ghs_secret" not in str(problems)


def test_every_bad_input_is_reported_at_once(env: pytest.MonkeyPatch) -> None:
    env.setenv("INPUT_RUN-ID", "abc")
    env.setenv("INPUT_DRY-RUN", "perhaps")
    with pytest.raises(ValidationError) as exc:
        Settings()
    assert sorted(name for name, _ in input_problems(exc.value)) == ["dry-run", "run-id"]
