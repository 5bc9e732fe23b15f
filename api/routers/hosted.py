"""The pages a tenant sees: the hosted invoice with its pay button, its PDF, and /pay links.

No API key here: the unguessable invoice id (24 random base62 characters) in the link is the
capability, as with Stripe's hosted invoice URLs. Paying twice is harmless: the invoice row is
locked and a paid invoice just shows as paid.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.context import request_info, services_of
from api.errors import ApiError
from billing.invoice_pdf import ensure_pdf
from billing.invoice_summary import issuer_line, total_rows
from billing.invoices import items_of, pdf_url
from billing.payments import pay_invoice
from models.currencies import format_amount
from models.customers import Customer
from models.db import transaction
from models.invoices import Invoice
from models.payments import PaymentRequest
from models.unit_of_work import unit_of_work

router = APIRouter(tags=["hosted"], include_in_schema=False)

_templates = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent.parent / "templates"),
    autoescape=select_autoescape(["html"]),
)
PageId = Annotated[str, PathParam(pattern=r"^[A-Za-z0-9_]{1,64}$")]
PAYABLE = ("open", "uncollectible")


def _finalized(session: Session, invoice_id: str, *, lock: bool = False) -> Invoice:
    stmt = select(Invoice).where(Invoice.id == invoice_id, Invoice.finalized_at.is_not(None))
    invoice = session.scalar(stmt.with_for_update() if lock else stmt)
    if invoice is None:
        raise ApiError(404, f"No such invoice: '{invoice_id}'", code="resource_missing")
    return invoice


def _date(ts: int | None) -> str | None:
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%d") if ts else None


@router.get("/i/{invoice_id}", response_class=HTMLResponse)
def hosted_page(invoice_id: PageId, request: Request) -> HTMLResponse:
    services = services_of(request)
    with services.sessions() as session:
        invoice = _finalized(session, invoice_id)
        customer = session.get(Customer, invoice.customer_id)
        currency = invoice.currency or "eur"
        money = lambda amount: format_amount(amount, currency)  # noqa: E731
        html = _templates.get_template("hosted_invoice.html").render(
            invoice=invoice,
            customer_name=(customer.name or customer.email or "") if customer else "",
            due=_date(invoice.due_date),
            paid_on=_date(invoice.paid_at),
            lines=[
                {"description": i.description, "quantity": i.quantity, "amount": money(i.amount)}
                for i in items_of(session, invoice.id)
            ],
            totals=[
                {"label": r.label, "amount": money(r.amount), "strong": r.strong}
                for r in total_rows(invoice)
            ],
            issuer=issuer_line(invoice),
            remaining=money(invoice.amount_remaining),
            pdf_url=pdf_url(services.settings.public_url, invoice),
            pay_action=f"/i/{invoice.id}/pay",
            payable=invoice.status in PAYABLE,
        )
    return HTMLResponse(html, headers={"Cache-Control": "no-store"})


@router.post("/i/{invoice_id}/pay")
def hosted_pay(invoice_id: PageId, request: Request) -> RedirectResponse:
    """Test mode: records a payment (pi_) and marks the invoice, alias invoice and request paid."""
    services = services_of(request)
    with unit_of_work(services, request_info(request)) as session:
        invoice = _finalized(session, invoice_id, lock=True)
        if invoice.status in PAYABLE:
            if invoice.livemode:
                raise ApiError(
                    402,
                    "Online payment is not available for live invoices yet.",
                    type_="card_error",
                    code="payment_method_unavailable",
                )
            pay_invoice(session, invoice, now=services.clock(), source="hosted_page")
    return RedirectResponse(f"/i/{invoice_id}", status_code=303)


@router.get("/i/{invoice_id}/pdf")
def hosted_pdf(invoice_id: PageId, request: Request) -> Response:
    services = services_of(request)
    with transaction(services.sessions) as session:
        invoice = _finalized(session, invoice_id)
        key = ensure_pdf(session, invoice, services.blobs, services.settings.public_url)
    return Response(
        services.blobs.get(key),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{invoice_id}.pdf"'},
    )


@router.get("/pay/{request_id}")
def payment_link(request_id: PageId, request: Request) -> RedirectResponse:
    """`payment_link(public_url, pr_id)` from the results stage lands here."""
    services = services_of(request)
    with services.sessions() as session:
        invoice_id = session.scalar(
            select(PaymentRequest.invoice_id).where(PaymentRequest.id == request_id)
        )
    if invoice_id is None:
        raise ApiError(404, f"No such payment request: '{request_id}'", code="resource_missing")
    return RedirectResponse(f"/i/{invoice_id}", status_code=303)
