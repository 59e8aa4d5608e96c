"""How big the action's image is and how fast its container starts and exits.

    python bench/container_start.py [--runs 10]

Builds the shipped Dockerfile the way the test suite does (`tests/runner/container.py`:
a Docker engine if one answers, else rootful podman with runc on a locally
made base image), then prints:

- the image size, and how much of it the action adds to its base image;
- the wall time from `docker run` (or `podman run`) to exit for a dry run of the action on a failed
  run served by the test suite's fake GitHub on loopback (list jobs, download the
  log, classify it, look for the tracking issue, write outputs), median and range
  of `--runs` runs;
- the same for `--entrypoint python3 -c pass`, the floor that the container engine itself costs
  here, and `healer classify` on the bundled example inside the container.

The base image here is Debian's minimal root file system with Python, not the
official slim image, so the total size differs from the published image; the
action's own layers do not.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.github.fake_github import FakeGitHub  # noqa: E402
from tests.github.fake_github.openapi import GitHubContract  # noqa: E402
from tests.runner import container  # noqa: E402

LOG = (ROOT / "examples" / "logs" / "github-pytest-failure.log").read_bytes()


def _figures(samples: list[float]) -> str:
    return (
        f"median {statistics.median(samples):.2f} s "
        f"(min {min(samples):.2f}, max {max(samples):.2f}, n={len(samples)})"
    )


def _time_shell(image: str, entrypoint: str, args: list[str], runs: int) -> list[float]:
    base = [container.engine().cli, "run", "--rm", *container.engine().run_flags()]
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(
            [*base, "--entrypoint", entrypoint, image, *args],
            check=True,
            capture_output=True,
        )
        samples.append(time.perf_counter() - started)
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    options = parser.parse_args()

    started = time.perf_counter()
    image = container.build_image()
    print(f"build (cached layers where unchanged): {time.perf_counter() - started:.1f} s")
    size = container.image_size(image)
    [base] = container.base_images()
    base_size = container.image_size(base)
    print(
        f"image size: {size / 1e6:.0f} MB, of which the action adds {(size - base_size) / 1e6:.0f} MB"
    )

    floor = _time_shell(image, "/opt/venv/bin/python", ["-c", "pass"], options.runs)
    print(f"run, python -c pass: {_figures(floor)}")
    classify = _time_shell(
        image, "/opt/venv/bin/healer", ["classify", "/opt/self-healing/entrypoint.py"], options.runs
    )
    print(f"run, healer classify (small file): {_figures(classify)}")

    with FakeGitHub(GitHubContract.load()) as fake, tempfile.TemporaryDirectory() as work:
        repo = fake.add_repo("octo-org/octo-repo")
        samples = []
        for index in range(options.runs):
            run = repo.add_run("Tests")
            run.add_job("test", steps=[("Run pytest -q", "failure")], log=LOG)
            github = {
                "GITHUB_API_URL": fake.url,
                "GITHUB_REPOSITORY": repo.full_name,
                "GITHUB_RUN_ID": str(run.id),
                "GITHUB_WORKFLOW": run.name,
                "GITHUB_EVENT_NAME": "push",
            }
            dirs = container.RunnerDirs(Path(work) / str(index))
            begun = time.perf_counter()
            done = container.run_action(
                image, dirs, {"github-token": fake.token, "dry-run": "true"}, github
            )
            samples.append(time.perf_counter() - begun)
            if done.code != 0:
                print(done.stdout, done.stderr, file=sys.stderr)
                return 1
    print(f"run, action dry run (start to exit): {_figures(samples)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
