"""The tool zoo (eval/zoo): real output of real tools, labelled by construction, holds
the figures issue 10 asks of it; regenerate it with `sudo python3 eval/zoo/generate.py`."""

from __future__ import annotations

import json
from pathlib import Path

from healer.classifier.classify import Classifier
from healer.classifier.evaluate import evaluate
from healer.classifier.rulepack import default_pack

ZOO = Path(__file__).resolve().parents[2] / "eval" / "zoo"


def test_every_label_names_a_log_of_the_zoo_and_every_log_is_labelled() -> None:
    labels = [json.loads(line) for line in (ZOO / "labels.jsonl").read_text().splitlines()]
    named = {label["path"] for label in labels} | {
        label["baseline"] for label in labels if "baseline" in label
    }
    on_disk = {f"{p.parent.name}/{p.name}" for p in ZOO.glob("*/*.log")}
    assert named == on_disk
    assert sum("baseline" in label for label in labels) >= 20
    assert {label["ci"] for label in labels} == {
        "github_actions",
        "pasted",
        "travis",
        "gitlab",
        "jenkins",
    }
    tools = json.loads((ZOO / "tools.json").read_text())
    assert {label["tool"] for label in labels} <= set(tools)


def test_the_zoo_is_classified_as_its_faults_were_made() -> None:
    pack = default_pack()
    report = evaluate(Classifier(pack.rules, commands=pack.commands), ZOO / "labels.jsonl")
    confusion = report.confusion()
    assert confusion[("persistent", "transient")] == 0  # never silent on a real failure
    assert report.precision_recall("transient")[1] >= 0.95
    assert report.precision_recall("persistent")[1] >= 0.95
    assert report.category_accuracy()[0] >= 0.95
    assert report.excerpt_coverage()[0] >= 0.9
    confident = next(row for row in report.calibration() if row["bin"] == "0.9-1.0")
    assert confident["verdicts"] > 0
    assert confident["right"] >= 0.9  # a confidence of 0.9 or more means right 9 times in 10
