"""The failing command: found in every CI's framing, and evidence where no rule decides."""

from __future__ import annotations

import pytest

from healer.classifier.classify import Result
from healer.classifier.command import (
    Command,
    classify_command,
    command_in,
    simple_commands,
    step_script,
)
from healer.classifier.rule import Kind
from healer.classifier.rulepack import default_pack
from tests.classifier.helpers import TEST_RULES, classify_bytes, gha_log

PACK = default_pack()


def classify(data: bytes) -> Result:
    return classify_bytes(data, PACK.rules, commands=PACK.commands)


@pytest.mark.parametrize(
    ("line", "text", "origin"),
    [
        ("##[group]Run npm run lint", "npm run lint", "step"),
        ("$ bundle exec rspec", "bundle exec rspec", "prompt"),
        ("+ make -j4 check", "make -j4 check", "trace"),
        ("##[section]Starting: dotnet test", "dotnet test", "section"),
        ('The command "cargo test --all" exited with 101.', "cargo test --all", "exit"),
    ],
)
def test_each_ci_prints_its_commands_in_a_shape_of_its_own(
    line: str, text: str, origin: str
) -> None:
    assert command_in(line, 7) == Command(7, text, origin)


@pytest.mark.parametrize("line", ["$", "+", "+++ b/file.py", "a $ b", "Run npm test"])
def test_other_lines_are_no_commands(line: str) -> None:
    assert command_in(line, 1) is None


def test_a_steps_script_ends_where_the_runner_lists_the_shell() -> None:
    lines = ["npm ci", "npm run lint", "shell: /usr/bin/bash -e {0}", "env:", "  CI: true"]
    assert step_script("npm ci", lines) == "npm ci\nnpm run lint"
    assert step_script("actions/checkout@v4", ["with:", "  fetch-depth: 0"]) == (
        "actions/checkout@v4"
    )


def test_a_command_line_splits_into_simple_commands_without_wrappers() -> None:
    assert simple_commands(
        "cd web && CI=1 npx eslint . | tee out.txt; sudo -E ./gradlew check"
    ) == [
        "cd web",
        "eslint .",
        "tee out.txt",
        "gradlew check",
    ]
    assert simple_commands('test -z "$(gofmt -l .)"') == ['test -z "$(gofmt -l .)"', "gofmt -l ."]
    assert simple_commands("poetry run python -m pytest -q") == ["pytest -q"]


def category(command: str) -> str | None:
    rule = classify_command(command, PACK.commands)
    return rule.category if rule else None


def test_a_command_names_a_category_only_when_its_known_parts_agree() -> None:
    assert category("npm ci && npm run lint") == "lint"
    assert category("cargo fmt --check && cargo clippy -- -D warnings") is None
    assert category("./scripts/deploy.sh") is None


def test_a_well_known_command_names_the_category_when_no_rule_does() -> None:
    result = classify(
        gha_log(
            "##[group]Run npm run lint",
            "npm run lint",
            "shell: /usr/bin/bash -e {0}",
            "##[endgroup]",
            "> shop@1.0.0 lint",
            "> some-house-linter src",
            "src/cart.js: 3 findings",
            "##[error]Process completed with exit code 1.",
        )
    )
    assert (result.kind, result.category) == (Kind.PERSISTENT, "lint")
    assert result.rule == "cmd-js-script-lint"
    assert result.confidence == 0.6
    assert result.command == "npm run lint"
    assert "src/cart.js: 3 findings" in result.excerpt


@pytest.mark.parametrize(
    ("log", "command", "category"),
    [
        (
            b"$ cargo test --all\nrunning 3 tests\nsomething odd\n"
            b'The command "cargo test --all" exited with 101.\n',
            "cargo test --all",
            "test",
        ),
        (
            b"[Pipeline] sh\n+ make lint\nsome output\nscript returned exit code 2\n",
            "make lint",
            "lint",
        ),
        (
            b"##[section]Starting: dotnet format --verify-no-changes\nwhitespace\n"
            b"##[error]Bash exited with code '2'.\n",
            "dotnet format --verify-no-changes",
            "format",
        ),
    ],
)
def test_travis_jenkins_and_azure_commands_count_too(
    log: bytes, command: str, category: str
) -> None:
    result = classify(log)
    assert result.command == command
    assert result.category == category


