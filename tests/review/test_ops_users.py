"""Ops users: hashed passwords, roles, and the `casapay ops-users create` command."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import select

import cli
from models.db import transaction
from models.errors import Conflict, InvalidRequest
from models.ops import OpsUser
from models.services import Services
from review.ops_users import (
    LoginClient,
    authenticate,
    create_ops_user,
    hash_password,
    resolve_session,
    start_session,
    verify_password,
)

HERE = LoginClient("127.0.0.1")


def test_passwords_are_salted_scrypt_hashes() -> None:
    first, second = hash_password("correct horse battery"), hash_password("correct horse battery")
    assert first.startswith("scrypt$16384$8$1$") and first != second
    assert verify_password("correct horse battery", first)
    assert not verify_password("correct horse batterY", first)
    assert not verify_password("x", "garbage")


def test_users_roles_and_sessions(services: Services, clock: object) -> None:
    with transaction(services.sessions) as session:
        user = create_ops_user(
            session, " Maria@CasaPay.me ", "correct horse battery", "reviewer", services.clock()
        )
        assert user.email == "maria@casapay.me" and "correct" not in user.password_hash
        with pytest.raises(Conflict):
            create_ops_user(session, "maria@casapay.me", "another password", "admin", 0)
        with pytest.raises(InvalidRequest):
            create_ops_user(session, "tom@casapay.me", "short", "reviewer", 0)
        with pytest.raises(InvalidRequest):
            create_ops_user(session, "tom@casapay.me", "long enough pw", "owner", 0)
        assert authenticate(session, "maria@casapay.me", "wrong password", 0, HERE) is None
        assert authenticate(session, "nobody@casapay.me", "correct horse battery", 0, HERE) is None
        found = authenticate(session, "MARIA@casapay.me", "correct horse battery", 0, HERE)
        assert found is not None
        token = start_session(session, found, services.clock())
    with services.sessions() as session:
        logged_in = resolve_session(session, token, services.clock())
        assert logged_in is not None and logged_in.user.id == user.id
        assert resolve_session(session, token + "x", services.clock()) is None
        assert resolve_session(session, token, services.clock() + 13 * 3600) is None  # expired


@pytest.fixture
def cli_env(pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`cli.main` builds its services from the environment: point it at the test database."""
    monkeypatch.setenv("DATABASE_URL", pg_url)
    monkeypatch.setenv("CASAPAY_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CASAPAY_SECRET", "s")


def test_cli_creates_an_ops_user_reading_the_password_from_stdin(
    services: Services,
    cli_env: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery\n"))
    assert cli.main(["ops-users", "create", "root@casapay.me", "--role", "admin"]) == 0
    user_id = capsys.readouterr().out.strip()
    with services.sessions() as session:
        user = session.scalars(select(OpsUser)).one()
        assert user.id == user_id and user.role == "admin"
        assert verify_password("correct horse battery", user.password_hash)
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery\n"))
    assert cli.main(["ops-users", "create", "root@casapay.me"]) == 2
    assert "already exists" in capsys.readouterr().err


def test_cli_lists_disables_and_enables_ops_users(
    services: Services,
    cli_env: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with transaction(services.sessions) as session:
        user = create_ops_user(session, "tom@casapay.me", "correct horse battery", "reviewer", 0)
        token = start_session(session, user, services.clock())
    assert cli.main(["ops-users", "disable", "Tom@CasaPay.me"]) == 0
    with services.sessions() as session:
        # Disabled means out now: the open session no longer logs anyone in.
        assert resolve_session(session, token, services.clock()) is None
        assert authenticate(session, "tom@casapay.me", "correct horse battery", 0, HERE) is None
    capsys.readouterr()
    assert cli.main(["ops-users", "list"]) == 0
    assert capsys.readouterr().out.startswith("tom@casapay.me\treviewer\tdisabled")
    assert cli.main(["ops-users", "enable", "tom@casapay.me"]) == 0
    with services.sessions() as session:
        assert authenticate(session, "tom@casapay.me", "correct horse battery", 0, HERE) is not None
    assert cli.main(["ops-users", "disable", "nobody@casapay.me"]) == 2
    assert "No such ops user" in capsys.readouterr().err
