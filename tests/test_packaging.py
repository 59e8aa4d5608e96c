"""The action image installs exactly what the package needs, pinned with hashes."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_every_runtime_dependency_is_pinned_with_hashes_in_the_lock() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lock = (ROOT / "requirements.lock").read_text()
    pinned = {
        m.group(1).lower(): m.group(2)
        for m in re.finditer(r"^([A-Za-z0-9_.-]+)==(\S+) \\\n\s+--hash=sha256:", lock, re.M)
    }
    extras = project["optional-dependencies"]
    # The image is the action: the package with its GitHub side and both engines.
    for requirement in [*project["dependencies"], *extras["github"], *extras["re2"]]:
        assert _name(requirement) in pinned, f"{requirement} is not pinned in requirements.lock"
