"""`healer eval`: measure the rules on a labelled set of logs.

The labels are JSON Lines with `path`, `kind`, `category` and optionally `chunk`
(the lines that explain the failure), `confidence`, `baseline` (the log of a
passing run of the same job), and fields that group the logs (`ecosystem`,
`tool`, `language`, `ci`). Dataset categories map to the
classifier's vocabulary as below; a prediction counts as right when it is one of
the accepted categories.

Besides precision and recall per kind, the report breaks the figures down by
labelled category and by each grouping field the set names, and shows how often
a verdict of a given confidence was right (calibration).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from healer.classifier.baseline import Baseline
from healer.classifier.classify import Classifier, Result
from healer.classifier.logtext import CUT_MARK, clean_line

ACCEPTED: dict[str, frozenset[str]] = {
    "test": frozenset({"test", "assertion"}),
    "lint": frozenset({"lint"}),
    "format": frozenset({"format"}),
    "compile": frozenset({"compile", "type_error", "syntax_error"}),
    "type": frozenset({"type_error", "compile"}),
    "syntax": frozenset({"syntax_error", "compile"}),
    "import": frozenset({"import_error", "dependency", "compile"}),
    "dependency": frozenset({"dependency", "import_error"}),
    "config": frozenset({"config"}),
    "crash": frozenset({"crash"}),
    "network": frozenset({"network"}),
    "service_unavailable": frozenset({"service_unavailable", "network"}),
    "rate_limit": frozenset({"rate_limit"}),
    "timeout": frozenset({"timeout"}),
    "infra": frozenset({"infrastructure"}),
    "disk": frozenset({"infrastructure"}),
    "oom": frozenset({"infrastructure"}),
}
# Also accepted when the labels already use the classifier's own names.
for _name in [
    "assertion",
    "type_error",
    "syntax_error",
    "import_error",
    "infrastructure",
    "service_unavailable",
]:
    ACCEPTED.setdefault(_name, frozenset({_name}))

KINDS = ("transient", "persistent", "unknown")
COVERAGE_NEEDED = 0.5
GROUP_FIELDS = ("ecosystem", "tool", "language", "ci")
# Confidence bins for calibration: [low, high), the last one closed.
CONFIDENCE_BINS = ((0.0, 0.3), (0.3, 0.5), (0.5, 0.7), (0.7, 0.9), (0.9, 1.0))


class LabelsError(ValueError):
    pass


@dataclass(frozen=True)
class Case:
    label: dict[str, Any]
    result: Result
    category_scored: bool
    category_right: bool
    coverage: float | None

    @property
    def kind_right(self) -> bool:
        return bool(self.label["kind"] == self.result.kind.value)

    @property
    def right(self) -> bool:
        """The verdict as a whole: its kind, and its category where that is scored."""
        return self.kind_right and (self.category_right or not self.category_scored)


@dataclass
class Report:
    cases: list[Case] = field(default_factory=list)

    def confusion(self) -> Counter[tuple[str, str]]:
        return Counter((c.label["kind"], c.result.kind.value) for c in self.cases)

    def precision_recall(self, kind: str) -> tuple[float, float, int, int]:
        confusion = self.confusion()
        predicted = sum(n for (_, p), n in confusion.items() if p == kind)
        actual = sum(n for (t, _), n in confusion.items() if t == kind)
        right = confusion[(kind, kind)]
        precision = right / predicted if predicted else 1.0
        recall = right / actual if actual else 1.0
        return precision, recall, predicted, actual

    def category_accuracy(self) -> tuple[float, int]:
        scored = [c for c in self.cases if c.category_scored]
        right = sum(c.category_right for c in scored)
        return (right / len(scored) if scored else 1.0), len(scored)

    def excerpt_coverage(self) -> tuple[float, int]:
        """Share of logs with a chunk whose excerpt holds at least half the chunk's lines."""
        covered = [c.coverage for c in self.cases if c.coverage is not None]
        good = sum(1 for value in covered if value >= COVERAGE_NEEDED)
        return (good / len(covered) if covered else 1.0), len(covered)

    def categories(self) -> dict[str, dict[str, Any]]:
        """Per labelled category (scored cases): how many, how many right, and what
        the wrong ones were called."""
        table: dict[str, dict[str, Any]] = {}
        for case in self.cases:
            if not case.category_scored:
                continue
            row = table.setdefault(
                case.label["category"], {"scored": 0, "right": 0, "predicted": Counter()}
            )
            row["scored"] += 1
            row["right"] += case.category_right
            if not case.category_right:
                row["predicted"][case.result.category] += 1
        return {
            name: {
                "scored": row["scored"],
                "accuracy": round(row["right"] / row["scored"], 4),
                "wrong": dict(row["predicted"].most_common()),
            }
            for name, row in sorted(table.items())
        }

    def groups(self) -> dict[str, dict[str, dict[str, Any]]]:
        """For each grouping field the labels use: per value, the logs, the share whose
        kind is right, and category accuracy on the scored ones."""
        breakdown: dict[str, dict[str, dict[str, Any]]] = {}
        for name in GROUP_FIELDS:
            members: dict[str, list[Case]] = {}
            for case in self.cases:
                value = case.label.get(name)
                if isinstance(value, str) and value:
                    members.setdefault(value, []).append(case)
            if not members:
                continue
            rows = {}
            for value, cases in sorted(members.items()):
                scored = [c for c in cases if c.category_scored]
                rows[value] = {
                    "logs": len(cases),
                    "kind_right": round(sum(c.kind_right for c in cases) / len(cases), 4),
                    "category_scored": len(scored),
                    "category_accuracy": (
                        round(sum(c.category_right for c in scored) / len(scored), 4)
                        if scored
                        else None
                    ),
                }
            breakdown[name] = rows
        return breakdown

    def calibration(self) -> list[dict[str, Any]]:
        """Per confidence bin: the verdicts in it and the share that were right."""
        rows = []
        for low, high in CONFIDENCE_BINS:
            last = high == CONFIDENCE_BINS[-1][1]
            cases = [
                c
                for c in self.cases
                if low <= c.result.confidence < high or (last and c.result.confidence == high)
            ]
            rows.append(
                {
                    "bin": f"{low:.1f}-{high:.1f}",
                    "verdicts": len(cases),
                    "right": round(sum(c.right for c in cases) / len(cases), 4) if cases else None,
                }
            )
        return rows

    def to_json(self) -> dict[str, Any]:
        accuracy, scored = self.category_accuracy()
        coverage, with_chunk = self.excerpt_coverage()
        per_kind = {}
        for kind in KINDS:
            precision, recall, predicted, actual = self.precision_recall(kind)
            per_kind[kind] = {
                "precision": round(precision, 4),
                "recall": round(recall, 4),
                "predicted": predicted,
                "labelled": actual,
            }
        return {
            "logs": len(self.cases),
            "kinds": per_kind,
            "category_accuracy": round(accuracy, 4),
            "category_scored": scored,
            "excerpt_coverage": round(coverage, 4),
            "excerpt_scored": with_chunk,
            "confusion": {f"{t}->{p}": n for (t, p), n in sorted(self.confusion().items())},
            "categories": self.categories(),
            "groups": self.groups(),
            "calibration": self.calibration(),
        }


