"""CasaPay ops staff (installation-wide, not per account) and their workbench sessions."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from models.db import Base

OPS_ROLES = ("reviewer", "admin")


class OpsUser(Base):
    __tablename__ = "ops_users"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    # "scrypt$n$r$p$salt$hash" (base64): the parameters travel with the hash so they can grow.
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(16))  # reviewer | admin
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    last_login_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    created: Mapped[int] = mapped_column(BigInteger)


class OpsSession(Base):
    """A logged-in browser; only a hash of the cookie's token is stored."""

    __tablename__ = "ops_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("ops_users.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created: Mapped[int] = mapped_column(BigInteger)
    expires_at: Mapped[int] = mapped_column(BigInteger)
