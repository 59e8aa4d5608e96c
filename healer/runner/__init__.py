"""The edge with the GitHub Actions runner, and the pipeline that composes it all.

The inputs and runner variables (`settings`), the triggering event (`event`),
workflow commands, outputs and the job summary (`commands`, `report`), and
`pipeline.main()`, the one place that puts the classifier and the GitHub side
together: inputs → failed jobs and logs → verdicts → issues → outputs.
"""
