"""action.yml and the settings model agree, name for name and default for default."""

from __future__ import annotations

from pathlib import Path

import yaml

from healer.runner.report import outputs
from healer.runner.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())


def _settings_inputs() -> dict[str, object]:
    inputs = {}
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias
        choices = getattr(alias, "choices", [])
        if choices and str(choices[0]).startswith("INPUT_"):
            inputs[str(choices[0]).removeprefix("INPUT_").lower()] = (name, field.default)
    return inputs


def test_every_input_is_read_and_every_read_input_is_declared() -> None:
    assert set(ACTION["inputs"]) == set(_settings_inputs())


def test_defaults_agree() -> None:
    for name, (_, default) in _settings_inputs().items():
        declared = ACTION["inputs"][name]["default"]
        if name == "github-token":
            assert declared == "${{ github.token }}"
        elif name in ("workflow-name", "run-id", "copilot-token"):
            assert declared == ""  # empty: taken from the run, or not used
            assert default is None
        elif isinstance(default, tuple):
            assert declared == ",".join(default)
        elif isinstance(default, bool):
            assert declared == str(default).lower()
        else:
            assert declared == str(default), name


def test_every_input_and_output_is_described() -> None:
    for section in ("inputs", "outputs"):
        for name, spec in ACTION[section].items():
            assert spec.get("description"), f"{section}.{name} has no description"


def test_outputs_are_exactly_those_the_action_writes() -> None:
    assert set(ACTION["outputs"]) == set(outputs([]))


def test_it_is_a_docker_action_with_branding() -> None:
    assert ACTION["runs"]["using"] == "docker"
    assert ACTION["branding"]["icon"]
    assert ACTION["branding"]["color"] in {
        "white",
        "black",
        "yellow",
        "blue",
        "green",
        "orange",
        "red",
        "purple",
        "gray-dark",
    }
