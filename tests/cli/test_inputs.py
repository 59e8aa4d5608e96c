"""Logs in the shapes people meet them: a pipe, `gh` output, .gz/.zst, GitHub's run
log archive, a folder; and archives that must be refused."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from pathlib import Path

import pytest
import zstandard

from healer.cli.archive import InputError, Limits, checked_zip
from tests.cli.helpers import NPM_LOG, PYTEST_LOG, classify, healer, of_file, verdict


def gh_lines(job: str, step: str, log: Path) -> bytes:
    """A job's log as `gh run view --log-failed` prints it."""
    return b"".join(
        f"{job}\t{step}\t".encode() + line for line in log.read_bytes().splitlines(True)
    )


def test_stdin_gives_the_same_verdict_as_the_file(capsys: pytest.CaptureFixture[str]) -> None:
    expected = of_file(capsys, PYTEST_LOG)
    for argv in (["-"], []):  # `-`, or no input at all with a pipe
        done = healer("classify", "--format", "json", *argv, stdin=PYTEST_LOG.read_bytes())
        assert done.returncode == 0, done.stderr
        (row,) = [json.loads(line) for line in done.stdout.splitlines()]
        assert row["path"] == "-"
        assert verdict(row) == expected


def test_gh_log_failed_of_two_jobs_gives_each_jobs_verdict(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    stream = gh_lines("test (3.12)", "Run pytest", PYTEST_LOG) + gh_lines(
        "build", "Install", NPM_LOG
    )
    expected = [of_file(capsys, PYTEST_LOG), of_file(capsys, NPM_LOG)]

    done = healer("classify", "--format", "json", "-", stdin=stream)
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [row["path"] for row in rows] == ["test (3.12)", "build"]
    assert [verdict(row) for row in rows] == expected
    # --log-failed prints only the failed step: the log names it too.
    assert rows[0]["step"] == "Run pytest -q"

    saved = tmp_path / "run.log"
    saved.write_bytes(stream)
    rows = classify(capsys, str(saved)).rows
    assert [row["path"] for row in rows] == [f"{saved}:test (3.12)", f"{saved}:build"]
    assert [verdict(row) for row in rows] == expected


def test_gh_output_with_unknown_steps_still_splits_by_job(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    saved = tmp_path / "run.log"
    saved.write_bytes(gh_lines("build", "UNKNOWN STEP", NPM_LOG))
    (row,) = classify(capsys, str(saved)).rows
    assert row["path"] == f"{saved}:build"
    assert verdict(row) == of_file(capsys, NPM_LOG)


@pytest.mark.parametrize("suffix", [".gz", ".zst"])
def test_compressed_log_equals_the_plain_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, suffix: str
) -> None:
    data = PYTEST_LOG.read_bytes()
    packed = tmp_path / f"job{suffix}"
    packed.write_bytes(
        gzip.compress(data) if suffix == ".gz" else zstandard.ZstdCompressor().compress(data)
    )
    (row,) = classify(capsys, str(packed)).rows
    assert row["path"] == str(packed)
    assert verdict(row) == of_file(capsys, PYTEST_LOG)
    # Told by the content, not the name; and through a pipe too.
    renamed = tmp_path / "job.log"
    renamed.write_bytes(packed.read_bytes())
    assert verdict(classify(capsys, str(renamed)).rows[0]) == of_file(capsys, PYTEST_LOG)
    done = healer("classify", "--format", "json", "-", stdin=packed.read_bytes())
    assert verdict(json.loads(done.stdout)) == of_file(capsys, PYTEST_LOG)


def github_archive(path: Path) -> Path:
    """A zip laid out as GitHub's run log archive: `N_JOB.txt` at the top, and a
    folder per job with its step files."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("0_test (3.12).txt", PYTEST_LOG.read_bytes())
        archive.writestr("test (3.12)/1_Set up job.txt", b"2026-04-25T05:18:16.0Z setup\n")
        archive.writestr("test (3.12)/2_Run pytest.txt", PYTEST_LOG.read_bytes())
        archive.writestr("1_build.txt", NPM_LOG.read_bytes())
        archive.writestr("build/1_Install.txt", NPM_LOG.read_bytes())
        # A job with step files only: joined in step order.
        lines = PYTEST_LOG.read_bytes().splitlines(True)
        archive.writestr("lint/2_Second.txt", b"".join(lines[20:]))
        archive.writestr("lint/1_First.txt", b"".join(lines[:20]))
    return path


def test_github_run_log_archive_gives_one_result_per_job(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    archive = github_archive(tmp_path / "logs_123.zip")
    printed = classify(capsys, str(archive))
    assert printed.code == 0
    assert [row["path"] for row in printed.rows] == [
        f"{archive}:test (3.12)",
        f"{archive}:build",
        f"{archive}:lint",
    ]
    tests, build, lint = printed.rows
    assert verdict(tests) == of_file(capsys, PYTEST_LOG)
    assert verdict(build) == of_file(capsys, NPM_LOG)
    assert verdict(lint) == of_file(capsys, PYTEST_LOG)  # the steps joined in order


def test_a_folder_is_read_like_the_archive(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with zipfile.ZipFile(github_archive(tmp_path / "logs.zip")) as archive:
        archive.extractall(tmp_path / "logs")
    rows = classify(capsys, str(tmp_path / "logs")).rows
    assert [row["path"].rsplit(":", 1)[1] for row in rows] == ["test (3.12)", "build", "lint"]
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "b.log").write_bytes(NPM_LOG.read_bytes())
    (plain / "a.log").write_bytes(PYTEST_LOG.read_bytes())
    (plain / "c.log.gz").write_bytes(gzip.compress(PYTEST_LOG.read_bytes()))
    (plain / ".hidden").write_bytes(b"x")
    rows = classify(capsys, str(plain)).rows
    assert [(row["path"], row["kind"]) for row in rows] == [
        (f"{plain}:a.log", "persistent"),
        (f"{plain}:b.log", "transient"),
        (f"{plain}:c.log.gz", "persistent"),
    ]


def test_zip_bomb_is_refused_with_one_clear_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("0_test.txt", b"\0" * (3 << 20))  # 3 MiB in about 3 KiB
    printed = classify(capsys, "--max-unpacked-mib", "2", str(bomb), str(PYTEST_LOG))
    assert printed.code == 0  # the other input is still classified
    refused, tests = printed.rows
    assert refused["path"] == str(bomb)
    assert refused["kind"] == "unknown"
    assert tests["kind"] == "persistent"
    (line,) = printed.stderr.splitlines()
    assert line.startswith(f"healer: error: {bomb}: the archive expands to 3 MiB")
    assert "--max-unpacked-mib" in line


def test_gzip_bomb_stops_at_the_limit(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.log.gz"
    bomb.write_bytes(gzip.compress(b"\0" * (3 << 20)))
    printed = classify(capsys, "--max-unpacked-mib", "2", str(bomb))
    assert printed.rows[0]["kind"] == "unknown"
    assert "expands to more than 2 MiB" in printed.stderr


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/evil.txt", "a/../../evil.txt"])
def test_an_entry_that_escapes_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str
) -> None:
    archive = tmp_path / "escape.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("0_test.txt", PYTEST_LOG.read_bytes())
        out.writestr(name, b"x")
    printed = classify(capsys, str(archive))
    assert len(printed.rows) == 1
    assert "error" in printed.rows[0]
    assert f"entry {name!r} would be written outside its folder" in printed.stderr


def test_too_many_entries_are_refused(tmp_path: Path) -> None:
    archive = tmp_path / "many.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for i in range(5):
            out.writestr(f"{i}.log", b"x")
    with zipfile.ZipFile(archive) as opened, pytest.raises(InputError, match="5 entries"):
        checked_zip(archive, opened, Limits(max_entries=4))


def test_corrupt_or_unreadable_inputs_cost_one_line_each(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    corrupt_zip = tmp_path / "cut.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("0_test.txt", PYTEST_LOG.read_bytes() * 50)
    corrupt_zip.write_bytes(buffer.getvalue()[:400])  # cut short: no central directory
    corrupt_gz = tmp_path / "cut.log.gz"
    corrupt_gz.write_bytes(gzip.compress(PYTEST_LOG.read_bytes())[:-30])
    missing = tmp_path / "missing.log"
    printed = classify(capsys, str(corrupt_zip), str(corrupt_gz), str(missing), str(NPM_LOG))
    assert printed.code == 0
    assert [row["kind"] for row in printed.rows] == ["unknown", "unknown", "unknown", "transient"]
    lines = printed.stderr.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith(f"healer: error: {corrupt_zip}: not a readable zip archive")
    assert lines[1].startswith(f"healer: error: {corrupt_gz}: the compressed data is corrupt")
    assert lines[2] == f"healer: error: {missing}: cannot read the log: No such file or directory"


def test_a_piped_zip_that_holds_a_zip_reads_both(capsys: pytest.CaptureFixture[str]) -> None:
    """Each zip read from a pipe is kept on disk in a file of its own: the inner one
    does not overwrite the outer while it is still being read."""
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as out:
        out.writestr("0_test.txt", PYTEST_LOG.read_bytes())
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w") as out:
        out.writestr("a.zip", inner.getvalue())
        out.writestr("b.log", NPM_LOG.read_bytes())
    done = healer("classify", "--format", "json", "-", stdin=outer.getvalue())
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert done.stderr == b""
    assert [row["path"] for row in rows] == ["-:a.zip:test", "-:b.log"]
    assert verdict(rows[0]) == of_file(capsys, PYTEST_LOG)
    assert verdict(rows[1]) == of_file(capsys, NPM_LOG)
