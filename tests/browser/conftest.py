"""The app on a loopback port (tests/conftest.py) and Debian's Chromium driven by Playwright.

Chromium missing is a failure, not a skip: CI installs it (apt `chromium`), and a browser
suite that silently skips proves nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from models.db import transaction
from models.services import Services
from review.ops_users import create_ops_user

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
OPS_EMAIL, OPS_PASSWORD = "maria@casapay.me", "correct horse battery"


@pytest.fixture
def live_server(services: Services, server_url: str) -> str:
    with transaction(services.sessions) as session:
        create_ops_user(session, OPS_EMAIL, OPS_PASSWORD, "admin", services.clock())
    return server_url


# Module scope: Playwright's sync API keeps an event loop marked running on the main thread, so
# it must stop before later modules call asyncio.run (tests/ingest/test_hostile.py).
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    assert CHROMIUM.exists(), "Chromium is required: apt-get install chromium"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, live_server: str) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server, viewport={"width": 1440, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    # A 400/409 page is a form answer (bad correction, lost race); anything else is a bug.
    expected = ("status of 400", "status of 409")
    pg.on(
        "console",
        lambda msg: (
            errors.append(msg.text)
            if msg.type == "error" and not any(e in msg.text for e in expected)
            else None
        ),
    )
    yield pg
    context.close()
    assert errors == [], f"browser errors: {errors}"


def shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


def log_in(page: Any) -> None:
    page.goto("/workbench")
    assert "/workbench/login" in page.url
    page.fill("input[name=email]", OPS_EMAIL)
    page.fill("input[name=password]", OPS_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/workbench")
