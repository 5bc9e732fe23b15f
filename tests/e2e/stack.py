"""Running CasaPay as real processes, the way an operator does, for end-to-end tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.conftest import free_port

REPO = Path(__file__).resolve().parents[2]


def casapay(
    *args: str, env: dict[str, str], check: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run the `casapay` command as an operator would, in its own process."""
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=check,
    )


@dataclass
class Stack:
    env: dict[str, str]
    logs: Path
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    key: str = ""

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.env['CASAPAY_API_PORT']}"

    @property
    def smtp_port(self) -> int:
        return int(self.env["CASAPAY_SMTP_PORT"])

    @property
    def data_dir(self) -> Path:
        return Path(self.env["CASAPAY_DATA_DIR"])

    def start(self, name: str, *args: str) -> None:
        log = (self.logs / f"{name}.log").open("ab")
        self.procs[name] = subprocess.Popen(
            [sys.executable, "-m", "cli", *args],
            env=self.env,
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def kill(self, name: str) -> None:
        """SIGKILL: no cleanup, exactly like a crashed machine."""
        proc = self.procs.pop(name)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)

    def stop(self) -> None:
        for proc in self.procs.values():
            proc.terminate()
        for proc in self.procs.values():
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        self.procs.clear()

    def client(self) -> httpx.Client:
        return httpx.Client(
            base_url=self.api_url, timeout=30, headers={"Authorization": f"Bearer {self.key}"}
        )

    def wait_ready(self, timeout: float = 60) -> None:
        wait_for(
            lambda: _ok(f"{self.api_url}/readyz"), timeout, f"API at {self.api_url}", self.logs
        )
        wait_for(lambda: _port_open(self.smtp_port), timeout, "SMTP", self.logs)

    def log_text(self) -> str:
        return "\n".join(
            f"== {p.name}\n{p.read_text(errors='replace')[-4000:]}"
            for p in sorted(self.logs.glob("*.log"))
        )


def base_env(tmp: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CASAPAY_", "DATABASE_URL", "REDIS_URL", "S3_", "AWS_"))
    }
    env.update(
        CASAPAY_DATA_DIR=str(tmp / "var"),
        CASAPAY_API_PORT=str(free_port()),
        CASAPAY_SMTP_PORT=str(free_port()),
        CASAPAY_SWEEP_INTERVAL_SECONDS="1",
        # Metrics ports off unless a test asks: parallel runs must not race for a fixed port.
        CASAPAY_SMTP_METRICS_PORT="0",
        CASAPAY_WORKER_METRICS_PORT="0",
        OMP_THREAD_LIMIT="1",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def wait_for(check: Callable[[], Any], timeout: float, what: str, logs: Path | None = None) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    detail = ""
    if logs is not None:
        detail = "\n".join(p.read_text(errors="replace")[-3000:] for p in logs.glob("*.log"))
    raise AssertionError(f"timed out waiting for {what}\n{detail}")


def _ok(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _port_open(port: int) -> bool:
    import socket

    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0
