"""The shipped Dockerfile, built and run as the runner runs a Docker action.

The image is built once per session from the unmodified Dockerfile (see
``tests/runner/container.py`` for how its base image is made on machines without a
registry), then started with podman the way the runner starts a Docker action:
``--workdir /github/workspace``, the workspace, file-command, workflow and home
folders mounted, ``INPUT_*`` from action.yml's defaults and ``GITHUB_*`` set, on
the host network so it reaches the fake GitHub on loopback.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from healer.github.render import find_marker
from healer.runner.commands import read_outputs
from tests.github.fake_github import FakeGitHub
from tests.github.fake_github.state import Run
from tests.runner import container
from tests.runner.action_run import REPO, failing_run, run_variables

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def image() -> Iterator[str]:
    try:
        yield container.build_image()
    except container.ContainerUnavailableError as problem:
        pytest.fail(f"cannot build the action's image: {problem}", pytrace=False)


def _github_env(fake: FakeGitHub, run: Run) -> dict[str, str]:
    return {**run_variables(fake, run), "GITHUB_JOB": "analyze-failure"}


def _assert_clean(done: container.ContainerRun, token: str) -> None:
    """No traceback, and the token nowhere the runner would show or keep (the runner
    consumes `::add-mask::` lines; they are never shown)."""
    stdout = [line for line in done.stdout.splitlines() if not line.startswith("::add-mask::")]
    shown = "\n".join(stdout) + done.stderr
    shown += done.output_file.read_text() + done.summary_file.read_text()
    assert "Traceback" not in shown, done.stderr
    assert token not in shown


ARM64 = "arm64"


@pytest.mark.parametrize("arch", [None, ARM64], ids=["native", ARM64])
def test_the_container_files_the_issue_and_writes_its_outputs(
    arch: str | None, request: pytest.FixtureRequest, fake_github: FakeGitHub, tmp_path: Path
) -> None:
    image = request.getfixturevalue("arm64_image" if arch else "image")
    repo = fake_github.add_repo(REPO)
    run = failing_run(repo)
    dirs = container.RunnerDirs(tmp_path)

    done = container.run_action(
        image, dirs, {"github-token": fake_github.token}, _github_env(fake_github, run), arch=arch
    )

    assert done.code == 0, done.stdout + done.stderr
    _assert_clean(done, fake_github.token)
    outputs = read_outputs(done.output_file.read_text())
    assert outputs["classification"] == "persistent"
    assert outputs["action"] == "created"
    [issue] = repo.issues.values()
    assert outputs["issue-number"] == str(issue.number)
    assert outputs["issue-url"].endswith(f"/{REPO}/issues/{issue.number}")
    assert sorted(issue.labels) == ["automated", "ci-failure"]
    assert find_marker(issue.body) is not None
    assert "AssertionError" in issue.body
    assert "| persistent | test |" in done.summary_file.read_text()


def test_rules_file_is_read_from_the_mounted_workspace(
    image: str, fake_github: FakeGitHub, tmp_path: Path
) -> None:
    """The workspace is the working directory: a rules file there changes the verdict."""
    repo = fake_github.add_repo(REPO)
    run = failing_run(repo)
    dirs = container.RunnerDirs(tmp_path)
    rules = dirs.workspace / ".github" / "self-healing.yml"
    rules.parent.mkdir(parents=True)
    rules.write_text(
        "version: 1\n"
        "rules:\n"
        "  - id: acme-known-flaky-discount\n"
        "    kind: transient\n"
        "    category: infrastructure\n"
        "    weight: 10\n"
        "    patterns: ['test_total_applies_discount']\n"
        "    explanation: Known flaky on shared runners.\n"
        "    samples:\n"
        "      match: ['FAILED tests/test_cart.py::test_total_applies_discount - assert 1350 == 1215']\n"
        "      no_match: ['PASSED tests/test_cart.py::test_total']\n"
    )

    done = container.run_action(
        image, dirs, {"github-token": fake_github.token}, _github_env(fake_github, run)
    )

    assert done.code == 0, done.stdout + done.stderr
    outputs = read_outputs(done.output_file.read_text())
    assert outputs["classification"] == "transient", done.stdout
    assert not repo.issues


def test_a_bad_input_ends_in_one_error_line_and_a_failing_exit(
    image: str, fake_github: FakeGitHub, tmp_path: Path
) -> None:
    repo = fake_github.add_repo(REPO)
    run = failing_run(repo)
    done = container.run_action(
        image,
        container.RunnerDirs(tmp_path),
        {"github-token": fake_github.token, "run-id": "latest"},
        _github_env(fake_github, run),
    )

    assert done.code != 0
    errors = [line for line in done.stdout.splitlines() if line.startswith("::error")]
    assert len(errors) == 1, done.stdout
    assert "run-id" in errors[0]
    assert "Traceback" not in done.stdout + done.stderr
    assert not repo.issues


def test_the_image_keeps_the_runner_in_charge_of_user_and_working_directory(image: str) -> None:
    config = container.image_config(image)
    assert config["Entrypoint"] == ["/opt/venv/bin/python", "/opt/self-healing/entrypoint.py"]
    assert not config.get("WorkingDir") or config["WorkingDir"] == "/"
    assert not config.get("User") or config["User"] in ("root", "0")


def test_the_image_has_no_compiler_and_starts_from_byte_code_and_a_warm_cache(image: str) -> None:
    done = container.shell(
        image,
        "command -v gcc cc || echo no-compiler; "
        "python -c 'import healer.classifier._fastprep' && echo helper-ok; "
        "python -v -c 'import healer.runner.pipeline' 2>&1 | grep -c 'code object from .*healer/.*\\.pyc'; "
        "before=$(ls $HEALER_CACHE_DIR | sort); "
        "healer classify /dev/null > /dev/null; "
        '[ "$before" = "$(ls $HEALER_CACHE_DIR | sort)" ] && [ -n "$before" ] && echo cache-warm',
    )
    lines = done.stdout.split()
    assert "no-compiler" in lines, done.stdout
    assert "helper-ok" in lines, done.stdout + done.stderr
    assert int(lines[lines.index("helper-ok") + 1]) >= 10  # healer's modules, each from a .pyc
    assert "cache-warm" in lines, done.stdout + done.stderr


def test_the_dockerfile_is_hadolint_clean() -> None:
    hadolint = Path(sys.executable).parent / "hadolint"
    done = subprocess.run(
        [str(hadolint), str(container.DOCKERFILE)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_build_context_holds_what_the_dockerfile_copies_and_no_more() -> None:
    ignore = (ROOT / ".dockerignore").read_text().splitlines()
    assert "*" in ignore  # everything is left out unless listed
    listed = {line.lstrip("!").rstrip("/") for line in ignore if line.startswith("!")}
    copied = set()
    for line in container.DOCKERFILE.read_text().splitlines():
        if line.startswith("COPY ") and "--from=" not in line:
            copied.update(part.rstrip("/") for part in line.split()[1:-1])
    assert copied <= listed
    assert not {".venv", ".git", "tests"} & listed


@pytest.fixture(scope="session")
def arm64_image() -> Iterator[str]:
    """The same Dockerfile built for linux/arm64, run under qemu through binfmt_misc
    (`.ci/run` sets both up); on a machine without them the tests below say why."""
    problem = container.foreign_arch_problem(ARM64)
    if problem is not None:
        pytest.skip(f"linux/arm64 cannot run here: {problem}")
    try:
        yield container.build_image(ARM64)
    except container.ContainerUnavailableError as error:
        pytest.fail(f"cannot build the action's arm64 image: {error}", pytrace=False)


def test_the_arm64_image_runs_on_arm64_with_hyperscan(arm64_image: str) -> None:
    done = container.shell(
        arm64_image,
        "uname -m && python3 -c 'import hyperscan, healer.classifier._fastprep'",
        arch=ARM64,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["aarch64"]
