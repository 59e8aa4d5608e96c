"""How evidence is weighed into a verdict, as a user reading the report would see it."""

from __future__ import annotations

from healer.classifier.rule import Kind
from healer.classifier.rulepack import default_pack
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


def _shipped(*lines: str) -> tuple[Kind, str, str | None]:
    from healer.classifier.rulepack import default_rules

    result = classify_bytes(gha_log(*lines), default_rules())
    return result.kind, result.category, result.rule


APT_IGNORED = [
    "Ign:1 http://archive.example.test/ubuntu jammy InRelease",
    "Err:2 http://archive.example.test/ubuntu jammy-updates InRelease",
    "  Temporary failure resolving 'archive.example.test'",
    "W: Failed to fetch http://archive.example.test/ubuntu/dists/jammy-updates/InRelease  "
    "Temporary failure resolving 'archive.example.test'",
    "W: Some index files failed to download. They have been ignored, or old ones used instead.",
]
PIP_RETRY = (
    "WARNING: Retrying (Retry(total=4, connect=None, read=None, redirect=None, status=None)) "
    "after connection broken by 'ReadTimeoutError(\"HTTPSConnectionPool(host='pkgs.example.test', "
    "port=443): Read timed out. (read timeout=15)\")': /simple/requests/"
)


def test_fetches_the_step_shrugged_off_do_not_hide_a_later_failure() -> None:
    """apt ignored the index it could not fetch and the build went on: the failure at
    the end, which no rule names, is not a network blip."""
    verdict = _shipped(
        "##[group]Run ./ci/build.sh",
        *APT_IGNORED,
        *[f"building module {i}" for i in range(60)],
        "checker: 3 problems found in src/",
        "##[error]Process completed with exit code 1.",
    )
    assert verdict == (Kind.PERSISTENT, "unknown", "generic-command-failed")


def test_the_same_fetches_decide_when_they_end_the_step() -> None:
    verdict = _shipped(
        "##[group]Run sudo apt-get update",
        *APT_IGNORED[:3],
        "E: Failed to fetch http://archive.example.test/ubuntu/dists/jammy-updates/InRelease  "
        "Temporary failure resolving 'archive.example.test'",
        "##[error]Process completed with exit code 100.",
    )
    assert verdict[:2] == (Kind.TRANSIENT, "network")


def test_retries_decide_only_near_the_failure_point() -> None:
    far = _shipped(
        "##[group]Run ./ci/run.sh",
        PIP_RETRY,
        "Successfully installed requests-2.32.3",
        *[f"step {i}" for i in range(60)],
        "custom-checker: 2 errors",
        "##[error]Process completed with exit code 1.",
    )
    near = _shipped(
        "##[group]Run pip install requests",
        *[PIP_RETRY] * 5,
        "ERROR: Could not find a version that satisfies the requirement requests",
        "##[error]Process completed with exit code 1.",
    )
    assert far[0] is Kind.PERSISTENT
    assert near[:2] == (Kind.TRANSIENT, "network")


def test_the_end_of_a_log_cut_short_is_its_failure_point() -> None:
    """No exit line (a pasted excerpt, a log cut short): the last lines weigh most."""
    lines = [
        "E   AssertionError: expected 3",
        *[f"line {i}" for i in range(100)],
        "curl: (7) Failed to connect to db.example.test port 5432: Connection refused",
    ]
    assert classify_bytes("\n".join(lines).encode()).kind is Kind.TRANSIENT
    assert classify_bytes("\n".join(reversed(lines)).encode()).kind is Kind.PERSISTENT


def _travis(*commands: tuple[str, list[str], int]) -> bytes:
    lines: list[str] = []
    for command, output, code in commands:
        lines += [f"$ {command}", *output, f'The command "{command}" exited with {code}.']
    lines.append("Done. Your build exited with 1.")
    return "\r\n".join(lines).encode() + b"\r\n"


def test_a_later_command_that_failed_on_its_own_keeps_the_job_persistent() -> None:
    # Travis runs every script command even after one failed: the download blip
    # would pass on a rerun, the failing test would not.
    log = _travis(
        (
            "make deps",
            ["curl: (7) Failed to connect to deps.example.test port 443: Connection refused"],
            2,
        ),
        ("pytest", ["FAILED tests/test_cart.py::test_total - assert 1 == 2"], 1),
    )
    result = classify_bytes(log)
    assert (result.kind, result.category, result.rule) == (Kind.PERSISTENT, "test", "t-pytest")
    assert any("test_total" in line for line in result.excerpt)


