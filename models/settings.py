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
    # The SMTP receiver's bounds (ingest): see the README's SMTP receiver section.
    max_documents_per_message: int = 20
    smtp_parsers: int = 2
    smtp_client_sessions: int = 10
    smtp_client_messages_per_minute: int = 120
    smtp_alias_messages_per_hour: int = 60
    sender_auth: str = "off"  # off | check | enforce
    dns_server: str | None = None  # host[:port]; unset = the system's resolver
    max_request_bytes: int = 2 * 1024 * 1024
    api_workers: int = 1
    # Metrics (models/metrics.py): the API serves /metrics; SMTP and worker their own port.
    metrics_host: str = "127.0.0.1"
    smtp_metrics_port: int = 9101
    worker_metrics_port: int = 9102
    metrics_token: str | None = None

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
        max_documents_per_message=int(env.get("CASAPAY_MAX_DOCUMENTS_PER_MESSAGE", "20")),
        smtp_parsers=int(env.get("CASAPAY_SMTP_PARSERS", "2")),
        smtp_client_sessions=int(env.get("CASAPAY_SMTP_CLIENT_SESSIONS", "10")),
        smtp_client_messages_per_minute=int(
            env.get("CASAPAY_SMTP_CLIENT_MESSAGES_PER_MINUTE", "120")
        ),
        smtp_alias_messages_per_hour=int(env.get("CASAPAY_SMTP_ALIAS_MESSAGES_PER_HOUR", "60")),
        sender_auth=_choice(env, "CASAPAY_SENDER_AUTH", ("off", "check", "enforce")),
        dns_server=env.get("CASAPAY_DNS_SERVER") or None,
        max_request_bytes=int(env.get("CASAPAY_MAX_REQUEST_BYTES", str(2 * 1024 * 1024))),
        api_workers=int(env.get("CASAPAY_API_WORKERS", "1")),
        metrics_host=env.get("CASAPAY_METRICS_HOST", "127.0.0.1"),
        smtp_metrics_port=int(env.get("CASAPAY_SMTP_METRICS_PORT", "9101")),
        worker_metrics_port=int(env.get("CASAPAY_WORKER_METRICS_PORT", "9102")),
        metrics_token=env.get("CASAPAY_METRICS_TOKEN") or None,
    )


def _choice(env: Mapping[str, str], name: str, allowed: tuple[str, ...]) -> str:
    value = env.get(name, allowed[0]).strip().lower() or allowed[0]
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
    return value


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
