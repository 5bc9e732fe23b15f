"""Email aliases: the addresses tenants forward invoices to."""

from __future__ import annotations

import re
import secrets
import unicodedata
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models.customers import Customer, EmailAlias
from models.errors import InvalidRequest
from models.ids import new_id
from models.rate_limits import record_hit, retry_after
from models.scoped import get_scoped

# RFC 5321 allows more, but aliases are typed by people: keep them plain and unambiguous.
LOCAL_PART = re.compile(r"^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$")


def normalize_local_part(value: str) -> str:
    local = value.strip().lower()
    if not LOCAL_PART.match(local) or ".." in local:
        raise InvalidRequest(
            "local_part must be 1-64 characters of a-z, 0-9, '.', '_' or '-', "
            "starting and ending with a letter or digit.",
            param="local_part",
        )
    return local


def suggest_local_part(customer: Customer) -> str:
    """jane.doe from "Jane Doe" or jane.doe@example.com; tenants recognise their alias."""
    source = customer.name or (customer.email or "").split("@")[0] or "tenant"
    ascii_text = unicodedata.normalize("NFKD", source).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", ".", ascii_text.lower()).strip(".")[:40]
    return slug or "tenant"


# Addresses mail systems and people expect to reach the operator, never a tenant.
RESERVED = frozenset(
    {
        "abuse",
        "admin",
        "administrator",
        "billing",
        "hostmaster",
        "info",
        "mailer-daemon",
        "no-reply",
        "noreply",
        "postmaster",
        "root",
        "security",
        "support",
        "webmaster",
    }
)
# Explicit local parts an account may ask for per hour (taken or not). Past it, every explicit
# request answers "unavailable", so probing which addresses exist learns nothing more.
LOCAL_PART_ATTEMPTS = 30
LOCAL_PART_WINDOW = 3600
LOCAL_PART_SCOPE = "alias_local_part"


class AliasUnavailable(InvalidRequest):
    """The same answer for an address taken by another account, reserved, or asked for too
    often: which of these it is stays private (addresses cannot be enumerated across accounts)."""

    def __init__(self, local_part: str, domain: str) -> None:
        super().__init__(
            f"The address {local_part}@{domain} is not available: choose another local_part, "
            "or leave it out for a generated address.",
            code="email_alias_unavailable",
            param="local_part",
        )


def count_local_part_attempt(
    session: Session, account_id: str, local_part: str, domain: str, now: int
) -> None:
    """Counts an explicit local part request; raises AliasUnavailable past the hourly limit."""
    wait = retry_after(
        session,
        LOCAL_PART_SCOPE,
        account_id,
        limit=LOCAL_PART_ATTEMPTS,
        window=LOCAL_PART_WINDOW,
        now=now,
    )
    record_hit(session, LOCAL_PART_SCOPE, account_id, now)
    if wait:
        raise AliasUnavailable(local_part, domain)


def create_alias(
    session: Session,
    customer: Customer,
    *,
    domain: str,
    local_part: str | None,
    metadata: dict[str, str],
    now: int,
) -> EmailAlias:
    """An alias at `local_part`, or at a generated one: the tenant's name plus a random suffix,
    always, so that a generated address never reveals that the plain name is taken elsewhere."""
    explicit = local_part is not None
    base = normalize_local_part(local_part) if local_part is not None else None
    if base is not None and base in RESERVED:
        raise AliasUnavailable(base, domain)
    slug = suggest_local_part(customer)
    for _ in range(8):
        candidate = base if base is not None else f"{slug}.{secrets.token_hex(3)}"
        alias = EmailAlias(
            id=new_id("alias"),
            account_id=customer.account_id,
            livemode=customer.livemode,
            customer_id=customer.id,
            local_part=candidate,
            domain=domain,
            status="active",
            metadata_=metadata,
            created=now,
        )
        try:
            with session.begin_nested():
                session.add(alias)
                session.flush()
        except IntegrityError:
            if explicit:
                raise _taken(session, customer.account_id, candidate, domain) from None
            continue
        return alias
    raise InvalidRequest("Could not find a free address; pass local_part.", param="local_part")


def _taken(session: Session, account_id: str, local_part: str, domain: str) -> InvalidRequest:
    """Taken by this account: say so and name the alias. Taken by another: just unavailable."""
    mine = session.scalar(
        select(EmailAlias.id).where(
            EmailAlias.local_part == local_part,
            EmailAlias.domain == domain,
            EmailAlias.account_id == account_id,
        )
    )
    if mine is None:
        return AliasUnavailable(local_part, domain)
    return InvalidRequest(
        f"The address {local_part}@{domain} is already your alias {mine}.",
        code="email_alias_taken",
        param="local_part",
    )


def get_alias(session: Session, account_id: str, livemode: bool, alias_id: str) -> EmailAlias:
    return get_scoped(session, EmailAlias, "email_alias", alias_id, account_id, livemode)


def find_alias_by_address(session: Session, local_part: str, domain: str) -> EmailAlias | None:
    return session.scalar(_BY_ADDRESS, {"local_part": local_part.lower(), "domain": domain.lower()})


# Built once: every RCPT looks an alias up, and pays for binding two values, not for building
# the statement and its cache key again.
_BY_ADDRESS = select(EmailAlias).where(
    EmailAlias.local_part == bindparam("local_part"), EmailAlias.domain == bindparam("domain")
)


def alias_json(alias: EmailAlias) -> dict[str, Any]:
    return {
        "id": alias.id,
        "object": "email_alias",
        "email": alias.email,
        "local_part": alias.local_part,
        "customer": alias.customer_id,
        "status": alias.status,
        "metadata": alias.metadata_,
        "created": alias.created,
        "livemode": alias.livemode,
    }
