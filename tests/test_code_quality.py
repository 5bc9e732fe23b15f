"""The house rules that tools can check: lint, types, import contracts, schema drift."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from models.tables import metadata

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def run(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600)


def test_ruff_lint_and_format() -> None:
    lint = run(str(BIN / "ruff"), "check", ".")
    assert lint.returncode == 0, lint.stdout + lint.stderr
    fmt = run(str(BIN / "ruff"), "format", "--check", ".")
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


def test_mypy() -> None:
    result = run(str(BIN / "mypy"), ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_contracts() -> None:
    result = run(str(BIN / "lint-imports"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_migrations_match_the_models(pg_url: str) -> None:
    """Alembic's head (applied by the pg_url fixture) is exactly what the models declare."""
    engine = create_engine(pg_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    engine.dispose()
    assert diff == []


def test_the_installed_package_ships_templates_static_files_and_migrations(tmp_path: Path) -> None:
    """What `pip install .` (the Dockerfile) gets must include the non-Python files."""
    import zipfile

    built = run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), ".")
    shutil.rmtree(REPO / "build", ignore_errors=True)  # setuptools' scratch copy of the tree
    assert built.returncode == 0, built.stderr
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "cli.py",
        "api/templates/hosted_invoice.html",
        "api/workbench/templates/item.html",
        "api/workbench/static/workbench.js",
        "models/migrations/env.py",
        "models/migrations/script.py.mako",
        "models/migrations/versions/0001_initial_schema.py",
    ):
        assert expected in names, expected
    assert not any(n.startswith(("devset/", "tests/", "fixtures/")) for n in names)
