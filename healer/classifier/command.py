"""The command a failing step ran, and what a well-known command says about its failure.

CI logs print the commands they run: GitHub Actions as the step's `Run …` group
with its script, Travis, GitLab and Buildkite as `$ command`, shell tracing
(Jenkins' `sh` steps, `set -x`) as `+ command`, Azure Pipelines as
`##[section]Starting: …`, and Travis names the failing one again in `The command
"…" exited with N`. The last command before the failure point is the one that
failed, or the script that holds it.

A command is split into simple commands at `&&`, `||`, `;`, `|` and line breaks;
wrappers (`sudo`, `time`, `env X=1`, `npx`, `bundle exec`, `python -m`, …) are
removed; each simple command is matched against the command rules in order. The
command names a category only when every simple command that a rule knows agrees.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from healer.classifier.rule import CommandRule

MAX_COMMAND_CHARS = 500
MAX_SCRIPT_LINES = 20

# Where a command line comes from (see the module docstring).
STEP, PROMPT, TRACE, SECTION, TRAVIS_EXIT = "step", "prompt", "trace", "section", "exit"


@dataclass(frozen=True)
class Command:
    """A command printed in the log: its line, its text (a step's whole script)."""

    line: int
    text: str
    origin: str

    @property
    def shown(self) -> str:
        """One line for people: the first line of the script, cut to length."""
        first = self.text.strip().splitlines()[0] if self.text.strip() else ""
        more = " …" if "\n" in self.text.strip() else ""
        return first[:200] + more


_TRAVIS_EXIT = re.compile(r'^The command "(.*)" (?:exited with|failed and exited with) \d+')
_PROMPT = re.compile(r"^\$ (\S.*)$")
_TRACE = re.compile(r"^\+ (\S.*)$")
_SECTION = re.compile(r"^##\[section\]Starting: (\S.*)$")
_STEP = re.compile(r"^##\[group\]Run (\S.*)$")


# By first character, the shapes a line may have (most lines have none).
_SHAPES = {
    "#": ((_STEP, STEP), (_SECTION, SECTION)),
    "$": ((_PROMPT, PROMPT),),
    "+": ((_TRACE, TRACE),),
    "T": ((_TRAVIS_EXIT, TRAVIS_EXIT),),
}


def command_in(text: str, line: int) -> Command | None:
    """The command a clean log line prints, if it prints one."""
    for pattern, origin in _SHAPES.get(text[:1], ()):
        match = pattern.match(text)
        if match:
            return Command(line, match.group(1)[:MAX_COMMAND_CHARS], origin)
    return None


_SCRIPT_END = ("shell: ", "env:", "with:", "##[endgroup]", "##[group]")


def step_script(first: str, following: Iterable[str]) -> str:
    """A GitHub Actions step's script: the lines the runner prints after `##[group]Run …`
    up to its `shell:`, `with:` or `env:` line (the first line repeats `first`).
    `following` is read only as far as needed."""
    script: list[str] = []
    for text in itertools.islice(following, MAX_SCRIPT_LINES):
        if text.startswith(_SCRIPT_END):
            break
        script.append(text)
    return "\n".join(script) if script else first


_SPLIT = re.compile(r"\s*(?:&&|\|\||;|\||\n)\s*")
_WRAPPER = re.compile(
    r"^(?:"
    r"sudo(?: -\S+)*|time|exec|nice|nohup|command|builtin|"
    r"env(?: -\S+)*|[A-Za-z_][A-Za-z0-9_]*=\S*|"
    r"timeout(?: -\S+)* \d+[smhd]?|xvfb-run(?: -\S+)*|"
    r"npx(?: -\S+)*|bunx|pnpm (?:exec|dlx)|yarn (?:exec|dlx)|npm exec(?: --)?|"
    # A project's own script (`hatch run test`, `pdm run lint:all`) is left for the task
    # runner entries of commands.yml; a tool (`poetry run pytest`) is unwrapped.
    r"(?:poetry|pipenv|uv|hatch|pdm|rye) run(?! (?:[\w.-]+:)?(?:test|tests|lint|fmt|format|typecheck|types|check|build)(?::\S*)?(?: |$))|"
    r"uvx|pipx run|conda run(?: -n \S+)?|"
    r"bundle exec|python[0-9.]* -m|py -m|coverage run -m|"
    r"(?:php|node|ruby|perl|bash|sh|python[0-9.]*) (?=\S*/)|"
    r"\./|\.\./)\s*"
)
_TRIVIAL = frozenset(
    [
        "echo",
        "printf",
        "cd",
        "pushd",
        "popd",
        "export",
        "set",
        "unset",
        "source",
        ".",
        "true",
        "false",
        ":",
        "exit",
        "mkdir",
        "rm",
        "cp",
        "mv",
        "ls",
        "cat",
        "pwd",
        "sleep",
        "which",
        "type",
        "local",
        "shift",
        "test",
        "[",
        "[[",
        "wait",
    ]
)


_SUBSTITUTION = re.compile(r"\$\(([^()]*)\)")


def simple_commands(command: str) -> list[str]:
    """The simple commands of a command line (and of its `$(…)` substitutions),
    without wrappers or a leading `./`."""
    found = []
    joined = command.replace("\\\n", " ")
    parts = [
        *_SPLIT.split(joined),
        *(m for s in _SUBSTITUTION.findall(joined) for m in _SPLIT.split(s)),
    ]
    for part in parts:
        part = part.strip().strip("()").strip()
        previous = None
        while part and part != previous:
            previous = part
            part = _WRAPPER.sub("", part, count=1).lstrip()
        if part:
            found.append(part)
    return found


def is_trivial(command: Command) -> bool:
    """A command that prints or moves around and says nothing of what failed."""
    parts = simple_commands(command.text)
    return all(part.split()[0] in _TRIVIAL for part in parts) if parts else True


def classify_command(command: str, rules: Sequence[CommandRule]) -> CommandRule | None:
    """The rule for the category the command names, if its known parts agree on one."""
    known: list[CommandRule] = []
    for part in simple_commands(command):
        rule = next((r for r in rules if r.matches(part)), None)
        if rule is not None:
            known.append(rule)
    categories = {rule.category for rule in known}
    return known[-1] if len(categories) == 1 else None
