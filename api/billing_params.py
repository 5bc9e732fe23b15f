"""Parameter types shared by the invoice, invoice item and tax rate endpoints.

Bounds are part of the contract (and of the OpenAPI document): amounts stay far inside a 64-bit
column, so no input can overflow the database and turn into a 500.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

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


def schema_for(model: type[BaseModel]) -> dict[str, Any]:
    from api.params import inline_refs

    return inline_refs(model.model_json_schema())
