"""The classifier: from a log file to a verdict, offline.

Everything `healer classify` needs and nothing else: reading and cleaning the log
(`logtext`, the C helper `_fastprep`), the rules (`rule`, `ruleschema`, `rulepack`,
the shipped pack in `rules/*.yml`), the engines that pre-select lines (`engines`,
`scan`, `parallel`, `cache`), and the result (`verdict`, `excerpt`, `fingerprint`,
`redact`, `classify`), plus measuring rules on labelled logs (`evaluate`).

It imports nothing from `healer.github` or `healer.runner`, never PyGithub or the
network, and loads pydantic and YAML only to validate a rules file (`ruleschema`).
"""
