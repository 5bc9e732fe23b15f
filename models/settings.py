"""Settings read once from the environment, in the composition root of each process."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    redis_url: str | None
    s3_endpoint_url: str | None
    s3_bucket: str | None
    api_host: str
    api_port: int
    smtp_host: str
    smtp_port: int
    alias_domain: str
    review_threshold: float
    public_url: str
    secret: str
    max_message_bytes: int
    max_recipients: int
    outbound_smtp: str | None
    mail_from: str
    smtp_tls_cert: str | None
    smtp_tls_key: str | None
    processing_lease_seconds: int
    max_attempts: int
    sweep_interval_seconds: float
    worker_threads: int
    max_request_bytes: int

    @property
    def embedded_queue(self) -> bool:
        return self.redis_url is None

    @property
    def outbox_dir(self) -> Path:
        return self.data_dir / "outbox"


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Build settings from environment variables; every one is optional (embedded defaults)."""
    env = os.environ if env is None else env
    data_dir = Path(env.get("CASAPAY_DATA_DIR", "./var")).resolve()
    api_host = env.get("CASAPAY_API_HOST", "127.0.0.1")
    api_port = int(env.get("CASAPAY_API_PORT", "8000"))
    return Settings(
        data_dir=data_dir,
        database_url=env.get("DATABASE_URL") or f"sqlite:///{data_dir / 'casapay.db'}",
        redis_url=env.get("REDIS_URL") or None,
        s3_endpoint_url=env.get("S3_ENDPOINT_URL") or None,
        s3_bucket=env.get("S3_BUCKET") or None,
        api_host=api_host,
        api_port=api_port,
        smtp_host=env.get("CASAPAY_SMTP_HOST", "127.0.0.1"),
        smtp_port=int(env.get("CASAPAY_SMTP_PORT", "2525")),
        alias_domain=env.get("CASAPAY_ALIAS_DOMAIN", "casapay.me").lower(),
        review_threshold=float(env.get("CASAPAY_REVIEW_THRESHOLD", "0.7")),
        public_url=env.get("CASAPAY_PUBLIC_URL", f"http://{api_host}:{api_port}").rstrip("/"),
        secret=env.get("CASAPAY_SECRET") or _local_secret(data_dir),
        max_message_bytes=int(env.get("CASAPAY_MAX_MESSAGE_BYTES", str(25 * 1024 * 1024))),
        max_recipients=int(env.get("CASAPAY_MAX_RECIPIENTS", "50")),
        outbound_smtp=env.get("CASAPAY_OUTBOUND_SMTP") or None,
        mail_from=env.get("CASAPAY_MAIL_FROM", "CasaPay <no-reply@casapay.me>"),
        smtp_tls_cert=env.get("CASAPAY_SMTP_TLS_CERT") or None,
        smtp_tls_key=env.get("CASAPAY_SMTP_TLS_KEY") or None,
        processing_lease_seconds=int(env.get("CASAPAY_PROCESSING_LEASE_SECONDS", "900")),
        max_attempts=max(1, int(env.get("CASAPAY_MAX_ATTEMPTS", "5"))),
        sweep_interval_seconds=float(env.get("CASAPAY_SWEEP_INTERVAL_SECONDS", "30")),
        worker_threads=int(env.get("CASAPAY_WORKER_THREADS", "2")),
        max_request_bytes=int(env.get("CASAPAY_MAX_REQUEST_BYTES", str(2 * 1024 * 1024))),
    )


def _local_secret(data_dir: Path) -> str:
    """A per-installation signing secret, made once, so embedded mode needs no configuration."""
    path = data_dir / "secret.key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(32)
    path.write_text(value)
    path.chmod(0o600)
    return value
