"""What the last green run adds: the zoo's failing/passing pairs, classified with and
without their passing log as the baseline, once with the full rule pack and once with
only the bare exit-line rule (as for a tool no rule knows).

    python eval/zoo/measure_baseline.py
"""

from __future__ import annotations

import json
from pathlib import Path

from healer.classifier.baseline import Baseline
from healer.classifier.classify import Classifier
from healer.classifier.evaluate import COVERAGE_NEEDED, coverage
from healer.classifier.rulepack import default_pack

ZOO = Path(__file__).resolve().parent


def main() -> None:
    pack = default_pack()
    bare = [rule for rule in pack.rules if rule.id == "generic-command-failed"]
    labels = [json.loads(line) for line in (ZOO / "labels.jsonl").read_text().splitlines()]
    pairs = [label for label in labels if label.get("baseline")]
    for name, rules in (("full pack", pack.rules), ("bare exit-line rule only", bare)):
        classifier = Classifier(rules, commands=pack.commands)
        for with_baseline in (False, True):
            covered = shown = 0
            for label in pairs:
                baseline = Baseline.from_path(ZOO / label["baseline"]) if with_baseline else None
                result = classifier.classify_path(ZOO / label["path"], baseline)
                share = coverage(label["chunk"], result.excerpt)
                covered += share is not None and share >= COVERAGE_NEEDED
                shown += len(result.excerpt)
            print(
                f"{name:<25} baseline {'yes' if with_baseline else 'no ':<3}  pairs {len(pairs)}"
                f"  excerpt holds >= half the chunk {covered / len(pairs):.3f}"
                f"  excerpt lines (mean) {shown / len(pairs):.1f}"
            )


if __name__ == "__main__":
    main()
