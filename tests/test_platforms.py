"""The package installs from wheels on every platform the README claims, resolved
binary-only with pip for each target as `pip install` would (this reaches the package
registry, as `.ci/run` does).

pip evaluates environment markers for the machine it runs on, not for `--platform`, so
the markers are applied here for each target. On glibc Linux, where the action's image
runs, the image's lock (requirements.lock) must resolve as pinned.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent


def _manylinux(arch: str) -> list[str]:
    return [f"manylinux_2_{v}_{arch}" for v in range(28, 16, -1)] + [f"manylinux2014_{arch}"]


def _macos(arch: str) -> list[str]:
    majors = [14, 13, 12, 11]
    tags = [f"macosx_{m}_0_{arch}" for m in majors] + [f"macosx_{m}_0_universal2" for m in majors]
    if arch == "x86_64":
        tags += [f"macosx_10_{m}_{t}" for m in range(15, 8, -1) for t in (arch, "universal2")]
    return tags


@dataclass(frozen=True)
class Target:
    name: str
    tags: list[str]
    system: str  # sys_platform
    machine: str  # platform_machine
    re2: bool  # whether RE2 has wheels there
    locked: bool  # whether the image's lock must resolve there


TARGETS = [
    Target("Linux x86_64 (glibc)", _manylinux("x86_64"), "linux", "x86_64", True, True),
    Target("Linux aarch64 (glibc)", _manylinux("aarch64"), "linux", "aarch64", True, True),
    Target(
        "Linux x86_64 (musl)",
        ["musllinux_1_2_x86_64", "musllinux_1_1_x86_64"],
        "linux",
        "x86_64",
        False,
        False,
    ),
    Target(
        "Linux aarch64 (musl)",
        ["musllinux_1_2_aarch64", "musllinux_1_1_aarch64"],
        "linux",
        "aarch64",
        False,
        False,
    ),
    Target("macOS arm64", _macos("arm64"), "darwin", "arm64", True, False),
    Target("macOS x86_64", _macos("x86_64"), "darwin", "x86_64", False, False),
    Target("Windows x86_64", ["win_amd64"], "win32", "AMD64", True, False),
]


def _requirements(target: Target) -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    wanted = [*project["dependencies"], *extras["github"], *(extras["re2"] if target.re2 else [])]
    environment = {
        "sys_platform": target.system,
        "platform_machine": target.machine,
        "platform_system": {"linux": "Linux", "darwin": "Darwin", "win32": "Windows"}[
            target.system
        ],
        "os_name": "nt" if target.system == "win32" else "posix",
        "python_version": "3.11",
        "python_full_version": "3.11.9",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "extra": "",
    }
    chosen = []
    for line in wanted:
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate(environment):
            requirement.marker = None
            chosen.append(str(requirement))
    return chosen


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
def test_every_dependency_installs_from_a_wheel(target: Target, tmp_path: Path) -> None:
    args = [sys.executable, "-m", "pip", "download", "--quiet", "--dest", str(tmp_path)]
    args += ["--only-binary=:all:", "--python-version", "3.11", "--implementation", "cp"]
    for tag in target.tags:
        args += ["--platform", tag]
    if target.locked:
        pins = re.findall(
            r"^([A-Za-z0-9_.-]+==\S+)", (ROOT / "requirements.lock").read_text(), re.M
        )
        constraints = tmp_path / "constraints.txt"
        constraints.write_text("\n".join(pins) + "\n")
        args += ["--constraint", str(constraints)]
    done = subprocess.run(
        [*args, *_requirements(target)], capture_output=True, text=True, timeout=600, check=False
    )
    problems = [
        line
        for line in done.stderr.splitlines()
        if line.startswith("ERROR") or "conflict is caused by" in line or "depends on" in line
    ]
    assert done.returncode == 0, f"{target.name}: no wheel for " + " | ".join(problems[:6])
    wheels = {p.name.split("-")[0].lower() for p in tmp_path.glob("*.whl")}
    assert "hyperscan" in wheels, f"{target.name}: hyperscan is missing"
    assert ("google_re2" in wheels) is target.re2, target.name
