"""Settings: every variable optional, embedded defaults, the real stack by environment."""

from __future__ import annotations

from pathlib import Path

from models.settings import load_settings


def test_embedded_defaults(tmp_path: Path) -> None:
    settings = load_settings({"CASAPAY_DATA_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path}/casapay.db"
    assert settings.redis_url is None and settings.embedded_queue
    assert settings.s3_bucket is None and settings.s3_endpoint_url is None
    assert (settings.api_host, settings.api_port) == ("127.0.0.1", 8000)
    assert (settings.smtp_host, settings.smtp_port) == ("127.0.0.1", 2525)
    assert settings.alias_domain == "casapay.me" and settings.review_threshold == 0.7
    assert settings.max_message_bytes == 25 * 1024 * 1024
    assert settings.public_url == "http://127.0.0.1:8000"
    # The signing secret is made once and kept, so signed URLs survive a restart.
    assert load_settings({"CASAPAY_DATA_DIR": str(tmp_path)}).secret == settings.secret


def test_real_stack_from_environment(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "CASAPAY_DATA_DIR": str(tmp_path),
            "DATABASE_URL": "postgresql+psycopg://postgres@db/casapay",
            "REDIS_URL": "redis://cache:6379/0",
            "S3_ENDPOINT_URL": "http://s3:9000",
            "S3_BUCKET": "invoices",
            "CASAPAY_API_HOST": "0.0.0.0",
            "CASAPAY_API_PORT": "8080",
            "CASAPAY_SMTP_PORT": "25",
            "CASAPAY_ALIAS_DOMAIN": "Inbox.Example",
            "CASAPAY_REVIEW_THRESHOLD": "0.85",
        }
    )
    assert settings.database_url.startswith("postgresql+psycopg://")
    assert settings.redis_url == "redis://cache:6379/0" and not settings.embedded_queue
    assert (settings.s3_endpoint_url, settings.s3_bucket) == ("http://s3:9000", "invoices")
    assert (settings.api_host, settings.api_port, settings.smtp_port) == ("0.0.0.0", 8080, 25)
    assert settings.alias_domain == "inbox.example" and settings.review_threshold == 0.85
