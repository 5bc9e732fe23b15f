"""Two stacks for the same journeys: the embedded defaults (`casapay serve`: SQLite, local files,
in-process queue) and the real stack (PostgreSQL, Redis broker, moto's S3 server over HTTP, and
separate api / smtp / worker processes)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from sqlalchemy import create_engine, text

from tests.conftest import ADMIN_URL, free_port
from tests.e2e.stack import Stack, base_env, casapay, wait_for

REDIS_URL = os.environ.get("CASAPAY_TEST_REDIS_URL", "redis://127.0.0.1:6379/9")


@pytest.fixture(scope="module")
def embedded_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tmp = tmp_path_factory.mktemp("embedded")
    stack = Stack(env=base_env(tmp), logs=tmp)
    stack.key = casapay("keys", "create", env=stack.env).stdout.strip()
    stack.start("serve", "serve")
    try:
        stack.wait_ready()
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    log = (tmp_path_factory.mktemp("moto") / "moto.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        import httpx

        wait_for(lambda: _answers(httpx, url), 30, "moto S3 server")
        yield url
    finally:
        server.terminate()
        server.wait(10)


def _answers(httpx: object, url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code < 500  # type: ignore[attr-defined, no-any-return]
    except Exception:
        return False


@contextmanager
def running_real_stack(tmp: Path, s3_endpoint: str, **extra_env: str) -> Iterator[Stack]:
    """PostgreSQL, Redis, moto's S3 server, and the api / smtp / worker processes."""
    name = f"casapay_e2e_{os.getpid()}_{secrets.token_hex(3)}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    redis.Redis.from_url(REDIS_URL).flushdb()
    stack = Stack(
        env=base_env(
            tmp,
            DATABASE_URL=ADMIN_URL.rsplit("/", 1)[0] + f"/{name}",
            REDIS_URL=REDIS_URL,
            S3_ENDPOINT_URL=s3_endpoint,
            S3_BUCKET="casapay-e2e",
            AWS_ACCESS_KEY_ID="testing",
            AWS_SECRET_ACCESS_KEY="testing",
            AWS_DEFAULT_REGION="us-east-1",
            CASAPAY_PROCESSING_LEASE_SECONDS="20",
            **extra_env,
        ),
        logs=tmp,
    )
    casapay("migrate", env=stack.env)
    stack.key = casapay("keys", "create", env=stack.env).stdout.strip()
    for role in ("api", "smtp", "worker"):
        stack.start(role, role)
    try:
        stack.wait_ready()
        yield stack
    finally:
        stack.stop()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module")
def real_stack(tmp_path_factory: pytest.TempPathFactory, s3_endpoint: str) -> Iterator[Stack]:
    with running_real_stack(tmp_path_factory.mktemp("real"), s3_endpoint) as stack:
        yield stack


@pytest.fixture(params=["embedded_stack", "real_stack"])
def stack(request: pytest.FixtureRequest) -> Stack:
    return request.getfixturevalue(request.param)  # type: ignore[no-any-return]
