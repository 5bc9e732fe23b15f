"""STARTTLS for senders that want it (configured with a certificate and key)."""

from __future__ import annotations

import smtplib
import ssl
import subprocess
from dataclasses import replace
from pathlib import Path

from ingest.server import start_smtp
from models.services import Services
from tests.conftest import free_port
from tests.ingest.conftest import make_alias
from tests.mail import crlf, mail_with_pdfs
from tests.pdfs import invoice_pdf


def test_mail_delivered_over_starttls(services: Services, tmp_path: Path) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=mx.casapay.me",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    services.settings = replace(services.settings, smtp_tls_cert=str(cert), smtp_tls_key=str(key))
    make_alias(services)
    port = free_port()
    controller = start_smtp(services, port=port)
    try:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # self-signed in the test
        with smtplib.SMTP("127.0.0.1", port) as client:
            client.ehlo()
            assert client.has_extn("starttls")
            client.starttls(context=context)
            client.ehlo()
            message = mail_with_pdfs("jane.doe@casapay.me", [("a.pdf", invoice_pdf())])
            refused = client.sendmail(
                "billing@northside.example", ["jane.doe@casapay.me"], crlf(bytes(message))
            )
    finally:
        controller.stop()
    assert refused == {}