def _chunk_lines(chunk: str) -> list[str]:
    lines = [clean_line(line.encode("utf-8")) for line in chunk.replace("\r", "\n").split("\n")]
    return [line.removesuffix(CUT_MARK).strip() for line in lines if line.strip()]


def coverage(chunk: str, excerpt: list[str]) -> float | None:
    wanted = _chunk_lines(chunk)
    if not wanted:
        return None
    # A line longer than the classifier keeps is shown cut, with a marker (on both
    # sides, cut at different points when the chunk's line starts further in): the
    # part shown is the labelled line's.
    shown = [line.removesuffix(CUT_MARK).strip() for line in excerpt]
    shown_set = set(shown)

    def covered(line: str) -> bool:
        if line in shown_set:
            return True
        return any(line in s or (len(s) > 20 and s in line) for s in shown)

    return sum(1 for line in wanted if covered(line)) / len(wanted)


def _read_labels(path: Path) -> list[dict[str, Any]]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LabelsError(f"{path}: cannot read the labels: {exc.strerror}") from None
    labels = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            label = json.loads(line)
        except json.JSONDecodeError as exc:
            raise LabelsError(f"{path}:{number}: not JSON: {exc.msg}") from None
        missing = {"path", "kind", "category"} - set(label) if isinstance(label, dict) else {"all"}
        if missing:
            raise LabelsError(f"{path}:{number}: missing {', '.join(sorted(missing))}")
        if label["kind"] not in KINDS:
            raise LabelsError(f"{path}:{number}: kind must be one of {', '.join(KINDS)}")
        labels.append(label)
    return labels


