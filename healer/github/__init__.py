"""The GitHub side: everything that reads from or writes to GitHub's REST API.

One PyGithub client factory with bounded retries (`client`, `retries`); the run,
its failed jobs and their logs (`fetch`); the issue that tracks a failing job,
found by its hidden marker, commented on or created (`issues`, `upsert`,
`duplicates`); what people read there (`render`); and what GitHub's refusals
mean for the user (`explain`).

It may import the classifier's result types, never `healer.runner`: what the
user asked for arrives as plain values, and clients are made by the caller.
"""
