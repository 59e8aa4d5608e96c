"""CI health over time: what a repository's runs, jobs and failure issues say about it.

Pure: records in (`healer.github.records`, read by `healer.github.runs`), figures out (`aggregate`), rendered as
Markdown, JSON or CSV (`render`).
"""
