"""The workflows, the example workflows and action.yml: linted offline, and the rules that keep
them safe asserted one by one.

Nothing here can run on GitHub, so the files are checked three ways: by the linters the `dev`
extra installs next to the interpreter (actionlint, zizmor, check-jsonschema), and by reading
the YAML for what the linters do not know (who may call what, with which permissions).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

WORKFLOW_DIR = ROOT / ".github" / "workflows"
EXAMPLE_DIR = ROOT / "examples" / "workflows"
WORKFLOWS = sorted(WORKFLOW_DIR.glob("*.yml"))
EXAMPLES = sorted(EXAMPLE_DIR.glob("*.yml"))
ALL_WORKFLOWS = WORKFLOWS + EXAMPLES

ACTION = ROOT / "action.yml"
DEPENDABOT = ROOT / ".github" / "dependabot.yml"
ZIZMOR_CONFIG = ROOT / ".github" / "zizmor.yml"
REUSABLE = WORKFLOW_DIR / "failure-analysis.yml"
WATCH = EXAMPLE_DIR / "self-healing-watch.yml"

# The published action and its reusable workflow follow the moving major tag by design.
OWN_ACTION = "owner/self-healing@"
OWN_REUSABLE = "owner/self-healing/.github/workflows/failure-analysis.yml@"
LOCAL_REUSABLE = "./.github/workflows/failure-analysis.yml"
SHA = re.compile(r"[0-9a-f]{40}")
ANALYZE_PERMISSIONS = {"actions": "read", "issues": "write", "contents": "read"}


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{rel(path)} is not a YAML mapping"
    # YAML 1.1 reads the bare key `on` as the boolean true.
    if True in data:
        data["on"] = data.pop(True)
    return data


def jobs(workflow: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found = workflow.get("jobs")
    assert isinstance(found, dict), "a workflow needs jobs"
    assert found, "a workflow needs jobs"
    return found


def steps(workflow: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for job_id, job in jobs(workflow).items():
        for step in job.get("steps", []):
            yield job_id, step


def uses_refs(workflow: dict[str, Any]) -> Iterator[str]:
    """Every `uses:`, of steps and of jobs that call a reusable workflow."""
    for job in jobs(workflow).values():
        if "uses" in job:
            yield job["uses"]
    for _, step in steps(workflow):
        if "uses" in step:
            yield step["uses"]


def callers() -> list[tuple[Path, str, dict[str, Any]]]:
    """Jobs that call the reusable failure-analysis workflow, local or published."""
    found = []
    for path in ALL_WORKFLOWS:
        for job_id, job in jobs(load(path)).items():
            target = job.get("uses", "")
            if target == LOCAL_REUSABLE or target.startswith(OWN_REUSABLE):
                found.append((path, job_id, job))
    return found


def tool(name: str, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    binary = BIN / name
    assert binary.is_file(), f"{binary} is missing: install the project with '.[dev]'"
    env = {**os.environ, "NO_COLOR": "1"}
    # No token: the linters must not reach GitHub, only read the files.
    for var in ("GH_TOKEN", "GITHUB_TOKEN", "ZIZMOR_GITHUB_TOKEN"):
        env.pop(var, None)
    return subprocess.run(
        [str(binary), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def report(done: subprocess.CompletedProcess[str]) -> str:
    return f"exit {done.returncode}\n--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"


# --- the files ------------------------------------------------------------------------------


def test_every_expected_file_exists() -> None:
    assert {p.name for p in WORKFLOWS} >= {
        "failure-analysis.yml",
        "test.yml",
        "lint.yml",
        "release.yml",
    }
    assert {p.name for p in EXAMPLES} >= {
        "self-healing-watch.yml",
        "step.yml",
        "reusable-caller.yml",
    }
    for path in (ACTION, DEPENDABOT, ZIZMOR_CONFIG):
        assert path.is_file(), rel(path)
    # Only .yml: the linters and the tests below would skip a .yaml file.
    assert not list(WORKFLOW_DIR.glob("*.yaml"))
    assert not list(EXAMPLE_DIR.glob("*.yaml"))


# --- linters --------------------------------------------------------------------------------


def test_actionlint_finds_nothing() -> None:
    # Run from the repository root, so that actionlint resolves the local reusable workflow and
    # checks each caller's inputs, secrets and permissions against it.
    done = tool("actionlint", "-no-color", "-oneline", *map(rel, ALL_WORKFLOWS))
    assert done.returncode == 0, report(done)
    assert not done.stdout.strip(), report(done)


def test_actionlint_rejects_a_bad_caller_of_the_reusable_workflow(tmp_path: Path) -> None:
    """The check above has teeth: a caller that passes GITHUB_TOKEN as a secret, misspells an
    input and grants too little is refused on each count."""
    (tmp_path / ".git").mkdir()  # actionlint's project root
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / REUSABLE.name).write_text(REUSABLE.read_text(encoding="utf-8"), encoding="utf-8")
    bad = {
        "name": "Bad",
        "on": "push",
        "permissions": {},
        "jobs": {
            "test": {"runs-on": "ubuntu-latest", "steps": [{"run": "exit 1"}]},
            "analyze-failure": {
                "needs": "test",
                "if": "failure()",
                "permissions": {"actions": "read", "issues": "write"},
                "uses": LOCAL_REUSABLE,
                "with": {"workflow_name": "Bad", "job_name": "test", "dryrun": True},
                "secrets": {"GITHUB_TOKEN": "${{ secrets.GITHUB_TOKEN }}"},
            },
        },
    }
    (workflows / "bad.yml").write_text(yaml.safe_dump(bad, sort_keys=False), encoding="utf-8")
    done = tool("actionlint", "-no-color", "-oneline", ".github/workflows/bad.yml", cwd=tmp_path)
    assert done.returncode == 1, report(done)
    assert 'secret "GITHUB_TOKEN" is not defined' in done.stdout, report(done)
    assert 'input "dryrun" is not defined' in done.stdout, report(done)
    assert 'requires "contents: read"' in done.stdout, report(done)


def zizmor(*inputs: str) -> subprocess.CompletedProcess[str]:
    return tool(
        "zizmor",
        "--offline",
        "--min-severity",
        "medium",
        "--strict-collection",
        "--config",
        str(ZIZMOR_CONFIG),
        "--format",
        "json",
        "--no-progress",
        *inputs,
    )


def test_zizmor_finds_nothing() -> None:
    inputs = [*map(rel, ALL_WORKFLOWS), rel(ACTION), rel(DEPENDABOT)]
    done = zizmor(*inputs)
    assert done.returncode == 0, report(done)
    assert done.stdout.strip() == "[]", report(done)
    for path in inputs:  # each file was audited, none silently left out
        assert f"completed {path}" in done.stderr, report(done)


def test_zizmor_config_allows_only_the_projects_own_action(tmp_path: Path) -> None:
    """The config waives SHA pinning for owner/self-healing alone, and hides no injection."""
    workflow = tmp_path / "probe.yml"
    workflow.write_text(
        "name: Probe\n"
        "on: issues\n"
        "permissions: {}\n"
        "jobs:\n"
        "  probe:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: owner/self-healing@v1\n"
        "      - uses: actions/setup-python@v5\n"
        "      - run: echo ${{ github.event.issue.title }}\n",
        encoding="utf-8",
    )
    done = zizmor(str(workflow))
    assert done.returncode != 0, report(done)
    assert "actions/setup-python@v5" in done.stdout, report(done)
    assert "owner/self-healing@v1" not in done.stdout, report(done)
    assert "template-injection" in done.stdout, report(done)


def test_workflows_match_githubs_schema() -> None:
    done = tool(
        "check-jsonschema",
        "--builtin-schema",
        "vendor.github-workflows",
        *map(rel, ALL_WORKFLOWS),
    )
    assert done.returncode == 0, report(done)


def test_action_matches_githubs_schema() -> None:
    done = tool("check-jsonschema", "--builtin-schema", "vendor.github-actions", rel(ACTION))
    assert done.returncode == 0, report(done)


def test_dependabot_matches_its_schema() -> None:
    done = tool("check-jsonschema", "--builtin-schema", "vendor.dependabot", rel(DEPENDABOT))
    assert done.returncode == 0, report(done)


# --- the reusable workflow ------------------------------------------------------------------


def test_reusable_workflow_inputs_and_no_secrets() -> None:
    call = load(REUSABLE)["on"]["workflow_call"]
    inputs = call["inputs"]
    for name in ("workflow_name", "job_name"):
        assert inputs[name] == {**inputs[name], "type": "string", "required": True}
    assert inputs["labels"]["type"] == "string"
    assert inputs["labels"]["default"] == "ci-failure,automated"
    assert inputs["dry_run"]["type"] == "boolean"
    assert inputs["dry_run"]["default"] is False
    # GITHUB_TOKEN may not be declared (reserved name); the workflow has github.token anyway.
    assert "secrets" not in call


def test_reusable_workflow_permissions_concurrency_and_fork_guard() -> None:
    workflow = load(REUSABLE)
    assert workflow["permissions"] == {}
    assert list(jobs(workflow)) == ["analyze"]
    job = jobs(workflow)["analyze"]
    assert job["permissions"] == ANALYZE_PERMISSIONS
    assert 0 < job["timeout-minutes"] <= 15
    group = job["concurrency"]["group"]
    for part in ("github.repository", "inputs.workflow_name", "inputs.job_name"):
        assert part in group
    assert job["concurrency"]["cancel-in-progress"] is False
    condition = re.sub(r"\s+", " ", job["if"])
    assert condition.startswith("${{ !cancelled() && (!github.event.pull_request ||")
    assert "github.event.pull_request.head.repo.full_name == github.repository" in condition
    # Not a single secret is read, comments aside.
    assert "secrets." not in yaml.safe_dump(workflow)


@pytest.mark.parametrize("path", [REUSABLE, WATCH], ids=lambda p: p.name)
def test_the_only_checkout_is_the_rules_file_of_the_default_branch(path: Path) -> None:
    checkouts = [s for _, s in steps(load(path)) if s.get("uses", "").startswith("actions/")]
    assert len(checkouts) == 1
    options = checkouts[0]["with"]
    assert options == {
        "ref": "${{ github.event.repository.default_branch }}",
        "sparse-checkout": ".github/self-healing.yml",
        "sparse-checkout-cone-mode": False,
        "persist-credentials": False,
    }


def test_reusable_workflow_runs_the_action_and_exposes_every_output() -> None:
    action = load(ACTION)
    workflow = load(REUSABLE)
    job = jobs(workflow)["analyze"]
    own = [s for _, s in steps(workflow) if s.get("uses", "").startswith(OWN_ACTION)]
    assert len(own) == 1
    step = own[0]
    assert step["uses"] == "owner/self-healing@v1"
    assert set(step["with"]) <= set(action["inputs"])  # no misspelt input
    assert step["with"] == {
        "github-token": "${{ github.token }}",
        "workflow-name": "${{ inputs.workflow_name }}",
        "job-name": "${{ inputs.job_name }}",
        "run-id": "${{ github.run_id }}",
        "labels": "${{ inputs.labels }}",
        "dry-run": "${{ inputs.dry_run }}",
    }
    outputs = set(action["outputs"])
    assert set(job["outputs"]) == outputs
    for name in outputs:
        assert job["outputs"][name] == f"${{{{ steps.{step['id']}.outputs.{name} }}}}"
    declared = workflow["on"]["workflow_call"]["outputs"]
    assert set(declared) == outputs
    for name in outputs:
        assert declared[name]["value"] == f"${{{{ jobs.analyze.outputs.{name} }}}}"
        assert declared[name]["description"]


# --- its callers ----------------------------------------------------------------------------


def test_callers_of_the_reusable_workflow() -> None:
    found = callers()
    assert {path.name for path, _, _ in found} >= {
        "test.yml",
        "lint.yml",
        "reusable-caller.yml",
    }
    inputs = load(REUSABLE)["on"]["workflow_call"]["inputs"]
    required = {name for name, spec in inputs.items() if spec.get("required")}
    for path, job_id, job in found:
        where = f"{rel(path)}: {job_id}"
        assert "secrets" not in job, f"{where} passes secrets"
        assert job["permissions"] == ANALYZE_PERMISSIONS, where
        assert job["if"] == "${{ !cancelled() }}", where
        workflow = load(path)
        assert set(job["with"]) <= set(inputs), where
        assert required <= set(job["with"]), where
        assert job["with"]["workflow_name"] == workflow["name"], where
        # The job it analyses is one it waits for, and its display name is its id.
        watched = job["with"]["job_name"]
        needs = job["needs"] if isinstance(job["needs"], list) else [job["needs"]]
        assert watched in needs, where
        assert jobs(workflow)[watched].get("name", watched) == watched, where


def test_analyze_failure_jobs_wait_for_a_failure() -> None:
    seen = 0
    for path in (WORKFLOW_DIR / "test.yml", WORKFLOW_DIR / "lint.yml"):
        job = jobs(load(path))["analyze-failure"]
        assert job["needs"], rel(path)
        assert job["if"] == "${{ !cancelled() }}", rel(path)
        assert job["uses"] == LOCAL_REUSABLE, rel(path)
        seen += 1
    assert seen == 2


# --- rules for every workflow ---------------------------------------------------------------


@pytest.mark.parametrize("path", ALL_WORKFLOWS, ids=rel)
def test_third_party_actions_are_pinned_to_a_commit(path: Path) -> None:
    workflow = load(path)
    refs = list(uses_refs(workflow))
    assert refs, f"{rel(path)} uses nothing"
    for ref in refs:
        if ref.startswith("./") or ref.startswith(OWN_ACTION) or ref.startswith(OWN_REUSABLE):
            continue
        assert not ref.startswith("docker://"), ref
        name, _, version = ref.partition("@")
        assert SHA.fullmatch(version), f"{rel(path)}: {ref} is not pinned to a commit"
        assert re.search(rf"uses: {re.escape(ref)} # v\d", path.read_text(encoding="utf-8")), (
            f"{rel(path)}: {name} has no '# vX.Y.Z' comment after its commit"
        )


@pytest.mark.parametrize("path", ALL_WORKFLOWS, ids=rel)
def test_checkouts_do_not_keep_credentials(path: Path) -> None:
    for job_id, step in steps(load(path)):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step.get("with", {}).get("persist-credentials") is False, (
                f"{rel(path)}: {job_id}"
            )


@pytest.mark.parametrize("path", ALL_WORKFLOWS, ids=rel)
def test_no_expression_inside_a_run_script(path: Path) -> None:
    """Values reach scripts through `env:`, never pasted into the script by an expression."""
    for job_id, step in steps(load(path)):
        script = step.get("run", "")
        assert "${{" not in script, f"{rel(path)}: {job_id}: {script}"
        assert "github.event" not in script, f"{rel(path)}: {job_id}: {script}"


@pytest.mark.parametrize("path", ALL_WORKFLOWS, ids=rel)
def test_permissions_are_explicit(path: Path) -> None:
    workflow = load(path)
    assert "permissions" in workflow, rel(path)
    assert workflow["permissions"] in ({}, {"contents": "read"}), rel(path)
    for job_id, job in jobs(workflow).items():
        for scope, level in job.get("permissions", {}).items():
            # Writes only where the job needs them.
            if level == "write":
                allowed = {"issues"}
                if path == WORKFLOW_DIR / "release.yml":
                    allowed = RELEASE_WRITES[job_id]
                elif path == WATCH:  # the watched run has finished: it may be re-run
                    allowed = {"issues", "actions"}
                assert scope in allowed, f"{rel(path)}: {job_id}: {scope}: write"


# --- the workflow_run example ---------------------------------------------------------------


def test_watch_example_never_touches_the_watched_code() -> None:
    workflow = load(WATCH)
    assert workflow["on"]["workflow_run"]["types"] == ["completed"]
    watched = set(workflow["on"]["workflow_run"]["workflows"])
    names = {load(WORKFLOW_DIR / f)["name"] for f in ("test.yml", "lint.yml")}
    assert watched == names == {"Test", "Lint"}
    assert workflow["permissions"] == {}
    assert list(jobs(workflow)) == ["analyze"]
    job = jobs(workflow)["analyze"]
    assert job["permissions"] == {"actions": "write", "issues": "write", "contents": "read"}
    # No script, and no checkout but the default branch's rules file (checked above):
    # the watched run's code is neither fetched nor run.
    for step in job["steps"]:
        assert "run" not in step
        assert step["uses"].startswith((OWN_ACTION, "actions/checkout@")), step


def test_watch_example_runs_on_failure_and_success_and_skips_forks() -> None:
    job = jobs(load(WATCH))["analyze"]
    condition = re.sub(r"\s+", " ", job["if"])
    assert (
        """contains(fromJSON('["failure", "success"]'), github.event.workflow_run.conclusion)"""
        in condition
    )
    assert "github.event.workflow_run.head_repository.full_name == github.repository" in condition
    assert " && " in condition
    assert "||" not in condition
    group = job["concurrency"]["group"]
    assert "github.event.workflow_run.name" in group
    assert "github.event.workflow_run.head_branch" in group
    assert job["concurrency"]["cancel-in-progress"] is False
    step = job["steps"][-1]
    assert step["uses"] == "owner/self-healing@v1"
    assert step["with"]["run-id"] == "${{ github.event.workflow_run.id }}"
    assert step["with"]["workflow-name"] == "${{ github.event.workflow_run.name }}"


def test_step_example_runs_the_action_after_the_failed_job() -> None:
    workflow = load(EXAMPLE_DIR / "step.yml")
    (job,) = [j for j in jobs(workflow).values() if "needs" in j]
    assert job["if"].startswith("${{ !cancelled() &&")
    assert job["permissions"] == ANALYZE_PERMISSIONS
    own = [s for s in job["steps"] if s.get("uses", "").startswith(OWN_ACTION)]
    assert len(own) == 1
    assert set(own[0]["with"]) <= set(load(ACTION)["inputs"])


# --- CI, lint and release -------------------------------------------------------------------


def scripts(path: Path, job_id: str) -> list[str]:
    return [s["run"] for j, s in steps(load(path)) if j == job_id and "run" in s]


def test_ci_runs_the_readme_steps() -> None:
    install = "python3 -m venv .venv && .venv/bin/pip install -e '.[dev]'"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert install in readme
    for path, job_id in (
        (WORKFLOW_DIR / "test.yml", "test"),
        (WORKFLOW_DIR / "lint.yml", "format-and-lint"),
    ):
        assert install in scripts(path, job_id), rel(path)
    assert ".venv/bin/python -m pytest" in scripts(WORKFLOW_DIR / "test.yml", "test")
    assert load(WORKFLOW_DIR / "test.yml")["name"] == "Test"


def test_lint_runs_every_checker_offline() -> None:
    workflow = load(WORKFLOW_DIR / "lint.yml")
    assert workflow["name"] == "Lint"
    text = "\n".join(scripts(WORKFLOW_DIR / "lint.yml", "format-and-lint"))
    for command in (
        ".venv/bin/ruff check .",
        ".venv/bin/ruff format --check .",
        ".venv/bin/mypy",
        ".venv/bin/hadolint Dockerfile",
        ".venv/bin/actionlint .github/workflows/*.yml examples/workflows/*.yml",
        ".venv/bin/zizmor --offline --min-severity medium --config .github/zizmor.yml",
        "--builtin-schema vendor.github-workflows",
        "--builtin-schema vendor.github-actions action.yml",
    ):
        assert command in text, command


# Each release job holds only the writes it needs.
RELEASE_WRITES = {
    "image": {"packages"},
    "manifest": {"packages"},
    "attest": {"id-token", "attestations"},
    "major-tag": {"contents"},
}


def test_release_builds_both_architectures_natively_with_an_sbom() -> None:
    workflow = load(WORKFLOW_DIR / "release.yml")
    assert workflow["on"] == {"push": {"tags": ["v*.*.*"]}}
    assert workflow["permissions"] == {}
    image = jobs(workflow)["image"]
    # Each architecture on a runner of its own (no emulation), so the smoke test
    # really runs the image and the rule database is built for that CPU.
    assert {(leg["arch"], leg["runner"]) for leg in image["strategy"]["matrix"]["include"]} == {
        ("amd64", "ubuntu-24.04"),
        ("arm64", "ubuntu-24.04-arm"),
    }
    assert image["runs-on"] == "${{ matrix.runner }}"
    (build,) = [s for s in image["steps"] if "run" in s]
    script = build["run"]
    assert build["env"]["TAG"] == "${{ github.ref_name }}"
    assert 'image="ghcr.io/${REPOSITORY,,}"' in script  # registry names are lower case
    assert '--platform "linux/$ARCH"' in script
    assert "--driver docker-container" in script  # the builder that can attach an SBOM
    assert "--password-stdin" in script
    # The smoke run comes before the login, so nothing is pushed from an image that
    # does not start; the pushed build carries the SBOM.
    assert script.index("docker run --rm") < script.index("docker login")
    assert '"${build[@]}" --sbom=true --push .' in script


def test_release_publishes_one_manifest_list_and_attests_it() -> None:
    workflow = load(WORKFLOW_DIR / "release.yml")
    manifest = jobs(workflow)["manifest"]
    assert manifest["needs"] == "image"
    (push,) = manifest["steps"]
    assert '"$image:$TAG-amd64" "$image:$TAG-arm64"' in push["run"]
    assert '--tag "$image:${TAG%%.*}"' in push["run"]  # the major tag, releases only
    assert manifest["outputs"]["digest"] == "${{ steps.push.outputs.digest }}"

    attest = jobs(workflow)["attest"]
    assert attest["needs"] == "manifest"
    (step,) = attest["steps"]
    assert step["uses"].startswith("actions/attest-build-provenance@")
    assert step["with"] == {
        "subject-name": "${{ needs.manifest.outputs.image }}",
        "subject-digest": "${{ needs.manifest.outputs.digest }}",
    }
    # Only the checkout and GitHub's attestation action are actions; nothing but the
    # runner's own Docker CLI ever holds the packages: write token.
    for job_id, job in jobs(workflow).items():
        for s in job["steps"]:
            if "uses" in s and job.get("permissions", {}).get("packages") == "write":
                assert s["uses"].startswith("actions/checkout@"), job_id
    assert set(jobs(workflow)) == set(RELEASE_WRITES)


def test_release_moves_the_major_tag_last() -> None:
    job = jobs(load(WORKFLOW_DIR / "release.yml"))["major-tag"]
    assert job["needs"] == "attest"
    (move,) = [s for s in job["steps"] if "git tag -f" in s.get("run", "")]
    assert move["env"]["TAG"] == "${{ github.ref_name }}"
    assert "push --force origin" in move["run"]


def test_dependabot_updates_every_ecosystem_weekly() -> None:
    config = yaml.safe_load(DEPENDABOT.read_text(encoding="utf-8"))
    assert config["version"] == 2
    updates = {u["package-ecosystem"]: u for u in config["updates"]}
    assert set(updates) == {"pip", "docker", "github-actions"}
    for update in updates.values():
        assert update["directory"] == "/"
        assert update["schedule"]["interval"] == "weekly"


# The first major of each action that runs on Node 24: GitHub removes the Node 20
# runtime from its runners on 2026-09-23 (actionlint reports it for tags; for a SHA pin
# only the version comment tells).
NODE24_MAJORS = {
    "actions/checkout": 5,
    "actions/setup-python": 6,
    "actions/attest-build-provenance": 3,
}


@pytest.mark.parametrize("path", ALL_WORKFLOWS, ids=rel)
def test_pinned_actions_run_on_a_supported_node(path: Path) -> None:
    for line in path.read_text(encoding="utf-8").splitlines():
        pinned = re.search(r"uses: ([\w.-]+/[\w.-]+)@[0-9a-f]{40} # v(\d+)", line)
        if pinned:
            action, major = pinned.group(1), int(pinned.group(2))
            assert action in NODE24_MAJORS, f"{rel(path)}: {action}: add its first Node 24 major"
            assert major >= NODE24_MAJORS[action], f"{rel(path)}: {line.strip()}"
