"""The item page: the PDF with evidence boxes beside the correction form, and the decisions."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from api.workbench.corrections_form import form_corrections
from api.workbench.duplicates import duplicate_context
from api.workbench.formatting import age, money_input
from api.workbench.pages import queue_filter
from api.workbench.session import Ops, OpsUserDep, check_csrf, read_form, render
from models.blobstore import BlobStoreError
from models.errors import Conflict, DomainError, InvalidRequest, InvalidTransition, NotFound
from models.payments import PaymentRequest
from models.unit_of_work import unit_of_work
from review.corrections import CORRECTABLE
from review.items import ItemView, get_item, load_view
from review.pdf_pages import PageNotFound, page_sizes, render_page_png
from review.queue import account_names, next_pending
from review.service import Decider, approve, reject

router = APIRouter(include_in_schema=False)

LABELS = {
    "total_amount": "Total amount",
    "currency": "Currency",
    "due_date": "Due date",
    "reference": "Reference",
    "tax_amount": "Tax amount",
    "line_items": "Line items",
}
REJECT_PRESETS = (
    "Not an invoice",
    "Duplicate of an invoice already billed",
    "Unreadable or incomplete PDF",
    "Sent to the wrong tenant alias",
)


def _pages(ops: Ops, view: ItemView) -> list[dict[str, Any]]:
    """Page sizes and each field's box as percentages of its page, for the overlay."""
    key = view.alias_invoice.pdf_blob_key
    if not key:
        return []
    try:
        sizes = page_sizes(ops.services.blobs.get(key))
    except BlobStoreError:
        return []
    pages = []
    for number, (width, height) in enumerate(sizes, start=1):
        boxes = []
        for name, ev in view.evidence.items():
            bbox = ev.get("bbox") if isinstance(ev, dict) else None
            if ev.get("page") != number or not isinstance(bbox, list) or len(bbox) != 4:
                continue
            x0, top, x1, bottom = (float(v) for v in bbox)
            boxes.append(
                {
                    "field": name,
                    "label": LABELS.get(name, name.replace("_", " ")),
                    "confidence": view.confidence(name),
                    "left": round(100 * x0 / width, 3),
                    "top": round(100 * top / height, 3),
                    "width": round(100 * (x1 - x0) / width, 3),
                    "height": round(100 * (bottom - top) / height, 3),
                }
            )
        pages.append({"number": number, "ratio": round(100 * height / width, 3), "boxes": boxes})
    return pages


