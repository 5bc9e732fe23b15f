"""/v1/tax_rates: the percentages invoices and items refer to (create, retrieve, list)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from api import schemas
from api.billing_params import ExpandOnly
from api.context import Auth
from api.expand import expansions
from api.lists import ListParams, page_query, paginate
from api.metadata import MetadataParam, merge_metadata
from api.one_hop import OneHopRoute
from api.openapi import openapi_body, openapi_query
from api.params import Params
from billing.money import check_percentage
from billing.tax_rates import create_tax_rate, get_tax_rate, tax_rate_json
from models.invoices import TaxRate
from models.scoped import select_scoped

router = APIRouter(tags=["tax_rates"], route_class=OneHopRoute)

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


@router.post(
    "/v1/tax_rates", response_model=schemas.TaxRate, openapi_extra=openapi_body(TaxRateCreate)
)
def create(ctx: Auth, params: Annotated[TaxRateCreate, Params(TaxRateCreate)]) -> dict[str, Any]:
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


@router.get(
    "/v1/tax_rates/{rate_id}",
    response_model=schemas.TaxRate,
    openapi_extra=openapi_query(ExpandOnly),
)
def retrieve(
    rate_id: RateId, ctx: Auth, params: Annotated[ExpandOnly, Params(ExpandOnly)]
) -> dict[str, Any]:
    expansions(params.expand, NOTHING)
    return tax_rate_json(get_tax_rate(ctx.session, ctx.account_id, ctx.livemode, rate_id))


@router.get(
    "/v1/tax_rates",
    response_model=schemas.list_of(schemas.TaxRate),
    openapi_extra=openapi_query(TaxRateList),
)
def list_rates(ctx: Auth, params: Annotated[TaxRateList, Params(TaxRateList)]) -> dict[str, Any]:
    expansions(params.expand, NOTHING, is_list=True)
    stmt = select_scoped(TaxRate, ctx.account_id, ctx.livemode)
    if params.inclusive is not None:
        stmt = stmt.where(TaxRate.inclusive == params.inclusive)
    return paginate(
        ctx.session,
        page_query(
            stmt,
            id_col=TaxRate.id,
            sort_col=TaxRate.created,
            params=params,
            url="/v1/tax_rates",
            owner=(ctx.account_id, ctx.livemode),
        ),
        tax_rate_json,
    )
