"""The `casapay` command and the composition root of every process it starts."""

from __future__ import annotations

import argparse
import gc
import logging
import signal
import sys
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from models.services import Services

log = logging.getLogger("casapay")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    from models.logs import configure

    configure(role=args.command)
    result: int = args.run(args)
    return result


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="casapay", description=__doc__)
    sub = parser.add_subparsers(required=True, metavar="COMMAND", dest="command")

    cmd = sub.add_parser("serve", help="API + SMTP + worker in one process (embedded defaults)")
    cmd.set_defaults(run=_serve)
    cmd = sub.add_parser("api", help="the HTTP API")
    cmd.set_defaults(run=_api)
    cmd = sub.add_parser("smtp", help="the SMTP receiver")
    cmd.set_defaults(run=_smtp)
    cmd = sub.add_parser("worker", help="the pipeline workers and the sweeper")
    cmd.set_defaults(run=_worker)
    cmd = sub.add_parser("migrate", help="bring the database schema up to date")
    cmd.set_defaults(run=_migrate)

    accounts = sub.add_parser("accounts", help="accounts (landlords, property managers)")
    accounts_sub = accounts.add_subparsers(required=True)
    cmd = accounts_sub.add_parser("create", help="print the new account's id alone on stdout")
    cmd.add_argument("--name", default="CasaPay account")
    cmd.set_defaults(run=_accounts_create)
    cmd = accounts_sub.add_parser("list", help="every account: id, name, keys")
    cmd.set_defaults(run=_accounts_list)

    keys = sub.add_parser("keys", help="secret API keys").add_subparsers(required=True)
    cmd = keys.add_parser("create", help="print a new secret key alone on stdout")
    cmd.add_argument("--live", action="store_true", help="a live-mode key (sk_live_...)")
    cmd.add_argument("--account", help="account id (default: the first account, made if none)")
    cmd.set_defaults(run=_keys_create)

    cmd = sub.add_parser("extract", help="extract invoice fields from PDFs")
    cmd.add_argument("paths", nargs="+")
    cmd.add_argument("--json", action="store_true", help="one JSON object per PDF")
    cmd.add_argument("--no-xml", action="store_true", help="ignore embedded e-invoice XML")
    cmd.set_defaults(run=_extract)

    cmd = sub.add_parser("eval", help="score the extractor against *.truth.json files")
    cmd.add_argument("directory")
    cmd.add_argument("--json", action="store_true")
    cmd.add_argument("--xml", choices=["both", "with", "without"], default="both")
    cmd.add_argument("--threshold", type=float, default=0.7)
    cmd.add_argument(
        "--calibration",
        action="store_true",
        help="reliability table (confidence bins vs observed accuracy) on held-out families",
    )
    cmd.add_argument("--jobs", type=int, default=1, help="worker processes (OCR is CPU-bound)")
    cmd.set_defaults(run=_eval)

    ops = sub.add_parser("ops-users", help="review workbench staff").add_subparsers(required=True)
    cmd = ops.add_parser("create", help="create an ops user; the password is read from stdin")
    cmd.add_argument("email")
    cmd.add_argument("--role", choices=["reviewer", "admin"], default="reviewer")
    cmd.add_argument("--password", help="instead of stdin (visible in the process list)")
    cmd.set_defaults(run=_ops_users_create)
    cmd = ops.add_parser("list", help="every ops user with role and state")
    cmd.set_defaults(run=_ops_users_list)
    for name, disabled in (("disable", True), ("enable", False)):
        cmd = ops.add_parser(name, help=f"{name} an ops user (disabling ends their sessions)")
        cmd.add_argument("email")
        cmd.set_defaults(run=_ops_users_set_disabled, disabled=disabled)
    return parser


def _ops_users_create(args: argparse.Namespace) -> int:
    import getpass

    from models.db import transaction
    from models.errors import DomainError
    from review.ops_users import create_ops_user

    password = args.password
    if password is None:
        tty = sys.stdin.isatty()
        password = getpass.getpass("Password: ") if tty else sys.stdin.readline().rstrip("\n")
    services = _services(migrate_embedded=True)
    try:
        with transaction(services.sessions) as session:
            user = create_ops_user(session, args.email, password, args.role, services.clock())
    except DomainError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    print(user.id)
    return 0


