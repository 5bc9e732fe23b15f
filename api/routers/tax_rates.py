"""/v1/tax_rates: the percentages invoices and items refer to (create, retrieve, list)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from api.billing_params import ExpandOnly
from api.billing_schemas import TaxRateOut, documented, list_of
from api.context import Auth
from api.expand import expansions
from api.lists import ListParams, paginate
from api.metadata import MetadataParam, merge_metadata
from api.params import parse_model, read_params
from billing.money import check_percentage
from billing.tax_rates import create_tax_rate, get_tax_rate, tax_rate_json
from models.invoices import TaxRate
from models.scoped import select_scoped

router = APIRouter(tags=["tax_rates"])

RateId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_]{1,64}$")]
NOTHING: frozenset[str] = frozenset()


class TaxRateCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    display_name: Annotated[str, Field(min_length=1, max_length=100)]
    percentage: Annotated[
        float, Field(ge=0, le=100, allow_inf_nan=False), AfterValidator(check_percentage)
    ]
    inclusive: bool
    jurisdiction: Annotated[str, Field(max_length=100)] | None = None
    metadata: MetadataParam = None
    expand: list[str] | None = None


class TaxRateList(ListParams):
    inclusive: bool | None = None


@router.post("/v1/tax_rates", openapi_extra=documented(TaxRateOut, body=TaxRateCreate))
async def create(request: Request, ctx: Auth) -> dict[str, Any]:
    raw, stringly = await read_params(request)
    params = parse_model(TaxRateCreate, raw, stringly=stringly)
    expansions(params.expand, NOTHING)
    with ctx.unit_of_work() as session:
        rate = create_tax_rate(
            session,
            account_id=ctx.account_id,
            livemode=ctx.livemode,
            display_name=params.display_name,
            percentage=params.percentage,
            inclusive=params.inclusive,
            jurisdiction=params.jurisdiction,
            metadata=merge_metadata({}, params.metadata),
            now=ctx.services.clock(),
        )
        return tax_rate_json(rate)


@router.get("/v1/tax_rates/{rate_id}", openapi_extra=documented(TaxRateOut, query=ExpandOnly))
async def retrieve(rate_id: RateId, request: Request, ctx: Auth) -> dict[str, Any]:
    raw, _ = await read_params(request)
    expansions(parse_model(ExpandOnly, raw, stringly=True).expand, NOTHING)
    with ctx.services.sessions() as session:
        return tax_rate_json(get_tax_rate(session, ctx.account_id, ctx.livemode, rate_id))


@router.get("/v1/tax_rates", openapi_extra=documented(list_of(TaxRateOut), query=TaxRateList))
async def list_rates(request: Request, ctx: Auth) -> dict[str, Any]:
    raw, _ = await read_params(request)
    params = parse_model(TaxRateList, raw, stringly=True)
    expansions(params.expand, NOTHING, is_list=True)
    stmt = select_scoped(TaxRate, ctx.account_id, ctx.livemode)
    if params.inclusive is not None:
        stmt = stmt.where(TaxRate.inclusive == params.inclusive)
    with ctx.services.sessions() as session:
        return paginate(
            session,
            stmt,
            id_col=TaxRate.id,
            sort_col=TaxRate.created,
            params=params,
            url="/v1/tax_rates",
            render=tax_rate_json,
        )
