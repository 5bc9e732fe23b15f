"""Parameter types shared by the invoice, invoice item and tax rate endpoints.

Bounds are part of the contract (and of the OpenAPI document): amounts stay far inside a 64-bit
column, so no input can overflow the database and turn into a 500.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from api.errors import ApiError
from api.metadata import MetadataParam
from billing.money import MAX_QUANTITY
from models import currencies
from models.currencies import MAX_AMOUNT

Amount = Annotated[int, Field(ge=-MAX_AMOUNT, le=MAX_AMOUNT)]


def _known_currency(code: str) -> str:
    """ISO 4217 codes of the money table; anything else is a 400 naming the parameter."""
    return currencies.get(code).code


Currency = Annotated[
    str,
    Field(pattern=r"^[A-Za-z]{3}$", description="ISO 4217 code"),
    AfterValidator(_known_currency),
]
Quantity = Annotated[int, Field(ge=1, le=MAX_QUANTITY)]
Timestamp = Annotated[int, Field(ge=0, le=253_402_300_799)]
Description = Annotated[str, Field(max_length=5000)]
ObjectId = Annotated[str, Field(min_length=1, max_length=255)]
# A list of tax rate ids; "" clears the list (how Stripe clients send an empty array).
TaxRateIds = Annotated[list[ObjectId], Field(max_length=5)] | Literal[""]


def rate_list(value: list[str] | Literal[""] | None) -> list[str]:
    return list(value) if isinstance(value, list) else []


class LineItemParams(BaseModel):
    """A line of POST /v1/invoices. `amount` is the price of one unit; the line is x quantity."""

    model_config = ConfigDict(extra="forbid")

    description: Description
    amount: Amount
    currency: Currency
    quantity: Quantity = 1
    tax_rates: TaxRateIds | None = None
    metadata: MetadataParam = None


class ExpandOnly(BaseModel):
    """Bodies of the action endpoints (finalize, send, void, …): only `expand`."""

    model_config = ConfigDict(extra="forbid")

    expand: list[str] | None = None


class StripeInvoiceOptions(BaseModel):
    """Stripe's common invoice parameters, accepted where they mean something here.

    CasaPay invoices are always `send_invoice` (the tenant pays through the hosted page or the
    payment link) and never advance by themselves (finalize them explicitly); the values that
    say so are accepted, the others are refused with a 400 that says why. `days_until_due`
    sets `due_date` from now; `default_tax_rates` is Stripe's name for the invoice's `tax_rates`.
    """

    collection_method: Literal["send_invoice", "charge_automatically"] | None = None
    auto_advance: bool | None = None
    days_until_due: Annotated[int, Field(ge=0, le=3650)] | None = None
    default_tax_rates: TaxRateIds | None = None


def check_stripe_options(options: StripeInvoiceOptions) -> None:
    if options.collection_method == "charge_automatically":
        raise ApiError(
            400,
            "CasaPay invoices are paid by the tenant through the hosted page or the payment "
            "link: use collection_method=send_invoice (charging a stored payment method is not "
            "supported).",
            code="parameter_invalid",
            param="collection_method",
        )
    if options.auto_advance:
        raise ApiError(
            400,
            "CasaPay never finalizes invoices by itself: pass auto_advance=false (or leave it "
            "out) and call POST /v1/invoices/:id/finalize.",
            code="parameter_invalid",
            param="auto_advance",
        )


def due_date_from(options: StripeInvoiceOptions, due_date: int | None, now: int) -> int | None:
    if options.days_until_due is None:
        return due_date
    if due_date is not None:
        raise ApiError(
            400,
            "You may only specify one of these parameters: due_date, days_until_due.",
            code="parameters_exclusive",
        )
    return now + options.days_until_due * 86400


def tax_rates_from(
    options: StripeInvoiceOptions, tax_rates: list[str] | Literal[""] | None
) -> list[str] | Literal[""] | None:
    if options.default_tax_rates is None:
        return tax_rates
    if tax_rates is not None:
        raise ApiError(
            400,
            "You may only specify one of these parameters: tax_rates, default_tax_rates.",
            code="parameters_exclusive",
        )
    return options.default_tax_rates
