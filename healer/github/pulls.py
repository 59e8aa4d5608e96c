"""The one comment the action keeps on a pull request: found by its hidden marker and
edited in place, so a pull request's failures never open issues on the default branch's
tracker and the conversation gets one comment, not one per run."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from github.Repository import Repository

STICKY_MARKER = "<!-- self-healing:pull-request -->"


def upsert_sticky(repo: Repository, number: int, text: str, create: bool = True) -> str | None:
    """Put `text` (its marker added) in the pull request's sticky comment: edit the
    existing one, else create it when `create`. The comment's URL, if there is one."""
    body = f"{STICKY_MARKER}\n{text}"
    pull = repo.get_issue(number)
    for comment in pull.get_comments():
        if STICKY_MARKER in (comment.body or ""):
            if comment.body != body:
                comment.edit(body)
            return str(comment.html_url)
    if not create:
        return None
    return str(pull.create_comment(body).html_url)
