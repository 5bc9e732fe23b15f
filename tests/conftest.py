"""Shared fixtures: a real PostgreSQL database (migrated once, emptied per test), local blobs,
and the in-process broker. Tests that need Redis, S3 or sockets build those in tests/e2e."""

from __future__ import annotations

import os
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from api.app import create_app
from models.db import transaction
from models.keys import create_account, create_key
from models.migrate import upgrade
from models.services import Services, build_services
from models.settings import Settings, load_settings
from models.tables import metadata

ADMIN_URL = os.environ.get(
    "CASAPAY_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
SHARED = Path(__file__).resolve().parents[2] / "shared"


def need_shared(path: Path) -> Path:
    """`path` under ../shared (corpora we may read, never copy): a test that needs it skips with
    the reason on a checkout that has no ../shared beside it, and fails in CI, which has it."""
    if not path.exists():
        reason = f"{path} is absent: ../shared is not beside this checkout"
        if os.environ.get("CI"):
            pytest.fail(reason + " (CI must have it)")
        pytest.skip(reason)
    return path


def shared_files(root: Path, suffixes: set[str]) -> list[Path]:
    """The files of a corpus under ../shared; when it is absent, [root] alone, so a test
    parametrised over them runs once and its need_shared(path) names why it skips."""
    return sorted(p for p in root.rglob("*") if p.suffix in suffixes) or [root]


class FakeClock:
    """The one thing we fake: time."""

    def __init__(self, now: int = 1_767_225_600) -> None:  # 2026-01-01T00:00:00Z
        self.now = now

    def __call__(self) -> int:
        return self.now

    def advance(self, seconds: int) -> None:
        self.now += seconds


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A throwaway database per test run (and per xdist worker), migrated with Alembic."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"casapay_test_{os.getpid()}_{worker}_{secrets.token_hex(3)}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    upgrade(url)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def make_settings(tmp_path: Path, **overrides: str) -> Settings:
    env = {
        "CASAPAY_DATA_DIR": str(tmp_path / "var"),
        "CASAPAY_SECRET": "test-secret",
        "CASAPAY_PUBLIC_URL": "http://testserver",
        **overrides,
    }
    return load_settings(env)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def services(pg_url: str, tmp_path: Path, clock: FakeClock) -> Iterator[Services]:
    built = build_services(make_settings(tmp_path, DATABASE_URL=pg_url), clock=clock)
    yield built
    with built.engine.begin() as conn:
        names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    built.engine.dispose()


class Api:
    """An account with test and live keys, and an HTTP client speaking for it."""

    def __init__(self, client: TestClient, account_id: str, test_key: str, live_key: str) -> None:
        self.client = client
        self.account_id = account_id
        self.test_key = test_key
        self.live_key = live_key

    def _headers(self, key: str | None, extra: dict[str, str] | None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {key or self.test_key}"}
        headers.update(extra or {})
        return headers

    def get(self, path: str, key: str | None = None, **kw: Any) -> Any:
        return self.client.get(path, headers=self._headers(key, kw.pop("headers", None)), **kw)

    def post(self, path: str, key: str | None = None, **kw: Any) -> Any:
        return self.client.post(path, headers=self._headers(key, kw.pop("headers", None)), **kw)

    def delete(self, path: str, key: str | None = None, **kw: Any) -> Any:
        return self.client.delete(path, headers=self._headers(key, kw.pop("headers", None)), **kw)


def new_account(services: Services, name: str = "Acme Lettings") -> tuple[str, str, str]:
    with transaction(services.sessions) as session:
        account = create_account(session, name, services.clock())
        test_key = create_key(session, account.id, livemode=False, now=services.clock())
        live_key = create_key(session, account.id, livemode=True, now=services.clock())
        return account.id, test_key, live_key


@pytest.fixture
def api(services: Services) -> Iterator[Api]:
    account_id, test_key, live_key = new_account(services)
    with TestClient(create_app(services), raise_server_exceptions=False) as client:
        yield Api(client, account_id, test_key, live_key)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server_url(services: Services) -> Iterator[str]:
    """The app in a real uvicorn server on a loopback port, for clients that need real HTTP."""
    port = free_port()
    config = uvicorn.Config(create_app(services), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.01)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)