def test_a_later_command_that_failed_without_a_cause_of_its_own_stays_transient() -> None:
    # A build that failed because the download before it did: the rerun fixes both.
    log = _travis(
        (
            "make deps",
            ["curl: (7) Failed to connect to deps.example.test port 443: Connection refused"],
            2,
        ),
        ("make", ["make: *** [all] Error 2"], 2),
    )
    result = classify_bytes(log)
    assert (result.kind, result.category) == (Kind.TRANSIENT, "network")


def _pasted(*lines: str) -> tuple[Kind, str, str | None, list[str]]:
    from healer.classifier.rulepack import default_rules

    result = classify_bytes("\n".join(lines).encode(), default_rules())
    return result.kind, result.category, result.rule, result.excerpt


def test_a_pasted_error_no_rule_names_is_persistent_with_low_confidence() -> None:
    from healer.classifier.rulepack import default_rules

    lines = ["Running house-checker on src/", "checked 14 files", "error: cart.py breaks rule H7"]
    kind, category, rule_id, excerpt = _pasted(*lines)
    assert (kind, category, rule_id) == (Kind.PERSISTENT, "unknown", "generic-error-line")
    assert "error: cart.py breaks rule H7" in excerpt
    assert classify_bytes("\n".join(lines).encode(), default_rules()).confidence < 0.5


def test_a_tools_closing_error_does_not_outvote_the_network_failure_before_it() -> None:
    kind, category, _, _ = _pasted(
        "npm ERR! code ECONNRESET",
        "npm ERR! network aborted",
        "npm ERR! network This is a problem related to network connectivity.",
        "Error: install failed",
    )
    assert (kind, category) == (Kind.TRANSIENT, "network")


def test_a_package_scripts_exit_line_ends_a_pasted_excerpt() -> None:
    """yarn, pnpm, npm, just, Gradle and BuildKit close a failed script with a line of
    their own: a pasted excerpt that ends so is a failure, not an unknown."""
    pack = default_pack()
    for closing in (
        "error Command failed with exit code 1.",
        " ELIFECYCLE  Command failed with exit code 2.",
        "BUILD FAILED in 12s",
    ):
        result = classify_bytes(
            f"  cart total: wrong sum for 3 items\n{closing}\n".encode(), pack.rules
        )
        assert (result.kind, result.rule) == (Kind.PERSISTENT, "generic-command-failed")


def test_a_tools_exit_line_inside_a_step_does_not_end_the_failing_region() -> None:
    """A hook runner goes on after one of its linters failed; the step's own exit line
    still marks the failure point."""
    log = b"\n".join(
        [
            b"$ npx lefthook run lints",
            *[b"downloading fixture %d" % n for n in range(50)],
            b"error Command failed with exit code 1.",
            *[b"lefthook: running hook %d" % n for n in range(60)],
            b"FAILED tests/test_cart.py::test_total - assert 1 == 2",
            b'The command "npx lefthook run lints" exited with 1.',
        ]
    )
    result = classify_bytes(log)
    assert (result.kind, result.rule) == (Kind.PERSISTENT, "t-pytest")
    assert result.confidence >= 0.9


def test_a_pasted_diff_alone_reads_as_a_format_check_with_low_confidence() -> None:
    pack = default_pack()
    pasted = b"src/cart.sh\n@@ -1,3 +1,3 @@\n-if [ $x ];then\n+if [ $x ]; then\n   echo hi\n"
    result = classify_bytes(pasted, pack.rules, commands=pack.commands)
    assert (result.kind, result.category, result.rule) == (
        Kind.PERSISTENT,
        "format",
        "generic-diff-hunk",
    )
    assert result.confidence <= 0.3
    # A test failure that shows a diff is still a test failure.
    failed = pasted + b"FAILED tests/test_cart.py::test_total - AssertionError\n"
    assert classify_bytes(failed, pack.rules, commands=pack.commands).category != "format"
