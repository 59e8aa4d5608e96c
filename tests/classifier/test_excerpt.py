"""What the excerpt shows a person: the lines that failed the job, not old noise."""

from __future__ import annotations

from tests.classifier.helpers import TEST_RULES, classify_bytes, gha_log, rule


def plain_log(*lines: str) -> bytes:
    """A log with no CI's timestamps: Travis, GitLab, Jenkins or a pasted excerpt."""
    return "\n".join(lines).encode()


RULES = [
    *TEST_RULES,
    rule("t-404", "persistent", "dependency", r"^curl: \(22\) .* 404", weight=2.5),
    rule("t-missing", "persistent", "config", r": command not found$", weight=1.5),
]


def test_a_strong_line_long_before_the_failing_region_does_not_crowd_out_the_cause() -> None:
    log = plain_log(
        "curl: (22) The requested URL returned error: 404",
        *[f"case {n} ok" for n in range(1, 40)],
        *["progress"] * 600,
        "bash: frobnicate: command not found",
        *[f"detail {n}" for n in range(1, 60)],
        'The command "test/run" exited with 1.',
    )
    result = classify_bytes(log, RULES)
    assert result.rule == "t-missing"
    assert "bash: frobnicate: command not found" in result.excerpt
    # The download 404 is evidence of the same kind, but far outside the failing
    # region: its line may be shown, its following lines are not.
    assert "case 5 ok" not in result.excerpt


def test_room_left_shows_what_led_up_to_the_cause_within_its_step() -> None:
    """A report's heading sits a few lines above the line that decides: with room to
    spare it is shown, nearest lines first, never the step before."""
    log = gha_log(
        "##[group]Run ./build.sh",
        "earlier step output",
        "##[endgroup]",
        "##[group]Run ./verify-docs.sh",
        "##[endgroup]",
        "Undocumented declarations:",
        "{",
        '  "file": "Sources/Error.swift",',
        '  "line": 37,',
        '  "symbol": "Error.Code",',
        "bash: jazzy-check: command not found",
        "##[error]Process completed with exit code 127.",
    )
    result = classify_bytes(log, RULES)
    assert result.rule == "t-missing"
    assert result.excerpt[:5] == [
        "Undocumented declarations:",
        "{",
        '  "file": "Sources/Error.swift",',
        '  "line": 37,',
        '  "symbol": "Error.Code",',
    ]
    assert "earlier step output" not in result.excerpt
    # With no room, the deciding line comes first.
    tight = classify_bytes(log, RULES, max_excerpt_lines=1)
    assert tight.excerpt == ["bash: jazzy-check: command not found"]


def test_a_retry_printing_the_same_errors_again_does_not_crowd_out_what_follows() -> None:
    """A tool that retries prints the same errors each time; shown once, they leave
    room for the lines after them that say how the step ended."""
    attempt = [
        "curl: (22) The requested URL returned error: 404 for https://example.test/pkg-1.0.tgz",
        *[f"  while resolving dependency number {n} of the project" for n in range(1, 6)],
        "retrying...",
    ]
    log = gha_log(
        "##[group]Run ./fetch-deps.sh",
        "##[endgroup]",
        *attempt * 4,
        "giving up: the package index has no pkg-1.0 for this platform",
        "##[error]Process completed with exit code 1.",
    )
    result = classify_bytes(log, RULES, max_excerpt_lines=12)
    assert result.rule == "t-404"
    assert result.excerpt.count(attempt[0]) == 1
    assert result.excerpt.count(attempt[1]) == 1
    assert "giving up: the package index has no pkg-1.0 for this platform" in result.excerpt
    assert "retrying..." in result.excerpt


def test_the_line_that_ended_the_step_is_shown_even_when_room_is_short() -> None:
    """Travis, GitLab and Jenkins name the failing command in their exit line."""
    log = plain_log(
        "$ ./ci/fetch.sh",
        "curl: (22) The requested URL returned error: 404 for https://example.test/a.tgz",
        *[f"unpacking part {n} of the archive" for n in range(1, 60)],
        'The command "./ci/fetch.sh" exited with 22.',
    )
    result = classify_bytes(log, RULES, max_excerpt_lines=5)
    assert result.rule == "t-404"
    assert any(line.startswith("curl: (22)") for line in result.excerpt)
    assert 'The command "./ci/fetch.sh" exited with 22.' in result.excerpt


def test_other_evidence_comes_with_the_heading_above_it() -> None:
    """A compiler prints where the error is before what it is."""
    log = plain_log(
        "$ ./build.sh",
        "Error found:",
        "in module Main",
        "at src/Main.purs:6:1 - 6:28",
        "bash: purs-tidy: command not found",
        *[f"compiling module {n}" for n in range(1, 40)],
        "curl: (22) The requested URL returned error: 404 for https://example.test/a.tgz",
        'The command "./build.sh" exited with 1.',
    )
    result = classify_bytes(log, RULES)
    assert result.rule == "t-404"
    assert "bash: purs-tidy: command not found" in result.excerpt
    assert "at src/Main.purs:6:1 - 6:28" in result.excerpt
    assert "Error found:" in result.excerpt


def test_the_last_error_before_the_failure_is_shown_when_an_earlier_report_decides() -> None:
    rules = [*RULES, rule("t-socket", "transient", "network", r"^socket failure:", weight=5)]
    log = plain_log(
        "$ ./upload.sh",
        "socket failure: the upload stream broke",
        *[f'  File "upload.py", line {n}, in send' for n in range(1, 60)],
        "ConnectionRefusedError: [Errno 111] Connection refused",
        'The command "./upload.sh" exited with 1.',
    )
    result = classify_bytes(log, rules, max_excerpt_lines=12)
    assert result.rule == "t-socket"
    assert "ConnectionRefusedError: [Errno 111] Connection refused" in result.excerpt
