"""Who sent a mail, as far as SPF, DKIM and DMARC can tell, and whether that is a spoofing risk.

Landlords mail the alias directly and tenants forward from their own mailbox; both are fine when
their From domain authenticates. The verdict (`sender_auth` on the alias invoice):
- `pass`: DMARC passes, or the domain has no DMARC policy but an aligned DKIM signature or an
  aligned SPF pass vouches for it;
- `fail`: DMARC fails, or there is no policy and nothing aligned passes (or no From domain);
- `temperror`: a DNS answer needed for the verdict could not be had;
- `none`: not checked (`CASAPAY_SENDER_AUTH=off`, the embedded default: works offline).
With `CASAPAY_SENDER_AUTH=enforce` a `fail` or `temperror` is held for review
(`sender_not_authenticated`); `check` records without holding.
"""

from __future__ import annotations

from typing import Any

from authres import (
    AuthenticationResultsHeader,
    DKIMAuthenticationResult,
    SPFAuthenticationResult,
)
from authres.dmarc import DMARCAuthenticationResult

from ingest.sender_auth.checks import aligned, check_dkim, check_spf, dmarc_policy
from ingest.sender_auth.dns import DnsTempError, Resolver

AUTHSERV_ID = "mx.casapay.me"
HELD_VERDICTS = ("fail", "temperror")


def not_checked() -> dict[str, Any]:
    return {
        "verdict": "none",
        "enforced": False,
        "from_domain": None,
        "aligned_domain": None,
        "spf": "none",
        "dkim": "none",
        "dmarc": "none",
        "dmarc_policy": None,
        "authentication_results": None,
    }


def authenticate(
    resolver: Resolver,
    raw: bytes,
    *,
    ip: str,
    helo: str,
    mail_from: str,
    from_domain: str | None,
    enforced: bool,
) -> dict[str, Any]:
    """Check the message and give the `sender_auth` record (blocking: DNS; run it in a thread)."""
    try:
        spf_result, spf_domain = check_spf(resolver, ip, mail_from, helo)
    except DnsTempError:
        spf_result, spf_domain = "temperror", None
    signatures = check_dkim(resolver, raw)
    passing = [s.domain for s in signatures if s.result == "pass"]
    dkim = "pass" if passing else signatures[0].result if signatures else "none"
    dmarc, policy, aligned_domain = "none", None, None
    if from_domain:
        try:
            record = dmarc_policy(resolver, from_domain)
        except DnsTempError:
            record, dmarc = None, "temperror"
        adkim = (record or {}).get("adkim", "r")
        aspf = (record or {}).get("aspf", "r")
        aligned_domain = next((d for d in passing if aligned(d, from_domain, adkim)), None)
        if (
            aligned_domain is None
            and spf_result == "pass"
            and aligned(spf_domain, from_domain, aspf)
        ):
            aligned_domain = spf_domain
        if record is not None:
            policy = record["p"]
            dmarc = "pass" if aligned_domain else "fail"
    verdict = _verdict(from_domain, dmarc, aligned_domain, spf_result, dkim)
    results = _authentication_results(spf_result, mail_from, signatures, dmarc, from_domain, policy)
    return {
        "verdict": verdict,
        "enforced": enforced,
        "from_domain": from_domain,
        "aligned_domain": aligned_domain,
        "spf": spf_result,
        "dkim": dkim,
        "dmarc": dmarc,
        "dmarc_policy": policy,
        "authentication_results": results,
    }


def _verdict(
    from_domain: str | None, dmarc: str, aligned_domain: str | None, spf: str, dkim: str
) -> str:
    if not from_domain:
        return "fail"
    if dmarc in ("pass", "fail", "temperror"):
        return dmarc
    if aligned_domain:
        return "pass"  # no DMARC policy, but an aligned DKIM signature or SPF pass
    if "temperror" in (spf, dkim):
        return "temperror"
    return "fail"


def _authentication_results(
    spf: str,
    mail_from: str,
    signatures: list[Any],
    dmarc: str,
    from_domain: str | None,
    policy: str | None,
) -> str:
    """The RFC 8601 header our checks amount to, kept with the record for people and tools."""
    results: list[Any] = [SPFAuthenticationResult(result=spf, smtp_mailfrom=mail_from or None)]
    results += [
        DKIMAuthenticationResult(result=s.result, header_d=s.domain, header_s=s.selector)
        for s in signatures
    ] or [DKIMAuthenticationResult(result="none")]
    results.append(DMARCAuthenticationResult(result=dmarc, header_from=from_domain, policy=policy))
    return str(AuthenticationResultsHeader(authserv_id=AUTHSERV_ID, results=results))
