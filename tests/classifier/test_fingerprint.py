from __future__ import annotations

from healer.classifier.fingerprint import fingerprint, normalise
from tests.classifier.helpers import classify_bytes, gha_log


def test_normalise_masks_what_varies_between_runs() -> None:
    line = (
        "FAILED tests/test_io.py::test_write - OSError: /tmp/pytest-of-runner/pytest-12/x.txt "
        "at 0x7f3a2b1c, id 3f2a9c1e-5b7d-4e2a-9f00-1234567890ab, took 12.5s on 2026-04-25T05:18:16Z"
    )
    assert normalise(line) == (
        "FAILED tests/test_io.py::test_write - OSError: <tmp> at <hex>, id <uuid>, took <dur> on <time>"
    )


def test_workspace_paths_of_different_runners_agree() -> None:
    linux = normalise("/home/runner/work/shop/shop/src/cart.py:41: AssertionError")
    windows = normalise("D:\\a\\shop\\shop\\src/cart.py:41: AssertionError")
    assert linux == windows == "<ws>/src/cart.py:<n>: AssertionError"


def test_same_broken_test_in_two_runs_has_one_fingerprint() -> None:
    def run(seconds: str, tmp: str) -> str:
        return classify_bytes(
            gha_log(
                "##[group]Run pytest",
                f"FAILED tests/test_cart.py::test_total - AssertionError: file {tmp} after {seconds}",
                "##[error]Process completed with exit code 1.",
            )
        ).fingerprint

    assert run("1.2s", "/tmp/abc/x") == run("3.9s", "/tmp/zzz/y")


def test_different_failures_have_different_fingerprints() -> None:
    def run(test: str) -> str:
        return classify_bytes(
            gha_log(
                f"FAILED tests/test_cart.py::{test} - assert",
                "##[error]Process completed with exit code 1.",
            )
        ).fingerprint

    assert run("test_total") != run("test_discount")


def test_fingerprint_ignores_order_and_repeats_of_lines() -> None:
    assert fingerprint("r", ["b", "a", "a"]) == fingerprint("r", ["a", "b"])
    assert fingerprint("r", ["a"]) != fingerprint("other-rule", ["a"])
    assert len(fingerprint("r", ["a"])) == 16
