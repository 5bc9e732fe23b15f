"""CasaPay ops staff: scrypt-hashed passwords, roles, and workbench login sessions.

Only hashes are stored: of the password (scrypt, salted, parameters kept with the hash) and of
the session token (SHA-256; a 256-bit random token needs no slow hash).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from models.errors import Conflict, DomainError, InvalidRequest, NotFound
from models.ids import new_id
from models.ops import OPS_ROLES, OpsSession, OpsUser
from models.rate_limits import record_hit, retry_after

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
SESSION_TTL = 12 * 3600  # one working day; then log in again
MIN_PASSWORD = 10
# Guessing is slowed to a crawl, without letting a stranger lock a reviewer out: wrong passwords
# are limited per client address, per account from devices it never logged in from, and per
# device it did log in from (15-minute sliding windows).
FAILURE_WINDOW = 15 * 60
CLIENT_FAILURES = 20
UNKNOWN_DEVICE_FAILURES = 10
DEVICE_FAILURES = 10


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32
    )
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            password.encode(),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
        )
    except ValueError:
        return False
    return hmac.compare_digest(actual, expected)


# Compared against when the email is unknown, so a wrong email costs as long as a wrong password.
_DUMMY_HASH = hash_password("not-a-password", salt=b"\0" * 16)


def normalise_email(email: str) -> str:
    email = email.strip().lower()
    if "@" not in email or len(email) > 320 or " " in email:
        raise InvalidRequest(f"Invalid email: {email!r}.", param="email")
    return email


def create_ops_user(session: Session, email: str, password: str, role: str, now: int) -> OpsUser:
    email = normalise_email(email)
    if role not in OPS_ROLES:
        raise InvalidRequest(
            f"Invalid role: {role!r}; use one of {', '.join(OPS_ROLES)}.", param="role"
        )
    if len(password) < MIN_PASSWORD:
        raise InvalidRequest(
            f"The password must have at least {MIN_PASSWORD} characters.", param="password"
        )
    if session.scalar(select(OpsUser.id).where(OpsUser.email == email)):
        raise Conflict(f"An ops user with email {email} already exists.", code="ops_user_exists")
    user = OpsUser(
        id=new_id("opsu", 16),
        email=email,
        password_hash=hash_password(password),
        role=role,
        disabled=False,
        created=now,
    )
    session.add(user)
    session.flush()
    return user


class LoginThrottled(DomainError):
    code = "login_throttled"

    def __init__(self, retry_after: int) -> None:
        minutes = max(1, -(-retry_after // 60))
        super().__init__(f"Too many wrong passwords. Try again in {minutes} minute(s).")
        self.retry_after = retry_after


@dataclass(frozen=True)
class LoginClient:
    """Who is knocking: the client's address, and the device it proved it logged in from before
    (a signed cookie the HTTP edge verified), if any."""

    address: str
    device_user_id: str | None = None
    device_id: str | None = None


def _buckets(client: LoginClient, email: str, user: OpsUser | None) -> list[tuple[str, str, int]]:
    """Rate limits that apply to this attempt: (scope, key, limit).

    A device the user has logged in from is limited on its own, so strangers guessing the
    password (limited per address, and together per account) can never lock the user out.
    """
    if user is not None and client.device_id and client.device_user_id == user.id:
        return [("login_device", client.device_id, DEVICE_FAILURES)]
    return [
        ("login_client", client.address, CLIENT_FAILURES),
        ("login_account", email, UNKNOWN_DEVICE_FAILURES),
    ]


def authenticate(
    session: Session, email: str, password: str, now: int, client: LoginClient
) -> OpsUser | None:
    """The user for these credentials, or None; raises LoginThrottled while a limit holds.

    Failures are counted in the caller's transaction, so it must commit on None.
    """
    email = email.strip().lower()[:320]
    user = session.scalar(select(OpsUser).where(OpsUser.email == email))
    buckets = _buckets(client, email, user)
    for scope, key, limit in buckets:
        wait = retry_after(session, scope, key, limit=limit, window=FAILURE_WINDOW, now=now)
        if wait:
            raise LoginThrottled(wait)
    if user is None:
        verify_password(password, _DUMMY_HASH)
    if user is None or not verify_password(password, user.password_hash) or user.disabled:
        for scope, key, _ in buckets:
            record_hit(session, scope, key, now)
        return None
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class LoggedIn:
    user: OpsUser
    csrf_token: str


def start_session(session: Session, user: OpsUser, now: int) -> str:
    """A new session; returns the cookie's token (shown once, stored hashed)."""
    token = secrets.token_urlsafe(32)
    session.add(
        OpsSession(
            token_hash=_token_hash(token),
            user_id=user.id,
            csrf_token=secrets.token_urlsafe(32),
            created=now,
            expires_at=now + SESSION_TTL,
        )
    )
    user.last_login_at = now
    # Expired sessions of this user are cleaned up as they log in again.
    session.execute(
        delete(OpsSession).where(OpsSession.user_id == user.id, OpsSession.expires_at < now)
    )
    session.flush()
    return token


def resolve_session(session: Session, token: str | None, now: int) -> LoggedIn | None:
    if not token:
        return None
    found = session.get(OpsSession, _token_hash(token))
    if found is None or found.expires_at < now:
        return None
    user = session.get(OpsUser, found.user_id)
    if user is None or user.disabled:
        return None
    return LoggedIn(user=user, csrf_token=found.csrf_token)


def end_session(session: Session, token: str | None) -> None:
    if token:
        session.execute(delete(OpsSession).where(OpsSession.token_hash == _token_hash(token)))


def list_ops_users(session: Session) -> list[OpsUser]:
    return list(session.scalars(select(OpsUser).order_by(OpsUser.email)))


def set_disabled(session: Session, email: str, disabled: bool) -> OpsUser:
    """Staff who leave lose access at once: disabling also ends their open sessions."""
    user = session.scalar(select(OpsUser).where(OpsUser.email == normalise_email(email)))
    if user is None:
        raise NotFound(f"No such ops user: '{email}'", param="email")
    user.disabled = disabled
    if disabled:
        session.execute(delete(OpsSession).where(OpsSession.user_id == user.id))
    session.flush()
    return user
