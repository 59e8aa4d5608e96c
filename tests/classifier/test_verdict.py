"""How evidence is weighed into a verdict, as a user reading the report would see it."""

from __future__ import annotations

from healer.classifier.rule import Kind
from tests.classifier.helpers import TEST_RULES, classify_bytes, gha_log, rule


def test_a_failed_assertion_outweighs_a_line_that_mentions_connection_refused() -> None:
    result = classify_bytes(
        gha_log(
            "##[group]Run pytest",
            "WARNING: retrying: Connection refused",
            "FAILED tests/test_api.py::test_retry - AssertionError: 3 != 2",
            "##[error]Process completed with exit code 1.",
        )
    )
    assert (result.kind, result.category, result.rule) == (Kind.PERSISTENT, "test", "t-pytest")


def test_a_test_named_like_a_timeout_is_still_a_test_failure() -> None:
    result = classify_bytes(
        gha_log(
            "##[group]Run pytest",
            "FAILED tests/test_net.py::test_request_timed_out_after_5_minutes - assert False",
            "##[error]Process completed with exit code 1.",
        )
    )
    assert result.kind is Kind.PERSISTENT


def test_a_transient_error_in_the_failing_step_beats_old_noise_elsewhere() -> None:
    result = classify_bytes(
        gha_log(
            "##[group]Run make lint",
            "E   AssertionError: this is an old, printed example, not a failure",
            *["lint ok"] * 500,
            "##[endgroup]",
            "##[group]Run ./deploy.sh",
            "curl: (7) Failed to connect to registry.example.test port 443: Connection refused",
            "##[error]Process completed with exit code 7.",
        )
    )
    assert (result.kind, result.category) == (Kind.TRANSIENT, "network")
    assert result.step == "Run ./deploy.sh"
    assert "Connection refused" in result.excerpt[-1]


def test_a_lost_runner_decides_even_with_test_failures_around() -> None:
    result = classify_bytes(
        gha_log(
            "##[group]Run pytest",
            "FAILED tests/test_a.py::test_one - assert 1 == 2",
            "##[error]The runner has lost communication with the server.",
        )
    )
    assert (result.kind, result.category) == (Kind.TRANSIENT, "infrastructure")


def test_nothing_that_explains_the_failure_gives_unknown() -> None:
    result = classify_bytes(
        gha_log(
            "##[group]Run ./build.sh",
            "building part 1",
            "building part 2",
            "##[error]Process completed with exit code 2.",
        )
    )
    assert (result.kind, result.category, result.rule) == (Kind.UNKNOWN, "unknown", None)
    assert result.confidence == 0.0
    # The lines leading up to the exit line, never the generic exit line alone.
    assert result.excerpt == ["building part 1", "building part 2"]


def test_confidence_is_higher_for_clear_evidence_than_for_mixed_evidence() -> None:
    clear = classify_bytes(
        gha_log("FAILED tests/a.py::t - x", "##[error]Process completed with exit code 1.")
    )
    mixed = classify_bytes(
        gha_log(
            "ECONNREFUSED",
            "FAILED tests/a.py::t - x",
            "##[error]Process completed with exit code 1.",
        )
    )
    assert clear.kind is mixed.kind is Kind.PERSISTENT
    assert 0 < mixed.confidence < clear.confidence <= 1


def test_travis_exit_line_sets_the_failing_region() -> None:
    data = b"".join(
        [
            b"$ pip install -r requirements.txt\r\n",
            b"ECONNREFUSED while fetching an optional mirror\r\n",
            *[b"Collecting something\r\n"] * 600,
            b"$ pytest\r\n",
            b"E   AssertionError: expected 3\r\n",
            b'The command "pytest" exited with 1.\r\n',
            b"Done. Your build exited with 1.\r\n",
        ]
    )
    result = classify_bytes(data)
    assert (result.kind, result.category) == (Kind.PERSISTENT, "assertion")
    assert result.excerpt_lines[-1] <= 605


FALLBACK = rule(
    "t-exit",
    "persistent",
    "unknown",
    r"Process completed with exit code [1-9]",
    weight=0.7,
    fallback=True,
)


def test_a_fallback_rule_speaks_only_when_nothing_specific_matched() -> None:
    bare = classify_bytes(
        gha_log("##[group]Run ./build.sh", "step", "##[error]Process completed with exit code 2."),
        [*TEST_RULES, FALLBACK],
    )
    assert (bare.kind, bare.category, bare.rule) == (Kind.PERSISTENT, "unknown", "t-exit")
    assert 0 < bare.confidence < 0.5

    specific = classify_bytes(
        gha_log(
            "FAILED tests/a.py::t - x",
            *["noise"] * 100,
            "##[group]Run ./build.sh",
            "##[error]Process completed with exit code 2.",
        ),
        [*TEST_RULES, FALLBACK],
    )
    # The fallback would score higher here (it sits on the exit line), yet the
    # specific rule, even far from the failing step, decides.
    assert (specific.kind, specific.rule) == (Kind.PERSISTENT, "t-pytest")


def test_shipped_rules_call_a_job_timeout_transient() -> None:
    from healer.classifier.rulepack import default_rules

    result = classify_bytes(
        gha_log(
            "##[group]Run pytest -q",
            "tests/test_big.py::test_slow PASSED",
            "##[error]The job running on runner GitHub Actions 3 has exceeded the maximum "
            "execution time of 30 minutes.",
            "##[error]The operation was canceled.",
        ),
        default_rules(),
    )
    assert (result.kind, result.category, result.rule) == (
        Kind.TRANSIENT,
        "timeout",
        "timeout-gha-job",
    )
