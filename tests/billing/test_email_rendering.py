"""Every tenant email renders in every language as multipart text + HTML (pure)."""

from __future__ import annotations

from typing import Any

import pytest

from billing.email_texts import TEXTS
from billing.emails import KNOWN_FAILURES, render

ALIAS = {
    "alias_invoice": "ainv_1",
    "alias_email": "jane.doe@casapay.me",
    "document": "rent-march.pdf",
    "sender": "billing@northside.example",
    "subject": "Invoice March",
    "received_at": 1_767_225_600,
}
MONEY = {"amount": 125000, "currency": "eur", "link": "https://pay.example/pr_1"}
CASES: list[tuple[str, dict[str, Any]]] = [
    ("received", ALIAS),
    *(
        ("failed", ALIAS | {"code": code, "message": "m", "reason": "Not our tenant"})
        for code in [*sorted(KNOWN_FAILURES), "pdf_too_large", "something_new"]
    ),
    ("held", ALIAS | {"reasons": ["sender_not_authenticated"]}),
    ("payment_request", MONEY | {"reference": "INV-1", "due_date": "2026-02-01"}),
    ("invoice_sent", MONEY | {"invoice": "inv_1", "description": "Rent", "due_date": 1769904000}),
    ("receipt", MONEY | {"paid_at": 1769904000, "payment_intent": "pi_1", "description": None}),
    *(
        ("reminder", MONEY | {"phase": phase, "due_date": 1769904000, "description": "Rent"})
        for phase in ("before", "due", "after")
    ),
]


@pytest.mark.parametrize("locale", sorted(TEXTS))
@pytest.mark.parametrize(("kind", "context"), CASES)
def test_every_email_renders_in_every_language(
    kind: str, context: dict[str, Any], locale: str
) -> None:
    mail = render(kind, locale, "Jane <Doe>", context)
    assert mail.subject and "{" not in mail.subject
    assert mail.text.strip() and "{" not in mail.text
    assert mail.html.startswith("<!DOCTYPE html>") and f'lang="{locale}"' in mail.html
    assert "Jane &lt;Doe&gt;" in mail.html  # HTML-escaped; the text part keeps it as is
    assert "Jane <Doe>" in mail.text


def test_failure_emails_say_what_went_wrong_and_how_to_fix_it() -> None:
    mail = render("failed", "en", None, ALIAS | {"code": "pdf_encrypted", "message": "x"})
    assert "protected by a password" in mail.text and "How to fix it" in mail.text
    rejected = render(
        "failed", "de", "Jane", ALIAS | {"code": "rejected_in_review", "reason": "Falscher Mieter"}
    )
    assert "Falscher Mieter" in rejected.text and rejected.text.startswith("Hallo Jane,")
    no_doc = render("failed", "fr", None, ALIAS | {"code": "no_pdf_attachment"})
    assert "jane.doe@casapay.me" in no_doc.text and no_doc.text.startswith("Bonjour,")