def evaluate(
    classifier: Classifier,
    labels_path: Path,
    root: Path | None = None,
    use_baselines: bool = True,
) -> Report:
    """A label may name a `baseline`: the log of a passing run of the same job."""
    base = root if root is not None else labels_path.parent
    report = Report()
    for label in _read_labels(labels_path):
        baseline = None
        if use_baselines and isinstance(label.get("baseline"), str):
            try:
                baseline = Baseline.from_path(base / label["baseline"])
            except OSError as exc:
                raise LabelsError(f"{label['baseline']}: cannot read the baseline: {exc}") from None
        result = classifier.classify_path(base / label["path"], baseline)
        accepted = ACCEPTED.get(label["category"])
        scored = (
            accepted is not None
            and label["kind"] != "unknown"
            and label.get("confidence", "high") == "high"
        )
        right = bool(accepted and result.category in accepted)
        chunk = label.get("chunk") or ""
        report.cases.append(
            Case(label, result, scored, right, coverage(chunk, result.excerpt) if chunk else None)
        )
    return report


def render_report(report: Report, out: TextIO, show_misses: bool = False) -> None:
    data = report.to_json()
    out.write(f"logs: {data['logs']}\n\n")
    out.write(f"{'kind':<12}{'precision':>10}{'recall':>8}{'predicted':>11}{'labelled':>10}\n")
    for kind, row in data["kinds"].items():
        out.write(
            f"{kind:<12}{row['precision']:>10.3f}{row['recall']:>8.3f}"
            f"{row['predicted']:>11}{row['labelled']:>10}\n"
        )
    out.write(
        f"\ncategory accuracy (high-confidence labels): {data['category_accuracy']:.3f}"
        f" of {data['category_scored']}\n"
    )
    out.write(
        f"excerpt holds >= half the labelled chunk: {data['excerpt_coverage']:.3f}"
        f" of {data['excerpt_scored']}\n"
    )
    out.write("\nconfusion (labelled -> predicted):\n")
    for pair, count in data["confusion"].items():
        out.write(f"  {pair}: {count}\n")
    _render_categories(data["categories"], out)
    for name, rows in data["groups"].items():
        _render_group(name, rows, out)
    out.write("\ncalibration (confidence -> share of verdicts right):\n")
    for row in data["calibration"]:
        right = "-" if row["right"] is None else f"{row['right']:.3f}"
        out.write(f"  {row['bin']}: {right} of {row['verdicts']}\n")
    if show_misses:
        out.write("\nmisses:\n")
        for case in report.cases:
            kind_wrong = case.label["kind"] != case.result.kind.value
            category_wrong = case.category_scored and not case.category_right
            low_cover = case.coverage is not None and case.coverage < COVERAGE_NEEDED
            if kind_wrong or category_wrong or low_cover:
                flags = ",".join(
                    name
                    for name, on in (
                        ("kind", kind_wrong),
                        ("category", category_wrong),
                        ("excerpt", low_cover),
                    )
                    if on
                )
                out.write(
                    f"  [{flags}] {case.label['path']}: labelled {case.label['kind']}/"
                    f"{case.label['category']}, got {case.result.kind.value}/{case.result.category}"
                    f" ({case.result.rule}, {case.result.confidence:.2f})\n"
                )


def _render_categories(rows: dict[str, dict[str, Any]], out: TextIO) -> None:
    out.write("\ncategory (labelled)  accuracy  scored  called instead\n")
    for name, row in rows.items():
        wrong = ", ".join(f"{other} {n}" for other, n in row["wrong"].items())
        out.write(f"  {name:<19}{row['accuracy']:>8.3f}{row['scored']:>8}  {wrong}\n")


def _render_group(name: str, rows: dict[str, dict[str, Any]], out: TextIO) -> None:
    out.write(f"\n{'by ' + name:<22}{'logs':>6}{'kind right':>12}{'category':>10}\n")
    for value, row in rows.items():
        category = row["category_accuracy"]
        shown = "-" if category is None else f"{category:.3f}"
        out.write(f"  {value[:20]:<20}{row['logs']:>6}{row['kind_right']:>12.3f}{shown:>10}\n")
