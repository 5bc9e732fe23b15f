"""The workbench page of one account's automation rules, and the audit of its settings."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from api.workbench.session import Ops, OpsUserDep, check_csrf, read_form, render
from models import currencies
from models.accounts import Account
from models.db import transaction
from models.errors import InvalidRequest, NotFound
from review.account_rules import change_json, setting_changes, update_settings
from review.rules import Rules

router = APIRouter(include_in_schema=False)


def _form_values(rules: Rules) -> dict[str, str]:
    """The rules as the form shows them: amounts in major units, one line per entry."""
    return {
        "max_auto_amount": "\n".join(
            f"{code.upper()} {currencies.format_plain(amount, code)}"
            for code, amount in sorted(rules.max_auto_amount.items())
        ),
        "allowed_currencies": ", ".join(c.upper() for c in rules.allowed_currencies),
        "trusted_senders": "\n".join(
            f"{alias}: {', '.join(entries)}" for alias, entries in rules.trusted_senders.items()
        ),
    }


def _parse(form: dict[str, Any]) -> dict[str, Any]:
    """The form's text back into rule values; InvalidRequest names the line that is wrong."""
    limits: dict[str, int] = {}
    for line in str(form.get("max_auto_amount") or "").splitlines():
        if not line.strip():
            continue
        code, _, amount = line.strip().partition(" ")
        try:
            limits[code.lower()] = currencies.parse_amount(amount, code)
        except ValueError as exc:
            raise InvalidRequest(
                f"Largest amount: {line.strip()!r} is not 'CURRENCY amount' ({exc}).",
                param="max_auto_amount",
            ) from exc
    trusted: dict[str, list[str]] = {}
    for line in str(form.get("trusted_senders") or "").splitlines():
        if not line.strip():
            continue
        alias, _, entries = line.partition(":")
        trusted[alias.strip()] = [e for e in re.split(r"[\s,]+", entries) if e]
    codes = [c for c in re.split(r"[\s,]+", str(form.get("allowed_currencies") or "")) if c]
    return {
        "max_auto_amount": limits,
        "allowed_currencies": codes,
        "trusted_senders": trusted,
        "first_invoice_from_vendor_review": form.get("first_invoice_from_vendor_review") == "on",
        "first_time_sender_review": form.get("first_time_sender_review") == "on",
    }


def _page(ops: Ops, account_id: str, *, error: str | None = None, saved: bool = False) -> Response:
    with ops.services.sessions() as session:
        account = session.get(Account, account_id)
        if account is None:
            raise NotFound.for_id("account", account_id)
        rules = Rules.from_json(account.automation_rules)
        changes = [change_json(c) for c in setting_changes(session, account_id)]
    return render(
        "rules.html",
        status_code=400 if error else 200,
        ops=ops,
        account=account,
        rules=rules,
        values=_form_values(rules),
        changes=changes,
        error=error,
        saved=saved,
    )


@router.get("/workbench/settings/{account_id}/rules")
def rules_page(account_id: str, request: Request, ops: OpsUserDep) -> Response:
    return _page(ops, account_id, saved=bool(request.query_params.get("saved")))


@router.post("/workbench/settings/{account_id}/rules")
async def save_rules(account_id: str, request: Request, ops: OpsUserDep) -> Response:
    form = await read_form(request)
    check_csrf(form, ops.csrf_token)
    if ops.user.role != "admin":
        raise HTTPException(403, "Only admins change automation rules.")
    try:
        with transaction(ops.services.sessions) as session:
            update_settings(
                session, account_id, actor=ops.via, now=ops.services.clock(), rules=_parse(form)
            )
    except InvalidRequest as exc:
        return _page(ops, account_id, error=exc.message)
    return RedirectResponse(f"/workbench/settings/{account_id}/rules?saved=1", status_code=303)
