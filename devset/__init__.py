"""The project's development set: seeded, reproducible invoices in six languages and seven
layout families, rendered as text PDFs, scans and phone photos, each with a `*.truth.json`.

Not shipped in the wheel; its output goes to a git-ignored directory (var/devset by default).
`python -m devset --help`.
"""
