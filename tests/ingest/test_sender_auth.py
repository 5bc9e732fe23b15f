"""Sender authenticity against a real DNS server on loopback (dnslib) serving SPF, DKIM keys made
in the test, and DMARC; mail signed with dkimpy and sent over SMTP from 127.0.0.1."""

from __future__ import annotations

import base64
import smtplib
from collections.abc import Iterator
from dataclasses import replace

import dkim
import pytest
from authres import AuthenticationResultsHeader
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from dnslib import QTYPE, RR, TXT
from dnslib.server import BaseResolver, DNSLogger, DNSServer
from sqlalchemy import select

from cli import WorkerRuntime, start_worker
from ingest.sender_auth import authenticate
from ingest.sender_auth.dns import Resolver
from ingest.server import start_smtp
from models.alias_invoices import AliasInvoice
from models.review import ReviewItem
from models.services import Services
from tests.conftest import Api, free_port
from tests.ingest.conftest import make_alias
from tests.mail import crlf, mail_with_pdfs
from tests.pdfs import invoice_pdf
from tests.pipeline.conftest import drain
from tests.pipeline.test_tenant_emails import body, outbox

TO = "jane.doe@casapay.me"


class Zone(BaseResolver):  # type: ignore[misc]
    """TXT records by name; everything else does not exist."""

    def __init__(self, records: dict[str, list[str]]) -> None:
        self.records = records

    def resolve(self, request, handler):  # type: ignore[no-untyped-def]
        reply = request.reply()
        name = str(request.q.qname).rstrip(".").lower()
        if request.q.qtype == QTYPE.TXT:
            for text in self.records.get(name, []):
                chunks = [text[i : i + 255] for i in range(0, len(text), 255)]
                reply.add_answer(RR(request.q.qname, QTYPE.TXT, rdata=TXT(chunks), ttl=60))
        return reply