def _ops_users_list(_args: argparse.Namespace) -> int:
    from review.ops_users import list_ops_users

    services = _services(migrate_embedded=True)
    with services.sessions() as session:
        for user in list_ops_users(session):
            state = "disabled" if user.disabled else "active"
            print(f"{user.email}\t{user.role}\t{state}\tlast login {user.last_login_at or '-'}")
    return 0


def _ops_users_set_disabled(args: argparse.Namespace) -> int:
    from models.db import transaction
    from models.errors import DomainError
    from review.ops_users import set_disabled

    services = _services(migrate_embedded=True)
    try:
        with transaction(services.sessions) as session:
            set_disabled(session, args.email, args.disabled)
    except DomainError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    return 0


def _services(*, migrate_embedded: bool = False) -> Services:
    from models.migrate import upgrade
    from models.services import build_services
    from models.settings import load_settings

    settings = load_settings()
    if migrate_embedded and settings.database_url.startswith("sqlite"):
        upgrade(settings.database_url)  # embedded mode: a fresh data dir just works
    return build_services(settings)


def _migrate(_args: argparse.Namespace) -> int:
    from models.migrate import upgrade
    from models.settings import load_settings

    upgrade(load_settings().database_url)
    log.info("database schema is up to date")
    return 0


def _accounts_create(args: argparse.Namespace) -> int:
    from models.db import transaction
    from models.keys import create_account

    services = _services(migrate_embedded=True)
    with transaction(services.sessions) as session:
        account = create_account(session, args.name, services.clock())
    print(account.id)
    return 0


def _accounts_list(_args: argparse.Namespace) -> int:
    from sqlalchemy import func, select

    from models.accounts import Account, ApiKey

    services = _services(migrate_embedded=True)
    with services.sessions() as session:
        keys = dict(
            session.execute(
                select(ApiKey.account_id, func.count())
                .where(ApiKey.revoked.is_(False))
                .group_by(ApiKey.account_id)
            ).all()
        )
        for account in session.scalars(select(Account).order_by(Account.created, Account.id)):
            print(f"{account.id}\t{account.name}\t{keys.get(account.id, 0)} key(s)")
    return 0


