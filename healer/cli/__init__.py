"""`healer`, the command line: classify CI logs on your own machine (files, pipes,
archives, a run's URL), measure rules on labelled logs, report a repository's CI
health over time.

- `main`: the arguments and what each command does;
- `inputs`: what a path, `-`, a directory or an archive holds, as logs to classify;
- `archive`: zip archives, GitHub's run log archive in particular, within limits;
- `ghlog`: the output of `gh run view --log`, split by job;
- `remote`: a run's URL, its failed jobs' logs fetched from GitHub;
- `output`: text, JSON Lines or Markdown, with colour and progress on a terminal;
- `report`: `healer report`, CI health over time.
"""

from healer.cli.main import main

__all__ = ["main"]