def test_a_trivial_last_command_gives_way_to_the_one_before() -> None:
    result = classify(
        b"+ pytest -q\nweird output\n+ echo done\ndone\nscript returned exit code 1\n"
    )
    assert result.command == "pytest -q"
    assert result.category == "test"


def test_a_rule_and_a_command_that_agree_raise_the_confidence() -> None:
    lines = [
        "##[group]Run pytest -q",
        "pytest -q",
        "shell: /usr/bin/bash -e {0}",
        "##[endgroup]",
        "FAILED tests/test_cart.py::test_total - assert 1 == 2",
        "##[error]Process completed with exit code 1.",
    ]
    with_command = classify_bytes(gha_log(*lines), TEST_RULES, commands=PACK.commands)
    without = classify_bytes(gha_log(*lines), TEST_RULES)
    assert with_command.rule == without.rule == "t-pytest"
    assert with_command.confidence == pytest.approx(min(0.99, without.confidence + 0.1))
    assert with_command.command == "pytest -q"


def test_a_command_never_overrides_a_transient_rule() -> None:
    result = classify_bytes(
        gha_log(
            "##[group]Run npm test",
            "npm test",
            "##[endgroup]",
            "Error: connect ECONNREFUSED 127.0.0.1:5432",
            "##[error]Process completed with exit code 1.",
        ),
        TEST_RULES,
        commands=PACK.commands,
    )
    assert (result.kind, result.rule) == (Kind.TRANSIENT, "t-refused")
    assert result.command == "npm test"


def test_a_rule_that_disagrees_keeps_its_category_and_the_command_is_still_shown() -> None:
    lines = [
        "##[group]Run npm run build",
        "npm run build",
        "##[endgroup]",
        "FAILED tests/test_cart.py::test_total - assert 1 == 2",
        "##[error]Process completed with exit code 1.",
    ]
    result = classify_bytes(gha_log(*lines), TEST_RULES, commands=PACK.commands)
    assert (result.rule, result.category) == ("t-pytest", "test")
    assert result.command == "npm run build"


def test_a_users_command_comes_before_the_shipped_ones() -> None:
    from healer.classifier.ruleschema import parse_rule_file

    own = parse_rule_file(
        "version: 1\ncommands:\n"
        "  - id: acme-check\n    category: format\n    patterns: ['^npm run lint$']\n"
        "    explanation: Our lint script only checks the format.\n"
        "    samples: {match: ['npm run lint'], no_match: ['npm test']}\n",
        "own.yml",
    ).commands
    rule = classify_command("npm run lint", [*own, *PACK.commands])
    assert rule is not None
    assert (rule.id, rule.category) == ("acme-check", "format")


def test_a_rule_that_only_matched_in_an_earlier_passing_step_gives_way_to_the_command() -> None:
    # The lint step passed, so the lint-looking line there did not fail the job; the
    # failing step ran the project's tests.
    result = classify_bytes(
        gha_log(
            "##[group]Run ruff check .",
            "FAILED tests/test_cart.py::test_total - assert 1 == 2  (a fixture's text)",
            "##[endgroup]",
            "##[group]Run ./run-tests.sh",
            "./run-tests.sh",
            "##[endgroup]",
            "3 checks did not pass",
            "##[error]Process completed with exit code 1.",
        ),
        TEST_RULES,
        commands=PACK.commands,
    )
    assert (result.kind, result.category, result.rule) == (
        Kind.PERSISTENT,
        "test",
        "cmd-project-test-script",
    )
    assert result.confidence == 0.6


