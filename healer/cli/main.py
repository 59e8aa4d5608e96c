"""`healer`: classify CI logs on your own machine, measure rules on labelled logs, and
report a repository's CI health over time.

PyGithub is imported only by `healer report`: `classify` starts in well under a second
because it only loads the classifier.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from healer import __version__
from healer.classifier.baseline import Baseline
from healer.classifier.classify import Classifier, Result
from healer.classifier.rule import RulesError
from healer.classifier.rulepack import load_pack

EXIT_OK = 0
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

    classify = commands.add_parser("classify", help="classify one or more log files")
    classify.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    classify.add_argument(
        "--format", choices=["text", "json"], default="text", help="text report or JSON Lines"
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


def render_text(result: Result, out: TextIO) -> None:
    out.write(f"{result.path}\n")
    if result.error:
        out.write(f"  error: {result.error}\n\n")
        return
    out.write(
        f"  verdict:     {result.kind.value} ({result.category}), confidence {result.confidence:.2f}\n"
    )
    if result.rule:
        out.write(f"  rule:        {result.rule}: {result.explanation}\n")
    if result.step:
        out.write(f"  failed step: {result.step}\n")
    if result.command:
        out.write(f"  command:     {result.command}\n")
    out.write(f"  fingerprint: {result.fingerprint}\n")
    if result.excerpt:
        width = len(str(result.excerpt_lines[-1]))
        out.write("  excerpt:\n")
        for line, text in zip(result.excerpt_lines, result.excerpt, strict=True):
            out.write(f"    {line:>{width}} | {text}\n")
    out.write("\n")


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
        for path in args.paths:
            result = classifier.classify_path(path, baseline)
            if args.format == "json":
                sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
            else:
                render_text(result, sys.stdout)
            sys.stdout.flush()
        return EXIT_OK

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
