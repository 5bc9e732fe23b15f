# The two commands of the README: `make serve` and `make test`.
.PHONY: serve test lint bench

serve:
	@scripts/bootstrap.sh serve
	OMP_THREAD_LIMIT=1 .venv/bin/casapay serve

test:
	@scripts/bootstrap.sh test
	@scripts/services.sh
	OMP_THREAD_LIMIT=1 .venv/bin/python -m pytest

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy . && .venv/bin/lint-imports

bench:
	OMP_THREAD_LIMIT=1 .venv/bin/python bench/run_all.py
