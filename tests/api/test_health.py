"""Liveness and readiness."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.app import create_app
from models.queue import Queue, make_broker
from models.services import Services
from tests.conftest import free_port


def test_healthz_and_readyz(services: Services) -> None:
    client = TestClient(create_app(services))
    assert client.get("/healthz").status_code == 200
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["checks"] == {
        "database": "ok",
        "queue": "ok",
        "blob_store": "ok",
    }


def test_readyz_is_503_when_redis_is_down(services: Services) -> None:
    services.queue = Queue(make_broker(f"redis://127.0.0.1:{free_port()}/0"))
    ready = TestClient(create_app(services)).get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["checks"]["queue"].startswith("error")
    assert ready.json()["checks"]["database"] == "ok"
