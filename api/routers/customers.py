"""/v1/customers: the tenants an account bills."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from api.context import Auth
from api.lists import ListParams, paginate
from api.metadata import MetadataParam, merge_metadata
from api.params import openapi_body, openapi_query, parse_model, read_params
from billing.customers import create_customer, customer_json, get_customer
from models.customers import Customer
from models.scoped import select_scoped

router = APIRouter(tags=["customers"])


class CustomerCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: str | None = Field(default=None, max_length=320)
    name: str | None = Field(default=None, max_length=200)
    metadata: MetadataParam = None


class CustomerList(ListParams):
    email: str | None = None


@router.post("/v1/customers", openapi_extra=openapi_body(CustomerCreate))
async def create(request: Request, ctx: Auth) -> dict[str, Any]:
    raw, stringly = await read_params(request)
    params = parse_model(CustomerCreate, raw, stringly=stringly)
    with ctx.unit_of_work() as session:
        customer = create_customer(
            session,
            ctx.account_id,
            ctx.livemode,
            email=params.email,
            name=params.name,
            metadata=merge_metadata({}, params.metadata),
            now=ctx.services.clock(),
        )
        return customer_json(customer)


@router.get("/v1/customers/{customer_id}")
def retrieve(customer_id: str, ctx: Auth) -> dict[str, Any]:
    with ctx.services.sessions() as session:
        return customer_json(get_customer(session, ctx.account_id, ctx.livemode, customer_id))


@router.get("/v1/customers", openapi_extra=openapi_query(CustomerList))
async def list_customers(request: Request, ctx: Auth) -> dict[str, Any]:
    raw, _ = await read_params(request)
    params = parse_model(CustomerList, raw, stringly=True)
    stmt = select_scoped(Customer, ctx.account_id, ctx.livemode)
    if params.email:
        stmt = stmt.where(Customer.email == params.email)
    with ctx.services.sessions() as session:
        return paginate(
            session,
            stmt,
            id_col=Customer.id,
            sort_col=Customer.created,
            params=params,
            url="/v1/customers",
            render=customer_json,
        )
