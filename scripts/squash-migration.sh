#!/usr/bin/env bash
# Until the first release the schema is one migration: regenerate it from the models.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
rm -f models/migrations/versions/0001_initial_schema.py
.venv/bin/python -c "from alembic import command; from models.migrate import alembic_config; \
command.revision(alembic_config('sqlite:///$tmp/schema.db'), message='initial schema', \
autogenerate=True, rev_id='0001')" >/dev/null
.venv/bin/ruff format -q models/migrations/versions/0001_initial_schema.py
grep -c "op.create_table(" models/migrations/versions/0001_initial_schema.py
