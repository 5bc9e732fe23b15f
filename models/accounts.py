"""Accounts (a landlord or property manager using CasaPay) and their secret API keys."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.db import Base


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # None means "use the installation default" (CASAPAY_REVIEW_THRESHOLD).
    review_threshold: Mapped[float | None] = mapped_column(Float, nullable=True)
    # Tell the tenant "we received your invoice" as soon as it arrives.
    acknowledge_receipts: Mapped[bool] = mapped_column(Boolean, default=False)
    # Payment reminders, in days relative to the due date (-3 = three days before, 0 = on the
    # day, 3 = three days after); None = the default schedule (models/notices.py).
    reminder_offsets: Mapped[list[Any] | None] = mapped_column(nullable=True)
    # Automation rules (review/rules.py Rules.to_json): limits, currencies, trusted senders.
    automation_rules: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created: Mapped[int] = mapped_column(BigInteger)


class SettingChange(Base):
    """One change of an account's threshold or rules: who, when, from → to. Append-only."""

    __tablename__ = "account_setting_changes"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(40), unique=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    setting: Mapped[str] = mapped_column(String(64))
    old_value: Mapped[Any | None] = mapped_column(JSON, nullable=True)
    new_value: Mapped[Any | None] = mapped_column(JSON, nullable=True)
    # api_key:key_… or ops_user:email — the credential that made the change.
    actor: Mapped[str] = mapped_column(String(200))
    created: Mapped[int] = mapped_column(BigInteger)


class ApiKey(Base):
    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    livemode: Mapped[bool] = mapped_column(Boolean)
    # SHA-256 of the full key: keys carry 190 bits of entropy, so a slow hash adds nothing.
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    last4: Mapped[str] = mapped_column(String(4))
    created: Mapped[int] = mapped_column(BigInteger)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