def _fields(view: ItemView, submitted: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Correctable fields, least confident first: where the reviewer's eyes should go."""
    data = view.extracted
    corrected = view.item.corrections or {}
    if view.item.status == "approved" and view.alias_invoice.extracted_data:
        data = view.alias_invoice.extracted_data  # what was billed, corrections included
    currency = (submitted or {}).get("currency") or data.get("currency")
    fields = []
    for name in CORRECTABLE:
        ev = view.evidence.get(name)
        ev = ev if isinstance(ev, dict) else {}
        value: Any = data.get(name)
        original = money_input(value, currency) if name in ("total_amount", "tax_amount") else value
        if submitted is not None and name in submitted:
            value = submitted[name]
        elif name in ("total_amount", "tax_amount"):
            value = money_input(value, currency)
        elif name == "line_items":
            value = [
                {
                    "description": li.get("description"),
                    "amount": money_input(li.get("amount"), currency),
                }
                for li in value or []
                if isinstance(li, dict)
            ]
        fields.append(
            {
                "name": name,
                "label": LABELS[name],
                "value": value if value is not None else "",
                "original": original if original is not None else "",
                "confidence": view.confidence(name),
                "source": ev.get("source"),
                "page": ev.get("page"),
                "reasons": ev.get("reasons") or [],
                "has_box": bool(ev.get("bbox")),
                "corrected_from": corrected[name]["from"] if name in corrected else None,
                "was_corrected": name in corrected,
            }
        )
    fields.sort(key=lambda f: (f["confidence"] is not None, f["confidence"] or 0))
    return fields


def _page(
    ops: Ops,
    item_id: str,
    *,
    status_code: int = 200,
    errors: dict[str, str] | None = None,
    submitted: dict[str, Any] | None = None,
    banner: str | None = None,
    keep: dict[str, str] | None = None,
) -> Response:
    with ops.services.sessions() as session:
        try:
            view = load_view(session, item_id, None)
        except NotFound:
            return render("not_found.html", status_code=404, ops=ops, item_id=item_id)
        names = account_names(session)
        duplicate = duplicate_context(session, view)
        pr = (
            session.get(PaymentRequest, view.alias_invoice.payment_request_id)
            if view.alias_invoice.payment_request_id
            else None
        )
    now = ops.services.clock()
    return render(
        "item.html",
        status_code=status_code,
        ops=ops,
        view=view,
        item=view.item,
        alias=view.alias_invoice,
        account_name=names.get(view.item.account_id, view.item.account_id),
        tenant=view.customer,
        age=age(view.item.created, now),
        fields=_fields(view, submitted),
        pages=_pages(ops, view),
        checks=[c for c in view.extraction.result.get("checks") or [] if isinstance(c, dict)],
        extraction=view.extraction.result,
        errors=errors or {},
        rejection=(submitted or {}).get("reason", ""),
        presets=REJECT_PRESETS,
        banner=banner,
        payment_request=pr,
        duplicate=duplicate,
        keep=keep or {},
    )


def _keep(params: Any) -> dict[str, str]:
    """The queue filters an item page carries along, so "next" stays within them."""
    return {k: str(params.get(k)) for k in ("account", "reason_code", "mode") if params.get(k)}


@router.get("/workbench/items/{item_id}")
def item_page(item_id: str, request: Request, ops: OpsUserDep) -> Response:
    done = request.query_params.get("done")
    prev = request.query_params.get("prev")
    banner = f"{prev} {done}." if done and prev else None
    return _page(ops, item_id, banner=banner, keep=_keep(request.query_params))


def _after_decision(ops: Ops, item_id: str, form: dict[str, Any], done: str) -> Response:
    keep = _keep(form)
    with ops.services.sessions() as session:
        current = get_item(session, item_id, None)
        nxt = next_pending(session, current, queue_filter(keep))
    query = urlencode(
        {**keep, "done": done, "prev": item_id} if nxt else {**keep, "done": done, "item": item_id}
    )
    target = f"/workbench/items/{nxt}?{query}" if nxt else f"/workbench?{query}"
    return RedirectResponse(target, status_code=303)


def _decision_failed(ops: Ops, item_id: str, exc: DomainError, form: dict[str, Any]) -> Response:
    if isinstance(exc, InvalidRequest):
        field = (exc.param or "form").split("[")[0]
        return _page(
            ops,
            item_id,
            status_code=400,
            errors={field: exc.message},
            submitted=form,
            keep=_keep(form),
        )
    status = 409 if isinstance(exc, Conflict | InvalidTransition) else 400
    return _page(ops, item_id, status_code=status, banner=exc.message, keep=_keep(form))


@router.post("/workbench/items/{item_id}/approve")
async def approve_item(item_id: str, request: Request, ops: OpsUserDep) -> Response:
    form = await read_form(request)
    check_csrf(form, ops.csrf_token)
    with ops.services.sessions() as session:
        extracted = load_view(session, item_id, None).extracted
    corrections, errors = form_corrections(form, extracted)
    if errors:
        return _page(ops, item_id, status_code=400, errors=errors, submitted=form, keep=_keep(form))
    try:
        with unit_of_work(ops.services) as session:
            approve(
                session,
                item_id,
                corrections,
                scope=None,
                decider=Decider(reviewer=ops.decider_name, via=ops.via),
                public_url=ops.services.settings.public_url,
                now=ops.services.clock(),
            )
    except DomainError as exc:
        return _decision_failed(ops, item_id, exc, form)
    return _after_decision(ops, item_id, form, "approved")


@router.post("/workbench/items/{item_id}/reject")
async def reject_item(item_id: str, request: Request, ops: OpsUserDep) -> Response:
    form = await read_form(request)
    check_csrf(form, ops.csrf_token)
    try:
        with unit_of_work(ops.services) as session:
            reject(
                session,
                item_id,
                str(form.get("reason") or ""),
                scope=None,
                decider=Decider(reviewer=ops.decider_name, via=ops.via),
                now=ops.services.clock(),
            )
    except DomainError as exc:
        return _decision_failed(ops, item_id, exc, form)
    return _after_decision(ops, item_id, form, "rejected")


@router.get("/workbench/items/{item_id}/next")
def next_item(item_id: str, request: Request, ops: OpsUserDep) -> Response:
    """Skip to the next pending item without deciding this one."""
    keep = _keep(request.query_params)
    with ops.services.sessions() as session:
        try:
            current = get_item(session, item_id, None)
        except NotFound:
            current = None
        nxt = next_pending(session, current, queue_filter(keep))
    query = urlencode(keep)
    if nxt is None or nxt == item_id:
        return RedirectResponse(f"/workbench?{query}&done=empty", status_code=303)
    return RedirectResponse(f"/workbench/items/{nxt}?{query}", status_code=303)


@router.get("/workbench/items/{item_id}/pages/{number}.png")
def page_image(item_id: str, number: int, ops: OpsUserDep) -> Response:
    with ops.services.sessions() as session:
        key = load_view(session, item_id, None).alias_invoice.pdf_blob_key
    if not key:
        raise HTTPException(404)
    try:
        png = render_page_png(ops.services.blobs.get(key), number)
    except PageNotFound as exc:
        raise HTTPException(404) from exc
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=600"})
