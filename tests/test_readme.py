"""README.md stays true: its action tables, its set-up commands and the files it points to."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from scripts.action_tables import REGENERATE, main, region, render

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_tables_are_current() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    for name, table in render(action).items():
        match = region(name).search(README)
        assert match is not None, f"README.md lacks the <!-- {name}:start/end --> markers"
        assert match.group(1) == table + "\n", (
            f"README.md's {name} table differs from action.yml; run `{REGENERATE}`"
        )


def test_cells_escape_pipes_and_line_breaks() -> None:
    tables = render(
        {
            "inputs": {
                "mode": {"description": "fast | slow\nchoose one", "default": "a|b"},
            },
            "outputs": {"verdict": {"description": "pass |\nfail"}},
        }
    )
    assert "| `mode` | fast \\| slow choose one | `a\\|b` | no |" in tables["action-inputs"]
    assert "| `verdict` | pass \\| fail |" in tables["action-outputs"]


def test_defaults_are_shown_literally_in_code_spans() -> None:
    inputs = {
        "token": {"description": "t", "default": "${{ github.token }}", "required": True},
        "empty": {"description": "e", "default": ""},
        "tick": {"description": "b", "default": "a`b"},
    }
    table = render({"inputs": inputs})["action-inputs"]
    assert "| `token` | t | `${{ github.token }}` | yes |" in table
    assert '| `empty` | e | `""` | no |' in table
    assert "| `tick` | b | ``a`b`` | no |" in table


def test_check_fails_on_a_stale_readme_and_the_script_repairs_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = tmp_path / "README.md"
    shutil.copy(ROOT / "README.md", readme)
    readme.write_text(
        readme.read_text(encoding="utf-8").replace("| `run-id` |", "| `run_id` |"),
        encoding="utf-8",
    )
    assert main(["--check"], readme=readme) == 1
    message = capsys.readouterr().out
    assert message.count("\n") == 1
    assert REGENERATE in message
    assert main([], readme=readme) == 0
    assert main(["--check"], readme=readme) == 0
    assert readme.read_text(encoding="utf-8") == README


def _commands(lines: list[str]) -> list[str]:
    """Shell commands, one per `&&`-joined part, with pip's `-q` left out."""
    commands = []
    for line in lines:
        line = line.strip()
        if line and not line.startswith("#"):
            commands += [part.strip().replace(" -q ", " ") for part in line.split("&&")]
    return commands


def test_setup_commands_are_the_ones_ci_runs() -> None:
    block = re.search(
        r"^## Set-up \(two commands on a fresh machine\)\n.*?```sh\n(.*?)```", README, re.M | re.S
    )
    assert block is not None, "README.md lost its set-up block"
    readme_lines = [line for line in block.group(1).splitlines() if line.strip()]
    steps = [line for line in readme_lines if not line.startswith("#")]
    assert len(steps) == 2, steps
    ci = _commands((ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines())
    for command in _commands(steps):
        assert command in ci, f".ci/run does not run README's set-up command {command!r}"


def test_every_workflow_file_the_readme_names_exists() -> None:
    named = set(re.findall(r"(?:examples/workflows|\.github/workflows)/[\w.-]+\.ya?ml", README))
    assert "examples/workflows/step.yml" in named
    missing = sorted(path for path in named if not (ROOT / path).is_file())
    assert not missing, f"README.md names workflow files that do not exist: {missing}"


def test_every_local_link_in_the_readme_resolves() -> None:
    targets = re.findall(r"\]\((?!https?://|#)([^)\s]+)\)", README)
    assert "SECURITY.md" in targets
    missing = sorted(target for target in targets if not (ROOT / target).exists())
    assert not missing, f"README.md links to files that do not exist: {missing}"


def _yaml_blocks() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", README, re.DOTALL)


def _workflow_blocks() -> list[str]:
    return [b for b in _yaml_blocks() if "jobs:" in b and re.search(r"^on:", b, re.MULTILINE)]


def test_the_readme_shows_a_workflow_for_each_mode() -> None:
    blocks = _workflow_blocks()
    assert len(blocks) >= 3
    assert any("workflow_run:" in b for b in blocks)
    assert any("/.github/workflows/failure-analysis.yml@" in b for b in blocks)


def test_every_workflow_in_the_readme_passes_the_linters(tmp_path: Path) -> None:
    """Copied as they stand, the README's workflows are valid: actionlint and GitHub's
    workflow schema accept them."""
    from tests.test_workflows import tool

    (tmp_path / ".git").mkdir()  # actionlint's project root
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    files = []
    for index, block in enumerate(_workflow_blocks()):
        assert isinstance(yaml.safe_load(block), dict)
        path = folder / f"readme-{index}.yml"
        path.write_text(block)
        files.append(str(path.relative_to(tmp_path)))
    linted = tool("actionlint", "-no-color", "-oneline", *files, cwd=tmp_path)
    assert linted.returncode == 0, linted.stdout + linted.stderr
    schema = tool(
        "check-jsonschema", "--builtin-schema", "vendor.github-workflows", *files, cwd=tmp_path
    )
    assert schema.returncode == 0, schema.stdout + schema.stderr


def test_the_rules_examples_in_the_readme_are_valid_rules_files() -> None:
    from healer.classifier.command import classify_command
    from healer.classifier.ruleschema import parse_rule_file

    rules_example, commands_example = [b for b in _yaml_blocks() if b.startswith("version: 1")]
    parsed = parse_rule_file(rules_example, "README.md")
    assert [rule.id for rule in parsed.rules] == ["acme-flaky-license-server"]
    [command] = parse_rule_file(commands_example, "README.md").commands
    assert command.id == "acme-check-docs"
    assert all(classify_command(s, [command]) for s in command.samples.match)
    assert not any(classify_command(s, [command]) for s in command.samples.no_match)


def _message_templates() -> list[str]:
    """Every string the package can print, with each formatted value as a NUL."""
    import ast

    templates = []
    for path in sorted((ROOT / "healer").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                templates.append(
                    "".join(
                        str(v.value) if isinstance(v, ast.Constant) else "\x00" for v in node.values
                    )
                )
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                templates.append(node.value)
    return templates


def test_the_messages_quoted_in_troubleshooting_are_the_ones_the_action_prints() -> None:
    section = README.split("## Troubleshooting", 1)[1].split("\n## ", 1)[0]
    quotes = [
        re.sub(r"\s+", " ", quote)
        for quote in re.findall(r'"([^"]+)"', section)
        if "GITHUB_TOKEN" not in quote  # GitHub's own messages, not ours
    ]
    assert len(quotes) >= 6
    templates = _message_templates()
    inputs = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))["inputs"]
    for quote in quotes:
        name, _, problem = quote.partition(": ")
        if name in inputs:  # "<input>: <problem>", as the action reports a bad input
            quote = problem
        # N and owner/name stand for values in the README; the code formats them in.
        pattern = re.escape(quote).replace("owner/name", "\x00")
        pattern = re.sub(r"\bN\b", "\x00", pattern)
        assert any(re.search(pattern, t) for t in templates), quote