def dkim_key() -> tuple[bytes, str]:
    """A private key (PEM) and its DKIM TXT record."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return pem, f"v=DKIM1; k=rsa; p={base64.b64encode(public).decode()}"


LANDLORD_KEY, LANDLORD_RECORD = dkim_key()
TENANT_KEY, TENANT_RECORD = dkim_key()
RECORDS = {
    # The landlord's own servers send from 127.0.0.1 and sign; DMARC says reject.
    "landlord.example": ["v=spf1 ip4:127.0.0.1 -all"],
    "s1._domainkey.landlord.example": [LANDLORD_RECORD],
    "_dmarc.landlord.example": ["v=DMARC1; p=reject"],
    # A tenant's mailbox provider signs what the tenant forwards; DMARC p=none.
    "s2._domainkey.tenantmail.example": [TENANT_RECORD],
    "_dmarc.tenantmail.example": ["v=DMARC1; p=none"],
    # An attacker's own domain passes SPF for 127.0.0.1 (but is not the From domain).
    "attacker.example": ["v=spf1 ip4:127.0.0.1 -all"],
}


@pytest.fixture
def worker(services: Services) -> Iterator[WorkerRuntime]:
    runtime = start_worker(services)
    yield runtime
    runtime.stop()


@pytest.fixture(scope="module")
def dns_server() -> Iterator[str]:
    port = free_port()
    quiet = DNSLogger("-request,-reply,-truncated", prefix=False)
    servers = [
        DNSServer(Zone(RECORDS), port=port, address="127.0.0.1", tcp=tcp, logger=quiet)
        for tcp in (False, True)
    ]
    for server in servers:
        server.start_thread()
    yield f"127.0.0.1:{port}"
    for server in servers:
        server.stop()


def signed(message: bytes, domain: str, selector: str, key: bytes) -> bytes:
    signature = dkim.sign(
        message, selector.encode(), domain.encode(), key, include_headers=[b"from", b"subject"]
    )
    return signature + message


def invoice_mail(sender: str, reference: str = "INV-2026-0042") -> bytes:
    message = mail_with_pdfs(
        TO,
        [("invoice.pdf", invoice_pdf(reference=reference))],
        sender=sender,
        message_id=f"<{reference}@example>",
    )
    return crlf(bytes(message))


def check(dns_server: str, raw: bytes, mail_from: str, from_domain: str) -> dict[str, object]:
    return authenticate(
        Resolver(dns_server),
        raw,
        ip="127.0.0.1",
        helo="mail.example",
        mail_from=mail_from,
        from_domain=from_domain,
        enforced=True,
    )


def test_landlord_mailing_directly_passes_spf_dkim_and_dmarc(dns_server: str) -> None:
    raw = signed(invoice_mail("billing@landlord.example"), "landlord.example", "s1", LANDLORD_KEY)
    result = check(dns_server, raw, "billing@landlord.example", "landlord.example")
    assert (result["spf"], result["dkim"], result["dmarc"], result["verdict"]) == (
        "pass",
        "pass",
        "pass",
        "pass",
    )
    assert result["aligned_domain"] == "landlord.example"
    header = AuthenticationResultsHeader.parse(str(result["authentication_results"]))
    assert header.authserv_id == "mx.casapay.me"
    assert {(r.method, r.result) for r in header.results} == {
        ("spf", "pass"),
        ("dkim", "pass"),
        ("dmarc", "pass"),
    }


def test_tenant_forwarding_from_their_mailbox_passes_on_dkim(dns_server: str) -> None:
    raw = signed(invoice_mail("jane@tenantmail.example"), "tenantmail.example", "s2", TENANT_KEY)
    # The tenant's provider relays from an address its SPF does not list: DKIM carries it.
    result = check(dns_server, raw, "jane@tenantmail.example", "tenantmail.example")
    assert (result["spf"], result["dkim"], result["dmarc"], result["verdict"]) == (
        "none",
        "pass",
        "pass",
        "pass",
    )


def test_forged_landlord_fails_dmarc_even_when_its_own_spf_passes(dns_server: str) -> None:
    raw = invoice_mail("billing@landlord.example")  # forged From, no signature
    result = check(dns_server, raw, "bounce@attacker.example", "landlord.example")
    assert (result["spf"], result["dkim"], result["dmarc"], result["verdict"]) == (
        "pass",
        "none",
        "fail",
        "fail",
    )
    assert result["aligned_domain"] is None


def test_a_signature_by_another_domain_does_not_vouch_for_the_from_domain(
    dns_server: str,
) -> None:
    raw = signed(invoice_mail("billing@landlord.example"), "tenantmail.example", "s2", TENANT_KEY)
    result = check(dns_server, raw, "x@attacker.example", "landlord.example")
    assert (result["dkim"], result["dmarc"], result["verdict"]) == ("pass", "fail", "fail")


def test_no_dmarc_policy_and_nothing_aligned_is_a_spoofing_risk(dns_server: str) -> None:
    raw = invoice_mail("someone@nopolicy.example")
    result = check(dns_server, raw, "someone@nopolicy.example", "nopolicy.example")
    assert (result["spf"], result["dmarc"], result["verdict"]) == ("none", "none", "fail")


def test_an_unreachable_dns_server_is_a_temperror(dns_server: str) -> None:
    raw = invoice_mail("billing@landlord.example")
    result = authenticate(
        Resolver(f"127.0.0.1:{free_port()}", lifetime=0.5),
        raw,
        ip="127.0.0.1",
        helo="mail.example",
        mail_from="billing@landlord.example",
        from_domain="landlord.example",
        enforced=True,
    )
    assert result["verdict"] == "temperror"


def deliver(port: int, raw: bytes, mail_from: str) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=60) as client:
        client.ehlo("mail.example")
        assert client.sendmail(mail_from, [TO], raw) == {}


def test_with_enforcement_a_forged_landlord_is_held_and_an_authenticated_one_is_not(
    services: Services, dns_server: str, worker: WorkerRuntime
) -> None:
    services.settings = replace(services.settings, sender_auth="enforce", dns_server=dns_server)
    make_alias(services)
    port = free_port()
    controller = start_smtp(services, port=port)
    try:
        genuine = signed(
            invoice_mail("billing@landlord.example", "INV-1"),
            "landlord.example",
            "s1",
            LANDLORD_KEY,
        )
        deliver(port, genuine, "billing@landlord.example")
        # The genuine bill is routed first: the other way round it would rightly be a possible
        # duplicate of the held forgery (same vendor, amount and month).
        drain(services)
        deliver(port, invoice_mail("billing@landlord.example", "INV-2"), "x@attacker.example")
    finally:
        controller.stop()
    drain(services)
    with services.sessions() as session:
        rows = list(session.scalars(select(AliasInvoice)))
        genuine_row = next(r for r in rows if r.sender_auth["verdict"] == "pass")  # type: ignore[index]
        forged_row = next(r for r in rows if r.sender_auth["verdict"] == "fail")  # type: ignore[index]
        assert genuine_row.status == "processed", genuine_row.error_message
        assert forged_row.status == "requires_review"
        item = session.scalars(
            select(ReviewItem).where(ReviewItem.alias_invoice_id == forged_row.id)
        ).one()
        # The forged bill copies the genuine one's vendor, amount and month with another
        # reference, so it is also a possible duplicate of it.
        assert [r["code"] for r in item.reasons] == [
            "sender_not_authenticated",
            "possible_duplicate",
        ]
        assert forged_row.sender_auth["enforced"] is True  # type: ignore[index]
    # The tenant is told why this one waits, and that a person checks it before any payment.
    (held,) = [m for m in outbox(services) if "waiting for a check" in str(m["Subject"])]
    assert held["Reply-To"] == f"jane.doe+{forged_row.id}@casapay.me"
    assert "was not authenticated" in " ".join(body(held).split())


def test_checked_without_enforcement_records_but_holds_nothing(
    services: Services, dns_server: str, worker: WorkerRuntime
) -> None:
    services.settings = replace(services.settings, sender_auth="check", dns_server=dns_server)
    make_alias(services)
    port = free_port()
    controller = start_smtp(services, port=port)
    try:
        deliver(port, invoice_mail("billing@landlord.example", "INV-3"), "x@attacker.example")
    finally:
        controller.stop()
    drain(services)
    with services.sessions() as session:
        (row,) = session.scalars(select(AliasInvoice))
    assert row.sender_auth is not None and row.sender_auth["verdict"] == "fail"
    assert row.sender_auth["enforced"] is False and row.status == "processed"


def test_the_embedded_default_records_none_and_the_api_shows_it(
    services: Services, smtp_port: int, api: Api
) -> None:
    customer = api.post("/v1/customers", data={"name": "Jane Doe"}).json()
    api.post("/v1/email_aliases", data={"customer": customer["id"], "local_part": "jane.doe"})
    deliver(smtp_port, invoice_mail("billing@landlord.example", "INV-4"), "x@attacker.example")
    (listed,) = api.get("/v1/alias_invoices").json()["data"]
    assert listed["sender_auth"]["verdict"] == "none"
    assert listed["sender_auth"]["enforced"] is False
    assert (
        api.get(f"/v1/alias_invoices/{listed['id']}").json()["sender_auth"] == listed["sender_auth"]
    )
