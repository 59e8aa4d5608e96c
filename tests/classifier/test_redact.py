"""No credential in a log reaches an issue, a summary or the action's log."""

from __future__ import annotations

import pytest

from healer.classifier.redact import MARK, redact_lines


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        (
            "git clone https://x-access-token:ghs_" + "a" * 36 + "@github.com/o/r",
            "git clone https://x-access-token:",
        ),
        ("export GH=ghp_" + "B" * 36, "export GH="),
        ("token github_pat_" + "c" * 40, "token "),
        ("aws: AKIAIOSFODNN7EXAMPLE used", "aws: "),
        ("SLACK=xoxb-1234567890-abcdefghij", "SLACK="),
        ("post https://hooks.slack.com/services/T000/B000/XXXX", "post "),
        (
            "Authorization: Bearer eyJhbGciOiJIUzI1.eyJzdWIiOiIxMjM0.SflKxwRJSMeKKF2QT4",
            "Authorization: Bearer ",
        ),
        ("DB_PASSWORD=hunter22 next", "DB_PASSWORD="),
        ('api_key: "sk-live-123"', "api_key: "),
        ("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG", "aws_secret_access_key = "),
    ],
)
def test_known_credential_shapes_are_redacted(line: str, kept: str) -> None:
    (out,) = redact_lines([line])
    assert MARK in out
    assert out.startswith(kept)
    assert line.split(kept, 1)[1][:6] not in out.replace(MARK, "")


def test_given_secrets_are_redacted_wherever_they_appear() -> None:
    out = redact_lines(["echo my-s3cret-value!", "x"], secrets=["my-s3cret-value", ""])
    assert out == [f"echo {MARK}!", "x"]


def test_a_private_key_block_is_dropped_whole() -> None:
    lines = [
        "before",
        "-----BEGIN OPENSSH PRIVATE KEY-----",
        "b3BlbnNzaC1rZXktdjEAAAAA",
        "-----END OPENSSH PRIVATE KEY-----",
        "after",
    ]
    assert redact_lines(lines) == ["before", f"{MARK} (private key)", "after"]


def test_ordinary_lines_are_left_alone() -> None:
    lines = [
        "FAILED tests/test_auth.py::test_token_refresh - assert 401 == 200",
        "E   AssertionError: password mismatch",
        "tokenizer: 12 tokens",
    ]
    assert redact_lines(lines) == lines
