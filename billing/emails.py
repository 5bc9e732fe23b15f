"""Rendering tenant emails: a template name, a locale and stored facts → subject, text, HTML.

One layout (templates/emails/email.txt and .html, Jinja2) and one builder per kind of email
that picks the phrases (billing/email_texts.py) and facts. Rendering happens when the email is
sent, so the outbox row stores facts, not prose.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from billing.email_texts import text
from models.currencies import format_amount

_env = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent / "templates" / "emails"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)

# Failure codes that share their words with another code.
_SAME_WORDS = {"pdf_too_large": "pdf_too_complex"}
KNOWN_FAILURES = frozenset(
    {
        "no_pdf_attachment",
        "pdf_encrypted",
        "pdf_unreadable",
        "pdf_too_complex",
        "no_amount_found",
        "duplicate_invoice",
        "rejected_in_review",
        "processing_attempts_exhausted",
    }
)


@dataclass(frozen=True)
class Action:
    label: str
    url: str


@dataclass
class Composition:
    subject: str
    paragraphs: list[str] = field(default_factory=list)
    facts: list[tuple[str, str]] = field(default_factory=list)
    what: str | None = None
    fix: str | None = None
    action: Action | None = None
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def day(timestamp: int | None) -> str:
    if timestamp is None:
        return ""
    return dt.datetime.fromtimestamp(timestamp, dt.UTC).date().isoformat()


def render(kind: str, locale: str, name: str | None, context: dict[str, Any]) -> Rendered:
    composition = _BUILDERS[kind](locale, context)
    greeting = text(locale, "greeting", name=name) if name else text(locale, "greeting_anonymous")
    values = {
        "locale": locale,
        "subject": composition.subject,
        "greeting": greeting,
        "paragraphs": composition.paragraphs,
        "facts": composition.facts,
        "what": composition.what,
        "fix": composition.fix,
        "action": composition.action,
        "notes": composition.notes,
        "labels": {"what": text(locale, "label_what"), "fix": text(locale, "label_fix")},
        "signoff": text(locale, "signoff"),
    }
    return Rendered(
        subject=composition.subject,
        text=_env.get_template("email.txt").render(values),
        html=_env.get_template("email.html").render(values),
    )


def _document(ctx: dict[str, Any]) -> str:
    return str(ctx.get("document") or ctx.get("subject") or "the document")


def _received(locale: str, ctx: dict[str, Any]) -> Composition:
    body = text(locale, "received_body", document=_document(ctx), alias=ctx["alias_email"])
    return Composition(text(locale, "received_subject"), [body], notes=[text(locale, "reply_hint")])


def _failed(locale: str, ctx: dict[str, Any]) -> Composition:
    code = _SAME_WORDS.get(ctx.get("code") or "", ctx.get("code") or "")
    key = code if code in KNOWN_FAILURES else "other"
    values = {
        "document": _document(ctx),
        "alias": ctx.get("alias_email"),
        "reason": ctx.get("reason") or ctx.get("message") or "",
        "message": ctx.get("message") or "",
    }
    return Composition(
        text(locale, "failed_subject"),
        facts=[(text(locale, "label_document"), _document(ctx))],
        what=text(locale, f"failed.{key}.what", **values),
        fix=text(locale, f"failed.{key}.fix", **values),
        notes=[text(locale, "reply_hint")],
    )


def _held(locale: str, ctx: dict[str, Any]) -> Composition:
    reason = ctx["reasons"][0]
    values = {"document": _document(ctx), "sender": ctx.get("sender") or "?"}
    return Composition(
        text(locale, "held_subject"),
        what=text(locale, f"held.{reason}.what", **values),
        fix=text(locale, f"held.{reason}.fix", **values),
        notes=[text(locale, "reply_hint")],
    )


def _payment_request(locale: str, ctx: dict[str, Any]) -> Composition:
    amount = format_amount(ctx["amount"], ctx["currency"])
    reference = ctx.get("reference")
    body = (
        text(locale, "payment_request_body_ref", reference=reference)
        if reference
        else text(locale, "payment_request_body")
    )
    facts = [(text(locale, "label_amount"), amount)]
    if ctx.get("due_date"):
        facts.append((text(locale, "label_due"), str(ctx["due_date"])))
    return Composition(
        text(locale, "payment_request_subject", amount=amount),
        [body],
        facts,
        action=Action(text(locale, "action_pay"), ctx["link"]),
    )


def _invoice_sent(locale: str, ctx: dict[str, Any]) -> Composition:
    amount = format_amount(ctx["amount"], ctx["currency"])
    paragraphs = [text(locale, "invoice_sent_body", invoice=ctx["invoice"])]
    if ctx.get("description"):
        paragraphs.append(str(ctx["description"]))
    facts = [(text(locale, "label_amount"), amount)]
    if ctx.get("due_date"):
        facts.append((text(locale, "label_due"), day(ctx["due_date"])))
    action = Action(text(locale, "action_view"), ctx["link"]) if ctx.get("link") else None
    return Composition(
        text(locale, "invoice_sent_subject", invoice=ctx["invoice"], amount=amount),
        paragraphs,
        facts,
        action=action,
    )


def _receipt(locale: str, ctx: dict[str, Any]) -> Composition:
    amount = format_amount(ctx["amount"], ctx["currency"])
    facts = [(text(locale, "label_amount"), amount)]
    if ctx.get("paid_at"):
        facts.append((text(locale, "label_paid_on"), day(ctx["paid_at"])))
    if ctx.get("payment_intent"):
        facts.append((text(locale, "label_payment"), str(ctx["payment_intent"])))
    link = ctx.get("hosted_invoice_url")
    return Composition(
        text(locale, "receipt_subject", amount=amount),
        [text(locale, "receipt_body", amount=amount)]
        + ([str(ctx["description"])] if ctx.get("description") else []),
        facts,
        action=Action(text(locale, "action_receipt"), link) if link else None,
    )


def _reminder(locale: str, ctx: dict[str, Any]) -> Composition:
    phase = ctx["phase"]  # before | due | after
    amount = format_amount(ctx["amount"], ctx["currency"])
    values = {"amount": amount, "due": day(ctx["due_date"])}
    paragraphs = [text(locale, f"reminder_{phase}_body", **values)]
    if ctx.get("description"):
        paragraphs.append(str(ctx["description"]))
    return Composition(
        text(locale, f"reminder_{phase}_subject", **values),
        paragraphs,
        [(text(locale, "label_amount"), amount), (text(locale, "label_due"), values["due"])],
        action=Action(text(locale, "action_pay"), ctx["link"]) if ctx.get("link") else None,
        notes=[text(locale, "reminder_ignore")],
    )


_BUILDERS: dict[str, Callable[[str, dict[str, Any]], Composition]] = {
    "received": _received,
    "failed": _failed,
    "held": _held,
    "payment_request": _payment_request,
    "invoice_sent": _invoice_sent,
    "receipt": _receipt,
    "reminder": _reminder,
}
