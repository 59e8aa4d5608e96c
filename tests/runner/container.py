"""Build the shipped Dockerfile and run the image the way the runner runs a Docker action.

Where a Docker engine answers (`docker info`, as on GitHub's hosted runners), it is
used as it is, base image pulled from its registry. Where none does (the machines this
project is developed on have no engine and no registry), this uses rootful podman with
runc, and makes the Dockerfile's base image locally:

1. a Debian root file system with Python, made once with mmdebstrap and cached as a tar
   under ``/var/tmp/self-healing-image`` (``$SELF_HEALING_IMAGE_DIR``);
2. a derived image that trusts the machine's outbound proxy CA and drops Debian's
   ``EXTERNALLY-MANAGED`` marker, tagged with the exact (short) name of the Dockerfile's
   ``FROM``, so the build finds it locally and the shipped Dockerfile builds unmodified.

A real base image already present under that name (one not made here) is left alone.
The Python inside the local base is Debian's, in ``/usr/bin``; the Dockerfile calls
``python3`` by name so it builds on both.

``SELF_HEALING_CONTAINER_ENGINE=docker|podman`` forces the choice. Run as
``python -m tests.runner.container`` to build the image and print its name.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
IMAGE = "localhost/self-healing-action:test"
TOOLS = {"podman": "podman", "runc": "runc", "mmdebstrap": "mmdebstrap"}
# What the official slim image has that a minimal Debian lacks: pip, venv, C headers.
ROOTFS_PACKAGES = ("python3", "python3-pip", "python3-venv", "python3-dev", "ca-certificates")
ROOTFS_SUITE = "bookworm"
TEST_BASE_LABEL = "org.self-healing.test-base"
PROXY_CAS = Path("/usr/local/share/ca-certificates")


class ContainerUnavailableError(RuntimeError):
    """No container engine, or an image cannot be made."""


@dataclass(frozen=True)
class Engine:
    cli: str  # "docker" or "podman"
    runtime: tuple[str, ...]  # flags for `build` and `run`
    local_base: bool  # make the base image here instead of pulling it

    def run_flags(self) -> list[str]:
        return [*self.runtime, *(_ulimits() if self.cli == "podman" else [])]


def _docker_answers() -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        done = subprocess.run(["docker", "info"], capture_output=True, timeout=30, check=False)
    except subprocess.TimeoutExpired:
        return False
    return done.returncode == 0


@cache
def engine() -> Engine:
    chosen = os.environ.get("SELF_HEALING_CONTAINER_ENGINE", "")
    if chosen == "docker" or (not chosen and _docker_answers()):
        return Engine("docker", (), local_base=False)
    check_tools()
    # Debian's default runtime, crun, fails in this sandbox; runc works.
    return Engine("podman", ("--runtime", "runc"), local_base=True)


def _image_dir() -> Path:
    return Path(os.environ.get("SELF_HEALING_IMAGE_DIR") or "/var/tmp/self-healing-image")


def _run(args: Sequence[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(list(args), capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload]
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).splitlines()[-30:])
        raise ContainerUnavailableError(
            f"{' '.join(args[:3])} … failed ({done.returncode}):\n{tail}"
        )
    return done  # type: ignore[no-any-return]


def check_tools() -> None:
    missing = [package for tool, package in TOOLS.items() if shutil.which(tool) is None]
    if missing:
        raise ContainerUnavailableError(
            "the container tests need rootful podman with runc and mmdebstrap: "
            f"apt-get install -y --no-install-recommends {' '.join(missing)}"
        )
    if os.geteuid() != 0:
        raise ContainerUnavailableError("the container tests need rootful podman: run as root")


def base_images() -> list[str]:
    """Every `FROM` image of the Dockerfile that is not a build stage."""
    stages: set[str] = set()
    images = []
    for line in DOCKERFILE.read_text().splitlines():
        found = re.match(r"\s*FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?", line, re.IGNORECASE)
        if found:
            if found[1].lower() not in stages and found[1] not in images:
                images.append(found[1])
            if found[2]:
                stages.add(found[2].lower())
    return images


def _labels(image: str, arch: str | None = None) -> dict[str, str] | None:
    done = subprocess.run(
        [engine().cli, *storage(arch), "image", "inspect", image],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return None
    return json.loads(done.stdout)[0].get("Labels") or {}


def _rootfs(arch: str | None = None) -> Path:
    key = hashlib.sha256(repr((ROOTFS_SUITE, ROOTFS_PACKAGES)).encode()).hexdigest()[:12]
    tar = _image_dir() / f"rootfs-{ROOTFS_SUITE}-{key}{'-' + arch if arch else ''}.tar"
    if not tar.exists():
        tar.parent.mkdir(parents=True, exist_ok=True)
        partial = tar.with_name(f"{tar.stem}.partial.tar")  # the suffix sets the format
        _run(
            [
                "mmdebstrap",
                "--quiet",
                *([f"--arch={arch}"] if arch else []),
                "--variant=minbase",
                f"--include={','.join(ROOTFS_PACKAGES)}",
                ROOTFS_SUITE,
                str(partial),
            ],
            timeout=1800,
        )
        partial.replace(tar)
    return tar


def storage(arch: str | None) -> list[str]:
    """podman's flags for an image of another architecture: a storage of its own, where
    the Dockerfile's base image name can stand for that architecture's base."""
    if arch is None:
        return []
    root = _image_dir() / f"podman-{arch}"
    return ["--root", str(root / "storage"), "--runroot", str(root / "run")]


def foreign_arch_problem(arch: str) -> str | None:
    """Why images of `arch` cannot be built and run here, if they cannot."""
    machine = {"arm64": "aarch64"}.get(arch, arch)
    if engine().cli != "podman":
        return "images of another architecture are built here with podman only"
    if shutil.which(f"qemu-{machine}-static") is None or shutil.which("arch-test") is None:
        return f"no qemu-{machine}-static or arch-test (apt-get install qemu-user-static arch-test)"
    entry = Path(f"/proc/sys/fs/binfmt_misc/qemu-{machine}")
    if not entry.is_file() or "enabled" not in entry.read_text():
        return f"binfmt_misc has no enabled qemu-{machine} entry (update-binfmts --enable)"
    return None


def ensure_base_image(name: str, arch: str | None = None) -> None:
    """Make `name` available locally, unless a real image of that name already is."""
    labels = _labels(name, arch)
    tar = _rootfs(arch)
    if labels is not None and (
        TEST_BASE_LABEL not in labels or labels[TEST_BASE_LABEL] == tar.name
    ):
        return
    imported = f"localhost/self-healing-rootfs:{tar.stem}"
    podman = ["podman", *storage(arch)]
    arch_flags = ["--arch", arch] if arch else []
    if _labels(imported, arch) is None:
        _run([*podman, "import", *arch_flags, str(tar), imported])
    with tempfile.TemporaryDirectory() as context:
        cas = sorted(PROXY_CAS.glob("*.crt")) if PROXY_CAS.is_dir() else []
        for ca in cas:
            shutil.copy(ca, Path(context) / ca.name)
        lines = [f"FROM {imported}"]
        if cas:
            lines.append("COPY *.crt /usr/local/share/ca-certificates/")
        lines += [
            "RUN rm -f /usr/lib/python3*/EXTERNALLY-MANAGED && update-ca-certificates",
            "ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt",
            f"LABEL {TEST_BASE_LABEL}={tar.name}",
        ]
        (Path(context) / "Containerfile").write_text("\n".join(lines) + "\n")
        # Unqualified, podman files it under localhost/, where the build's FROM finds it.
        _run([*podman, "build", *arch_flags, "--runtime", "runc", "-q", "-t", name, context])


def build_image(arch: str | None = None) -> str:
    """Build the shipped Dockerfile, unmodified, from the repository root; for `arch`
    (e.g. arm64, under qemu) in a storage of its own."""
    chosen = engine()
    if chosen.local_base:
        for name in base_images():
            ensure_base_image(name, arch)
    image = f"{IMAGE}-{arch}" if arch else IMAGE
    args = [chosen.cli, *storage(arch), "build", *(["--arch", arch] if arch else [])]
    args += [*chosen.runtime, "--network", "host", "-q"]
    _run([*args, "-f", str(DOCKERFILE), "-t", image, str(ROOT)], timeout=3600)
    return image


def _ulimits() -> list[str]:
    """The sandbox cannot raise limits: hand the container exactly the current ones."""
    nofile = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    nproc = resource.getrlimit(resource.RLIMIT_NPROC)[1]
    pid_max = int(Path("/proc/sys/kernel/pid_max").read_text())
    nproc = pid_max if nproc == resource.RLIM_INFINITY else min(nproc, pid_max)
    return ["--ulimit", f"nofile={nofile}:{nofile}", "--ulimit", f"nproc={nproc}:{nproc}"]


def action_defaults() -> dict[str, str]:
    """Each input's default from action.yml, as the runner passes it."""
    inputs = yaml.safe_load((ROOT / "action.yml").read_text())["inputs"]
    return {name: str(spec.get("default", "")) for name, spec in inputs.items()}


