"""Payment reminders on a fake clock: before the due date, on the day, after it; once each, on
the account's schedule, and never after the invoice is paid or voided."""

from __future__ import annotations

import threading

from sqlalchemy import select

from billing.reminders import send_due_reminders
from cli import WorkerRuntime
from models.invoices import InvoiceReminder
from models.payments import Notification
from models.services import Services
from tests.api.test_invoices import act, invoice
from tests.conftest import Api, FakeClock
from tests.pipeline.conftest import drain
from tests.pipeline.test_tenant_emails import body, outbox

DAY = 86400


def due_in(clock: FakeClock, days: int) -> int:
    return clock.now + days * DAY


def open_invoice(api: Api, due_date: int) -> str:
    inv = invoice(api, due_date=due_date)
    assert act(api, inv["id"], "finalize").status_code == 200
    return str(inv["id"])


def reminders(services: Services) -> list[tuple[str, str]]:
    with services.sessions() as session:
        rows = session.scalars(
            select(Notification)
            .where(Notification.kind == "reminder")
            .order_by(Notification.created)
        )
        return [(r.subject_id, r.payload["context"]["phase"]) for r in rows]


def test_reminders_fire_on_the_right_days_and_stop_after_payment(
    api: Api, services: Services, clock: FakeClock, worker: WorkerRuntime
) -> None:
    assert send_due_reminders in worker.periodic.tasks  # the worker runs this schedule
    due = due_in(clock, 10)
    inv = open_invoice(api, due)
    clock.now = due - 5 * DAY
    worker.periodic.run_once()  # one round of the worker's duties, at the fake time
    assert reminders(services) == []
    clock.now = due - 3 * DAY + 3600
    assert send_due_reminders(services) == 1
    assert send_due_reminders(services) == 0  # once, however often the scheduler runs
    clock.now = due + 3600
    assert send_due_reminders(services) == 1
    assert reminders(services) == [(inv, "before"), (inv, "due")]
    drain(services)
    subjects = [str(m["Subject"]) for m in outbox(services)]
    assert "Reminder: 1,250.00 EUR due on 2026-01-11" in subjects
    assert "Due today: 1,250.00 EUR" in subjects
    due_today = next(m for m in outbox(services) if m["Subject"] == "Due today: 1,250.00 EUR")
    assert f"http://testserver/i/{inv}" in body(due_today)
    assert act(api, inv, "pay").status_code == 200
    clock.now = due + 3 * DAY + 3600
    assert send_due_reminders(services) == 0
    assert reminders(services) == [(inv, "before"), (inv, "due")]


def test_a_late_scheduler_sends_only_the_current_step(
    api: Api, services: Services, clock: FakeClock
) -> None:
    due = due_in(clock, 4)
    inv = open_invoice(api, due)
    clock.now = due + 3 * DAY + 7200  # the worker was down for a week
    assert send_due_reminders(services) == 1
    assert reminders(services) == [(inv, "after")]
    with services.sessions() as session:
        steps = {r.offset_days: r.status for r in session.scalars(select(InvoiceReminder))}
    assert steps == {-3: "skipped", 0: "skipped", 3: "sent"}


def test_the_schedule_is_per_account_and_voiding_stops_it(
    api: Api, services: Services, clock: FakeClock
) -> None:
    r = api.post(
        "/v1/account/settings",
        data={
            "reminder_days_before[0]": "7",
            "reminder_days_before[1]": "1",
            "reminder_on_due_date": "false",
            "reminder_days_after": "",
        },
    )
    assert r.status_code == 200, r.text
    settings = r.json()
    assert (settings["reminder_days_before"], settings["reminder_on_due_date"]) == ([7, 1], False)
    assert settings["reminder_days_after"] == []
    due = due_in(clock, 10)
    kept, voided = open_invoice(api, due), open_invoice(api, due)
    clock.now = due - 7 * DAY + 60
    assert send_due_reminders(services) == 2
    assert act(api, voided, "void").status_code == 200
    clock.now = due - DAY + 60
    assert send_due_reminders(services) == 1
    clock.now = due + 60
    assert send_due_reminders(services) == 0  # no reminder on the day in this schedule
    expected = [(kept, "before"), (voided, "before"), (kept, "before")]
    assert sorted(reminders(services)) == sorted(expected)
    bad = api.post("/v1/account/settings", data={"reminder_days_after[0]": "400"})
    assert bad.status_code == 400 and bad.json()["error"]["param"] == "reminder_days_after"


def test_racing_schedulers_send_each_reminder_once(
    api: Api, services: Services, clock: FakeClock
) -> None:
    due = due_in(clock, 10)
    open_invoice(api, due)
    clock.now = due + 60
    barrier = threading.Barrier(3)
    sent: list[int] = []

    def run() -> None:
        barrier.wait(5)
        sent.append(send_due_reminders(services))

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sum(sent) == 1 and len(reminders(services)) == 1
