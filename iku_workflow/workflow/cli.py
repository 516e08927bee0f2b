"""`iku-workflow reminders send`: the day's due-date reminders (run it daily from cron or a systemd timer)."""
from __future__ import annotations

from datetime import date

import click
from flask.cli import with_appcontext

from ..cli_support import fail, get_office
from ..extensions import db


@click.group("reminders")
def reminders_group() -> None:
    """Pengingat tenggat: notifikasi (dan e-mail bila SMTP diatur) sebelum dan sesudah tanggal jatuh tempo."""


@reminders_group.command("send")
@click.option("--office", "office_code", help="Hanya kantor ini (kode); bawaan: semua kantor.")
@click.option("--today", "today_text", help="Tanggal hari ini YYYY-MM-DD (untuk uji; bawaan: hari ini).")
@click.option("--days-before", help='Hari sebelum tenggat yang diingatkan, mis. "7,1" (bawaan: IKU_REMINDER_DAYS atau 7,1).')
@with_appcontext
def send_command(office_code: str | None, today_text: str | None, days_before: str | None) -> None:
    """Kirim pengingat yang jatuh hari ini; menjalankannya dua kali tidak mengirim dua kali."""
    from .reminders import days_before as parse_days, send_reminders

    try:
        today = date.fromisoformat(today_text) if today_text else date.today()
    except ValueError:
        fail(f"Tanggal '{today_text}' tidak dikenal: tulis YYYY-MM-DD, mis. 2025-03-31.")
    office = get_office(office_code) if office_code else None
    before = parse_days(days_before) if days_before is not None else None
    result = send_reminders(today, office=office, before=before)
    db.session.commit()
    overdue = sum(1 for _e, t in (*result.entries, *result.items) if t == "overdue")
    items = f", juga {len(result.items)} butir lain (mis. Keputusan Camat)" if result.items else ""
    click.echo(f"{len(result.entries)} entri diingatkan{items} ({overdue} terlambat): {result.notifications} notifikasi, "
               f"{result.mails} e-mail.")
