"""The invoice state machine, as a table: which action is allowed from which status.

draft -> open (finalize); open -> paid | void | uncollectible; uncollectible -> paid | void;
paid and void are final. Pure: it names the rule, the callers apply it.
"""

from __future__ import annotations

from models.errors import DomainError, InvalidTransition

STATUSES = ("draft", "open", "paid", "void", "uncollectible")

# action -> (statuses it is allowed from, status it leads to; None = stays / object deleted)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "finalize": (("draft",), "open"),
    "delete": (("draft",), None),
    "send": (("open",), None),
    "pay": (("open", "uncollectible"), "paid"),
    "void": (("open", "uncollectible"), "void"),
    "mark_uncollectible": (("open",), "uncollectible"),
}


def check_transition(action: str, invoice_id: str, status: str) -> str | None:
    """The status the action leads to; raises status_transition_invalid naming the allowed ones."""
    allowed, target = TRANSITIONS[action]
    if status not in allowed:
        raise InvalidTransition.build(
            action.replace("_", " "), "invoice", invoice_id, status, allowed
        )
    return target


class InvoiceNotEditable(DomainError):
    code = "invoice_not_editable"


def check_editable(invoice_id: str, status: str) -> None:
    """Fields and items change only while the invoice is a draft (Stripe locks finalized money)."""
    if status != "draft":
        raise InvoiceNotEditable(
            f"Invoice {invoice_id} is {status} and can no longer be edited; "
            "only draft invoices can be changed."
        )