@dataclass
class RunnerDirs:
    """The host folders the runner mounts into a Docker action's container."""

    root: Path

    @property
    def workspace(self) -> Path:
        return self.root / "workspace"

    @property
    def file_commands(self) -> Path:
        return self.root / "file_commands"

    @property
    def workflow(self) -> Path:
        return self.root / "workflow"

    @property
    def home(self) -> Path:
        return self.root / "home"

    def mounts(self) -> dict[Path, str]:
        """Each host folder and where the runner mounts it in the container."""
        return {
            self.workspace: "/github/workspace",
            self.file_commands: "/github/file_commands",
            self.workflow: "/github/workflow",
            self.home: "/github/home",
        }

    def make(self) -> None:
        for folder in self.mounts():
            folder.mkdir(parents=True, exist_ok=True)


@dataclass
class ContainerRun:
    code: int
    stdout: str
    stderr: str
    output_file: Path
    summary_file: Path


def run_action(
    image: str,
    dirs: RunnerDirs,
    inputs: Mapping[str, str],
    github: Mapping[str, str],
    event: object = None,
    arch: str | None = None,
) -> ContainerRun:
    """`docker run` as the runner does it for a Docker action.

    `inputs` override action.yml's defaults (`${{ github.token }}` must be given);
    `github` holds the `GITHUB_*` variables that depend on the run.
    """
    dirs.make()
    (dirs.workflow / "event.json").write_text(json.dumps(event or {}))
    suffix = uuid.uuid4()
    output_name, summary_name = f"set_output_{suffix}", f"step_summary_{suffix}"
    for name in (output_name, summary_name):
        (dirs.file_commands / name).write_text("")
    env = {
        "HOME": "/github/home",
        "CI": "true",
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": "/github/workspace",
        "GITHUB_EVENT_PATH": "/github/workflow/event.json",
        "GITHUB_OUTPUT": f"/github/file_commands/{output_name}",
        "GITHUB_STEP_SUMMARY": f"/github/file_commands/{summary_name}",
        "RUNNER_OS": "Linux",
        "RUNNER_TEMP": "/home/runner/work/_temp",
        **github,
    }
    for name, value in {**action_defaults(), **inputs}.items():
        env[f"INPUT_{name.upper()}"] = value
    args = [engine().cli, *storage(arch), "run", "--rm", *(["--arch", arch] if arch else [])]
    args += [*engine().run_flags(), "--network", "host", "--workdir", "/github/workspace"]
    for name in env:
        args += ["-e", name]  # values through the environment, never on the command line
    for host, inside in dirs.mounts().items():
        args += ["-v", f"{host}:{inside}"]
    args.append(image)
    done = subprocess.run(
        args,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=900 if arch else 300,
        check=False,
    )
    return ContainerRun(
        done.returncode,
        done.stdout,
        done.stderr,
        dirs.file_commands / output_name,
        dirs.file_commands / summary_name,
    )


def image_config(image: str) -> dict[str, object]:
    """The image's `Config` section (Entrypoint, WorkingDir, User, Env …)."""
    done = _run([engine().cli, "image", "inspect", image])
    config: dict[str, object] = json.loads(done.stdout)[0]["Config"]
    return config


def image_size(image: str) -> int:
    done = _run([engine().cli, "image", "inspect", "--format", "{{.Size}}", image])
    return int(done.stdout.strip())


def shell(image: str, script: str, arch: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run a shell command in the image instead of its entry point."""
    args = [engine().cli, *storage(arch), "run", "--rm", *(["--arch", arch] if arch else [])]
    args += [*engine().run_flags(), "--network", "none"]
    args += ["--entrypoint", "/bin/sh", image, "-c", script]
    return subprocess.run(args, capture_output=True, text=True, timeout=600, check=False)


if __name__ == "__main__":
    try:
        print(build_image())
    except ContainerUnavailableError as problem:
        print(problem, file=sys.stderr)
        sys.exit(1)