@pytest.mark.parametrize(
    ("log", "command"),
    [
        (  # Travis: each command is echoed with `$ `, and named again as it exits.
            b"$ rvm use 1.8.7 --install\n"
            b"FAILED tests/test_cart.py::test_total - assert 1 == 2  (a fixture's text)\n"
            b'The command "rvm use 1.8.7 --install" exited with 0.\n'
            b"$ ./run-tests.sh\n3 checks did not pass\n"
            b'The command "./run-tests.sh" exited with 1.\n',
            "./run-tests.sh",
        ),
        (  # GitLab stops at the first failing script line.
            b"$ pip install -r requirements.txt\n"
            b"FAILED tests/test_cart.py::test_total - assert 1 == 2  (a fixture's text)\n"
            b"$ ./run-tests.sh\n3 checks did not pass\n"
            b"ERROR: Job failed: exit code 1\n",
            "./run-tests.sh",
        ),
    ],
)
def test_a_rule_that_only_matched_before_the_failing_command_started_gives_way_to_it(
    log: bytes, command: str
) -> None:
    result = classify_bytes(log, TEST_RULES, commands=PACK.commands)
    assert result.command == command
    assert (result.category, result.rule) == ("test", "cmd-project-test-script")
    assert result.confidence == 0.6


def test_a_rule_that_matched_after_the_failing_command_started_still_decides() -> None:
    result = classify_bytes(
        b"$ npm run build\n"
        b"FAILED tests/test_cart.py::test_total - assert 1 == 2\n"
        b'The command "npm run build" exited with 1.\n',
        TEST_RULES,
        commands=PACK.commands,
    )
    assert (result.category, result.rule) == ("test", "t-pytest")
    assert result.command == "npm run build"


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("test/run !", "test"),
        ("bash tests/integration.sh", "test"),
        ("python runtests.py -v", "test"),
        ("tests/setup.sh", None),
        ('test -z "$(cat out.txt)"', None),
    ],
)
def test_a_projects_own_test_script_names_the_test_category(
    command: str, expected: str | None
) -> None:
    assert category(command) == expected


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("hatch run test:all", "test"),
        ("pdm run lint", "lint"),
        ("rye test", "test"),
        ("deno task test", "test"),
        # A tool run through the same wrappers is the tool's own category.
        ("poetry run pytest -q", "test"),
        ("pdm run mypy src", "type_error"),
        ("hatch run ruff check .", "lint"),
    ],
)
def test_a_python_project_managers_script_names_the_category_by_its_name(
    command: str, expected: str
) -> None:
    assert category(command) == expected


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("./check_integrity.sh bin/git-a bin/git-b", "lint"),
        ("mix run check.exs", "lint"),
        ("scripts/validate-links", "lint"),
        ("hack/verify-gofmt.sh", "format"),
        ("./scripts/check_types.sh", None),
        ("check-jsonschema --schemafile schema.json data.json", "config"),
    ],
)
def test_a_projects_own_check_script_names_a_static_check(
    command: str, expected: str | None
) -> None:
    assert category(command) == expected


def test_an_unknown_command_traced_inside_a_step_gives_way_to_the_steps_known_command() -> None:
    # ormolu prints its diff with a space after `+`, which reads like a `set -x` trace.
    log = gha_log(
        "##[group]Run ormolu --mode check src/Cart.hs",
        "ormolu --mode check src/Cart.hs",
        "shell: /usr/bin/bash -e {0}",
        "##[endgroup]",
        "src/Cart.hs",
        "@@ -1,2 +1,2 @@",
        "- total prices discount = sum prices * (100-discount) `div` 100",
        "+ total prices discount = sum prices * (100 - discount) `div` 100",
        "##[error]Process completed with exit code 100.",
    )
    result = classify(log)
    assert result.command == "ormolu --mode check src/Cart.hs"
    assert result.category == "format"


def test_a_known_command_traced_inside_a_step_keeps_its_own_category() -> None:
    log = gha_log(
        "##[group]Run ./ci/run-checks.sh",
        "./ci/run-checks.sh",
        "##[endgroup]",
        "+ ruff check .",
        "+ pytest -q",
        "weird output",
        "##[error]Process completed with exit code 1.",
    )
    result = classify(log)
    assert result.command == "pytest -q"
    assert result.category == "test"
