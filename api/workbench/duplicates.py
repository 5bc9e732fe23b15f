"""A possible duplicate beside the document it may copy: both first pages and their key fields."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException
from fastapi.responses import Response
from sqlalchemy.orm import Session

from api.workbench.formatting import money
from api.workbench.session import OpsUserDep
from models.alias_invoices import AliasInvoice
from review.duplicates import Facts
from review.items import ItemView
from review.pdf_pages import PageNotFound, render_page_png

router = APIRouter(include_in_schema=False)

ROWS = (
    ("vendor", "Vendor"),
    ("reference", "Reference"),
    ("amount", "Amount"),
    ("issue_date", "Issue date"),
    ("period", "Period"),
)


def _shown(facts: Facts, name: str) -> str:
    if name == "amount":
        return money(facts.amount, facts.currency)
    value = getattr(facts, name)
    return "—" if value in (None, "") else str(value)


def duplicate_context(session: Session, view: ItemView) -> dict[str, Any] | None:
    """What the item page shows when routing found a possible duplicate."""
    reason = next(
        (r for r in view.item.reasons or [] if r.get("code") == "possible_duplicate"), None
    )
    if reason is None or not reason.get("duplicate_of"):
        return None
    earlier = session.get(AliasInvoice, reason["duplicate_of"])
    if earlier is None:
        return None
    this, other = (
        Facts.from_json(view.alias_invoice.match_facts),
        Facts.from_json(earlier.match_facts),
    )
    matched = set(reason.get("matched") or [])
    return {
        "earlier": earlier,
        "state": reason.get("state"),
        "matched": sorted(matched),
        "rows": [
            {
                "label": label,
                "this": _shown(this, name),
                "earlier": _shown(other, name),
                "same": name in matched,
            }
            for name, label in ROWS
        ],
    }


@router.get("/workbench/alias_invoices/{alias_invoice_id}/pages/{number}.png")
def alias_invoice_page(alias_invoice_id: str, number: int, ops: OpsUserDep) -> Response:
    """A page of any alias invoice's document (the earlier one of a possible duplicate)."""
    with ops.services.sessions() as session:
        row = session.get(AliasInvoice, alias_invoice_id)
    if row is None or not row.pdf_blob_key:
        raise HTTPException(404)
    try:
        png = render_page_png(ops.services.blobs.get(row.pdf_blob_key), number)
    except PageNotFound as exc:
        raise HTTPException(404) from exc
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=600"})
