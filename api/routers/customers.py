"""/v1/customers: the tenants an account bills."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from api import schemas
from api.context import Auth
from api.lists import ListParams, page_query, paginate
from api.metadata import MetadataParam, merge_metadata
from api.one_hop import OneHopRoute
from api.openapi import openapi_body, openapi_query
from api.params import Params
from billing.customers import (
    check_locale,
    create_customer,
    customer_json,
    delete_customer,
    find_customer,
    get_customer,
)
from billing.invoice_items import deleted_json
from models.customers import Customer
from models.scoped import select_scoped

router = APIRouter(tags=["customers"], route_class=OneHopRoute)


class CustomerCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: str | None = Field(default=None, max_length=320)
    name: str | None = Field(default=None, max_length=200)
    # The language of the tenant's emails: en, de, fr, nl, es or it (default: the document's).
    locale: str | None = Field(default=None, max_length=16)
    metadata: MetadataParam = None


class CustomerUpdate(CustomerCreate):
    """Fields left out keep their value; an empty `locale` returns to the document's language."""


class CustomerList(ListParams):
    email: str | None = None


@router.post(
    "/v1/customers", response_model=schemas.Customer, openapi_extra=openapi_body(CustomerCreate)
)
def create(ctx: Auth, params: Annotated[CustomerCreate, Params(CustomerCreate)]) -> dict[str, Any]:
    with ctx.unit_of_work() as session:
        customer = create_customer(
            session,
            ctx.account_id,
            ctx.livemode,
            email=params.email,
            name=params.name,
            metadata=merge_metadata({}, params.metadata),
            now=ctx.services.clock(),
            locale=params.locale,
        )
        return customer_json(customer)


@router.post(
    "/v1/customers/{customer_id}",
    response_model=schemas.Customer,
    openapi_extra=openapi_body(CustomerUpdate),
)
def update(
    customer_id: str, ctx: Auth, params: Annotated[CustomerUpdate, Params(CustomerUpdate)]
) -> dict[str, Any]:
    given = params.model_fields_set
    with ctx.unit_of_work() as session:
        customer = get_customer(session, ctx.account_id, ctx.livemode, customer_id)
        if "email" in given:
            customer.email = params.email or None
        if "name" in given:
            customer.name = params.name or None
        if "locale" in given:
            customer.locale = check_locale(params.locale)
        if "metadata" in given:
            customer.metadata_ = merge_metadata(customer.metadata_, params.metadata)
        session.flush()
        return customer_json(customer)


@router.get("/v1/customers/{customer_id}", response_model=schemas.Customer | schemas.Deleted)
def retrieve(customer_id: str, ctx: Auth) -> dict[str, Any]:
    """A deleted customer answers with its deleted stub, as Stripe's does."""
    customer = find_customer(ctx.session, ctx.account_id, ctx.livemode, customer_id)
    if customer.deleted_at is not None:
        return deleted_json(customer.id, "customer")
    return customer_json(customer)


@router.delete("/v1/customers/{customer_id}", response_model=schemas.Deleted)
def delete(customer_id: str, ctx: Auth) -> dict[str, Any]:
    """Gone from the API; its aliases are disabled (mail to them is refused), its invoices stay."""
    with ctx.unit_of_work() as session:
        customer = get_customer(session, ctx.account_id, ctx.livemode, customer_id)
        delete_customer(session, customer, ctx.services.clock())
    return deleted_json(customer_id, "customer")


@router.get(
    "/v1/customers",
    response_model=schemas.list_of(schemas.Customer),
    openapi_extra=openapi_query(CustomerList),
)
def list_customers(
    ctx: Auth, params: Annotated[CustomerList, Params(CustomerList)]
) -> dict[str, Any]:
    stmt = select_scoped(Customer, ctx.account_id, ctx.livemode).where(
        Customer.deleted_at.is_(None)
    )
    if params.email:
        stmt = stmt.where(Customer.email == params.email)
    return paginate(
        ctx.session,
        page_query(
            stmt,
            id_col=Customer.id,
            sort_col=Customer.created,
            params=params,
            url="/v1/customers",
            owner=(ctx.account_id, ctx.livemode),
        ),
        customer_json,
    )
