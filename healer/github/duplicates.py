"""Copies of the action that raced to create the same issue.

Matrix legs of one job, or several workflows, can fail at the same moment; each copy
then sees no tracking issue and creates one. After creating, a copy looks again. The
oldest open issue stays; each copy moves its own newer issue's report into an
occurrence comment on the oldest (once: a comment for the same job is never posted
twice) and closes it as a duplicate. The copy that owns the oldest issue closes the
newer ones too, in case their copy died; it does not move their reports, which their
own copies do (two copies moving one report at once could post it twice).

The occurrence count in the oldest body is then set from the occurrence comments, and
never lowered: copies that update it at the same moment cannot lose a count for good,
because each one sets it from everything posted so far.
"""

from __future__ import annotations

import random
import time
from typing import Any

from healer.github.issues import close_as_duplicate, occurrence_comment
from healer.github.render import (
    OCCURRENCE_MARKER,
    job_url_in,
    moved_body,
    recorded_occurrences,
    records_job,
    with_occurrences,
)
from healer.github.retries import RetryBudget, write_once

# Checks of the count after setting it: a copy that read the body just before another
# copy's update may write a smaller count after it; looking again repairs that. After an
# edit, a short random pause lets such a late write land before the next look.
COUNT_CHECKS = 5
SETTLE_PAUSE = (0.1, 0.4)  # seconds


def fold_into(duplicate: Any, oldest: Any, budget: RetryBudget) -> None:
    """Keep `duplicate`'s occurrence on `oldest` (once), then close `duplicate`."""
    duplicate.update()  # another copy may have closed it since this copy created it
    job_url = job_url_in(duplicate.body)

    def moved() -> Any:
        if job_url is None:
            return None
        if records_job(oldest.body, job_url):
            return oldest
        return occurrence_comment(oldest, job_url)

    if moved() is None:
        text = moved_body(duplicate.number, duplicate.body or "")
        write_once(
            budget,
            f"moving #{duplicate.number} to #{oldest.number}",
            lambda: oldest.create_comment(text),
            moved,
        )
    if duplicate.state == "open":
        close_as_duplicate(duplicate, oldest)


def recount(oldest: Any, now: str) -> None:
    """Set the body's occurrence count to one plus the occurrence comments, never lower."""
    for _ in range(COUNT_CHECKS):
        posted = sum(OCCURRENCE_MARKER in (c.body or "") for c in oldest.get_comments())
        oldest.update()  # the body as it is now, not as this copy first read it
        body = oldest.body or ""
        if recorded_occurrences(body) >= posted + 1:
            return
        oldest.edit(body=with_occurrences(body, posted + 1, now))
        time.sleep(random.uniform(*SETTLE_PAUSE))