def _keys_create(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from models.accounts import Account
    from models.db import transaction
    from models.keys import create_account, create_key

    services = _services(migrate_embedded=True)
    with transaction(services.sessions) as session:
        if args.account:
            account = session.get(Account, args.account)
            if account is None:
                print(f"no such account: {args.account}", file=sys.stderr)
                return 2
        else:
            account = session.scalars(select(Account).order_by(Account.created)).first()
            account = account or create_account(session, "CasaPay account", services.clock())
        secret = create_key(session, account.id, livemode=args.live, now=services.clock())
    print(secret)
    return 0


def _extract(args: argparse.Namespace) -> int:
    from extract.cli_commands import run_extract

    return run_extract(args.paths, as_json=args.json, use_xml=not args.no_xml)


def _eval(args: argparse.Namespace) -> int:
    from extract.cli_commands import run_eval

    return run_eval(
        args.directory,
        as_json=args.json,
        use_xml=args.xml,
        threshold=args.threshold,
        calibration=args.calibration,
        jobs=args.jobs,
    )


def _api(_args: argparse.Namespace) -> int:
    import uvicorn

    from models.metrics import shared_by
    from models.settings import load_settings

    settings = load_settings()
    # One process is one core: CASAPAY_API_WORKERS processes share the port; each builds its own
    # services through api_app (uvicorn needs an import string to start them). A scrape reaches
    # one of them, so they keep their metrics in a directory every scrape sums.
    with shared_by(settings.api_workers):
        uvicorn.run(
            "cli:api_app",
            factory=True,
            workers=settings.api_workers,
            host=settings.api_host,
            port=settings.api_port,
            **UVICORN_OPTIONS,
        )
    return 0


# uvloop and httptools (the fast event loop and HTTP parser); access lines off (every response
# carries a Request-Id), warnings and errors on.
UVICORN_OPTIONS: dict[str, Any] = {
    "loop": "uvloop",
    "http": "httptools",
    "log_level": "info",
    "access_log": False,
    "log_config": None,  # uvicorn's lines go through the process's formatter (models.logs)
}


def api_app() -> Any:
    """The API application of one `casapay api` worker process."""
    from api.app import create_app
    from models.logs import configure

    configure(role="api")  # a spawned worker process starts with Python's default logging
    app = create_app(_services())
    # What is alive now (modules, the app, its schemas: 170,000 objects) lives as long as the
    # process. Frozen, the cyclic collector stops walking it: its full collections, every few
    # seconds under load, had stopped every request for 50-140 ms and made the API's p99.
    gc.collect()
    gc.freeze()
    return app


def _smtp(_args: argparse.Namespace) -> int:
    from ingest.server import start_smtp
    from models.metrics import serve_port

    services = _services()
    settings = services.settings
    controller = start_smtp(services)
    exporter = serve_port(settings.metrics_host, settings.smtp_metrics_port, "smtp")
    log.info("SMTP receiver on %s:%s", settings.smtp_host, settings.smtp_port)
    _wait_for_signal()
    controller.stop()
    if exporter:
        exporter.stop()
    return 0


class WorkerRuntime:
    """Dramatiq worker threads consuming the stages' queues, plus the periodic duties (the
    sweeper, due webhook deliveries, event retention)."""

    def __init__(self, services: Services) -> None:
        from dramatiq import Worker

        from billing import actors as billing_actors
        from billing.reminders import send_due_reminders
        from extract import actors as extract_actors
        from models.events import purge_expired
        from models.periodic import Periodic
        from models.sweeper import sweep
        from review import actors as review_actors
        from webhooks import actors as webhook_actors

        queue = services.queue
        for stage in (extract_actors, review_actors, billing_actors, webhook_actors):
            for spec in stage.ACTORS:
                queue.register(spec, services)
        self.worker = Worker(
            queue.broker, worker_threads=services.settings.worker_threads, worker_timeout=100
        )
        self.periodic = Periodic(
            services, [sweep, webhook_actors.send_due, send_due_reminders, purge_expired]
        )

    def start(self) -> WorkerRuntime:
        self.worker.start()
        self.periodic.start()
        return self

    def stop(self) -> None:
        self.periodic.stop()
        self.worker.stop()


def start_worker(services: Services) -> WorkerRuntime:
    return WorkerRuntime(services).start()


def _worker(_args: argparse.Namespace) -> int:
    from models.metrics import serve_port

    services = _services()
    settings = services.settings
    runtime = start_worker(services)
    exporter = serve_port(settings.metrics_host, settings.worker_metrics_port, "worker")
    log.info("worker running (%s threads)", settings.worker_threads)
    _wait_for_signal()
    runtime.stop()
    if exporter:
        exporter.stop()
    return 0


def _serve(_args: argparse.Namespace) -> int:
    """Everything in one process: the embedded defaults need no other service."""
    import uvicorn

    from api.app import create_app
    from ingest.server import start_smtp
    from models.migrate import upgrade
    from models.settings import load_settings

    upgrade(load_settings().database_url)  # the one-command mode brings its schema along
    services = _services()
    _first_run_key(services)
    runtime = start_worker(services)
    controller = start_smtp(services)
    settings = services.settings
    log.info(
        "SMTP receiver on %s:%s, API on %s",
        settings.smtp_host,
        settings.smtp_port,
        settings.public_url,
    )
    try:
        uvicorn.run(
            create_app(services), host=settings.api_host, port=settings.api_port, **UVICORN_OPTIONS
        )
    finally:
        controller.stop()
        runtime.stop()
    return 0


def _first_run_key(services: Services) -> None:
    """A fresh installation has no key; make a test key so the API can be tried at once."""
    from sqlalchemy import func, select

    from models.accounts import ApiKey
    from models.db import transaction
    from models.keys import create_account, create_key

    with transaction(services.sessions) as session:
        if session.scalar(select(func.count()).select_from(ApiKey)):
            return
        account = create_account(session, "CasaPay account", services.clock())
        secret = create_key(session, account.id, livemode=False, now=services.clock())
    print(
        f"\nFirst run: your test secret key is {secret}\n(shown once; more with "
        "`casapay keys create`)\n",
        flush=True,
    )


def _wait_for_signal() -> None:
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()


if __name__ == "__main__":
    sys.exit(main())
