"""Fetch GitHub's OpenAPI description into a cache folder outside the repository.

The description (npm package ``@octokit/openapi``, file ``generated/api.github.com.json``,
13 MB) is not committed: ``npm pack`` downloads the pinned version, the JSON is extracted
and kept in ``/var/tmp/self-healing-openapi/<version>/`` (or ``$SELF_HEALING_OPENAPI_DIR``)
and reused while its SHA-256 matches the pinned one.

Run as ``python tests/github/fake_github/fetch_spec.py``; prints the path of the JSON file.
Standard library only, so it can run before anything else is importable.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "@octokit/openapi"
VERSION = "23.0.2"
MEMBER = "package/generated/api.github.com.json"
SHA256 = "829b4bebb19a53133289f7b0bc819f4f1118115821db2ca9f25e9ee995a7da2a"


class SpecUnavailableError(RuntimeError):
    """The OpenAPI description is neither cached nor fetchable."""


def cache_dir() -> Path:
    root = os.environ.get("SELF_HEALING_OPENAPI_DIR") or "/var/tmp/self-healing-openapi"
    return Path(root) / VERSION


def spec_path() -> Path:
    return cache_dir() / "api.github.com.json"


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            sha.update(chunk)
    return sha.hexdigest()


def is_cached() -> bool:
    path = spec_path()
    return path.is_file() and _digest(path) == SHA256


def fetch(force: bool = False) -> Path:
    """Return the path of the cached description, downloading it with npm if needed."""
    target = spec_path()
    if not force and is_cached():
        return target
    return npm_member(PACKAGE, VERSION, MEMBER, SHA256, target)


def npm_member(package: str, version: str, member: str, sha256: str, target: Path) -> Path:
    """Put one file of an npm package (`npm pack`, pinned version, checked against its
    SHA-256) at `target`, atomically: concurrent runs never see half a file."""
    npm = shutil.which("npm")
    if npm is None:
        raise SpecUnavailableError(
            f"{target} is missing and npm is not installed to fetch {package}@{version}"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as work:
        done = subprocess.run(
            [npm, "pack", f"{package}@{version}", "--silent", "--pack-destination", work],
            capture_output=True,
            text=True,
            check=False,
        )
        tarballs = list(Path(work).glob("*.tgz"))
        if done.returncode != 0 or len(tarballs) != 1:
            raise SpecUnavailableError(
                f"npm pack {package}@{version} failed (exit {done.returncode}): "
                f"{done.stderr.strip()[-2000:]}"
            )
        with tarfile.open(tarballs[0]) as tar:
            source = tar.extractfile(member)
            if source is None:
                raise SpecUnavailableError(f"{member} not found in {tarballs[0].name}")
            partial = Path(work) / target.name
            with source, partial.open("wb") as out:
                shutil.copyfileobj(source, out)
        digest = _digest(partial)
        if digest != sha256:
            raise SpecUnavailableError(
                f"{package}@{version} {member} has SHA-256 {digest}, expected {sha256}"
            )
        os.replace(partial, target)
    return target


def main() -> int:
    try:
        print(fetch(force="--force" in sys.argv[1:]))
    except SpecUnavailableError as error:
        print(f"fetch_spec: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
