"""`healer`: the arguments, and what each command does.

PyGithub is imported only for a run's URL and by `healer report`: `classify` on
files starts in well under a second because it only loads the classifier.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from healer import __version__
from healer.classifier.baseline import Baseline
from healer.classifier.classify import Classifier, Result, unreadable
from healer.classifier.parallel import Counting
from healer.classifier.rule import Kind, RulesError
from healer.classifier.rulepack import load_pack
from healer.cli import inputs, remote
from healer.cli.archive import MAX_UNPACKED_MIB, InputError, Limits
from healer.cli.output import (
    PROGRESS_MIN_BYTES,
    ProgressLine,
    Style,
    for_people,
    printable,
    render_json,
    render_text,
)

EXIT_OK = 0
EXIT_GATE = 1
EXIT_USAGE = 2


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, got {number}")
    return number


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="healer",
        description="Tell transient CI failures (rerun) from persistent ones (fix the code).",
    )
    parser.add_argument("--version", action="version", version=f"healer {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--rules",
            type=Path,
            metavar="FILE",
            help="your own rules file (YAML), added to the shipped rules",
        )
        sub.add_argument(
            "--max-excerpt-lines",
            type=_positive_int,
            default=40,
            metavar="N",
            help="at most N lines in each excerpt (default 40)",
        )
        sub.add_argument("--engine", choices=["hyperscan", "re2", "re"], help=argparse.SUPPRESS)

    classify = commands.add_parser(
        "classify",
        help="classify logs: files, - (a pipe), folders, .gz/.zst/.zip, a run's URL",
        description=(
            "Classify CI logs. Each INPUT is a log file, - for standard input (also read "
            "when no INPUT is given and input is piped), a folder, a .gz or .zst log, a "
            "zip (GitHub's run log archive gives one result per job), or a run's URL "
            "(https://github.com/OWNER/REPO/actions/runs/ID[/job/JOB], with a token from "
            "GH_TOKEN, GITHUB_TOKEN or gh). The output of gh run view --log is split by job."
        ),
    )
    classify.add_argument("paths", nargs="*", metavar="INPUT")
    classify.add_argument(
        "--format",
        choices=["text", "json", "markdown"],
        default="text",
        help="text report, JSON Lines, or Markdown (the issue body the action would post)",
    )
    classify.add_argument(
        "--json", action="store_const", const="json", dest="format", help="same as --format json"
    )
    classify.add_argument(
        "--fail-on",
        choices=["persistent", "any", "never"],
        default="never",
        help="exit 1 when a log is persistent (persistent), or persistent, transient or "
        "unreadable (any); default never",
    )
    classify.add_argument(
        "--explain",
        action="store_true",
        help="show every rule that matched, with its score and lines",
    )
    classify.add_argument(
        "--max-unpacked-mib",
        type=_positive_int,
        default=MAX_UNPACKED_MIB,
        metavar="N",
        help=f"refuse an archive or compressed log that expands past N MiB "
        f"(default {MAX_UNPACKED_MIB})",
    )
    classify.add_argument(
        "--baseline",
        type=Path,
        metavar="GREEN.log",
        help="the log of a passing run of the same job: lines it printed too are noise",
    )
    common(classify)

    evaluate = commands.add_parser("eval", help="measure the rules on a labelled set (JSON Lines)")
    evaluate.add_argument("labels", type=Path, metavar="LABELS.jsonl")
    evaluate.add_argument("--root", type=Path, help="folder the label paths are relative to")
    evaluate.add_argument(
        "--json", action="store_true", help="print the figures as one JSON object"
    )
    evaluate.add_argument(
        "--misses", action="store_true", help="also list every log whose verdict was wrong"
    )
    evaluate.add_argument(
        "--no-baselines",
        action="store_true",
        help="ignore the labels' baseline logs (to measure what they add)",
    )
    common(evaluate)

    report = commands.add_parser(
        "report", help="CI health over time: a trends report from a repository's runs"
    )
    report.add_argument("--repo", required=True, metavar="OWNER/NAME")
    report.add_argument(
        "--days", type=_positive_int, default=30, metavar="N", help="the window (default 30)"
    )
    report.add_argument(
        "--format",
        choices=["markdown", "json", "csv", "html"],
        default="markdown",
        help="output format (html: one self-contained page)",
    )
    report.add_argument("--output", type=Path, metavar="FILE", help="write here, not to stdout")
    report.add_argument(
        "--token-env",
        default="GITHUB_TOKEN",
        metavar="NAME",
        help="the environment variable holding the token (default GITHUB_TOKEN)",
    )
    report.add_argument(
        "--max-requests",
        type=_positive_int,
        default=1000,
        metavar="N",
        help="stop reading at N API requests and say what was left out (default 1000)",
    )
    report.add_argument(
        "--labels",
        default="ci-failure",
        help="labels of the action's failure issues (default ci-failure)",
    )
    common(report)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        pack = load_pack(args.rules)
    except RulesError as exc:
        print(f"healer: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    classifier = Classifier(
        pack.rules,
        max_excerpt_lines=args.max_excerpt_lines,
        engine=args.engine,
        commands=pack.commands,
    )

    if args.command == "classify":
        return _classify(args, classifier)

    if args.command == "report":
        from healer.cli.report import run_report

        return run_report(args, classifier)

    from healer.classifier.evaluate import LabelsError, evaluate, render_report

    try:
        report = evaluate(classifier, args.labels, args.root, not args.no_baselines)
    except LabelsError as exc:
        print(f"healer: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
    else:
        render_report(report, sys.stdout, show_misses=args.misses)
    return EXIT_OK


def _classify(args: argparse.Namespace, classifier: Classifier) -> int:
    """Every input, in order; an input that cannot be read costs one line on stderr
    and the others are still classified."""
    import tempfile

    arguments = list(args.paths)
    if not arguments:
        if sys.stdin is None or sys.stdin.isatty():
            print(
                "healer classify: error: give a log (a file, a folder, an archive or a run's "
                "URL), or pipe one in (… | healer classify -)",
                file=sys.stderr,
            )
            return EXIT_USAGE
        arguments = [inputs.STDIN]
    if arguments.count(inputs.STDIN) > 1:
        print("healer classify: error: - (standard input) can be read once", file=sys.stderr)
        return EXIT_USAGE
    baseline = None
    if args.baseline is not None:
        try:
            baseline = Baseline.from_path(args.baseline)
        except OSError as exc:
            print(
                f"healer: error: {args.baseline}: cannot read the baseline log: "
                f"{exc.strerror or exc}",
                file=sys.stderr,
            )
            return EXIT_USAGE
    people = args.format != "json" and for_people(sys.stderr)
    style = Style(args.format == "text" and for_people(sys.stdout))
    limits = Limits(max_unpacked=args.max_unpacked_mib << 20)
    results: list[Result] = []

    def show(result: Result, context: object | None = None) -> None:
        results.append(result)
        if args.format == "json":
            render_json(result, sys.stdout, args.explain)
        elif args.format == "markdown":
            sys.stdout.write(printable(_markdown(result, context)))
        else:
            render_text(result, sys.stdout, style, args.explain)
        sys.stdout.flush()

    def failed(name: str, message: str) -> None:
        print(f"healer: error: {printable(message)}", file=sys.stderr)
        # The message names the input and says what is wrong: it is the error as is.
        result = dataclasses.replace(unreadable(name, ""), error=message)
        results.append(result)
        if args.format == "json":
            render_json(result, sys.stdout, args.explain)
            sys.stdout.flush()

    with tempfile.TemporaryDirectory(prefix="healer-") as scratch:
        folder = Path(scratch)
        for argument in arguments:
            try:
                url = remote.parse(argument)
                if url is not None:
                    for job in remote.classify_run(url, classifier, folder):
                        show(job.result, job.context)
                    continue
                for log in inputs.logs(argument, folder, limits):
                    progress = (
                        ProgressLine(sys.stderr, log.name, log.size)
                        if people and (log.size is None or log.size >= PROGRESS_MIN_BYTES)
                        else None
                    )
                    try:
                        result = _one(classifier, log, baseline, progress)
                    except InputError as exc:
                        failed(log.name, str(exc))
                        continue
                    finally:
                        if progress is not None:
                            progress.clear()
                    show(result)
            except InputError as exc:
                failed(argument, str(exc))
    return _gate(args.fail_on, results)


def _one(
    classifier: Classifier,
    log: inputs.Log,
    baseline: Baseline | None,
    progress: ProgressLine | None,
) -> Result:
    from typing import BinaryIO, cast

    if log.path is not None:
        result = classifier.classify_path(log.path, baseline, progress)
        if result.error is not None:
            raise InputError(f"{log.name}: {result.error}")
    else:
        assert log.stream is not None
        stream = log.stream if progress is None else Counting(log.stream, progress)
        result = classifier.classify_stream(cast(BinaryIO, stream), log.name, baseline)
    return dataclasses.replace(result, path=log.name, step=result.step or log.failed_step)


def _markdown(result: Result, context: object | None) -> str:
    from datetime import UTC, datetime

    from healer.github.fetch import base_name
    from healer.github.render import Marker, RunContext, issue_body, log_body

    if isinstance(context, RunContext):
        now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        marker = Marker(context.workflow, base_name(context.job_name), result.fingerprint)
        return issue_body(context, result, marker, "", now) + "\n"
    return log_body(result)


def _gate(fail_on: str, results: list[Result]) -> int:
    """The exit code `--fail-on` asks for."""
    if fail_on == "persistent" and any(r.kind is Kind.PERSISTENT for r in results):
        return EXIT_GATE
    if fail_on == "any" and any(r.error is not None or r.kind is not Kind.UNKNOWN for r in results):
        return EXIT_GATE
    return EXIT_OK
