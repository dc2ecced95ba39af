"""Background tasks of the certificates (Django's Tasks framework; the database-backed worker
runs them: `manage.py db_worker`)."""

from django.tasks import task
from django.utils import timezone

from .reminders import reminders_send


@task
def send_expiry_reminders() -> int:
    """Email the expiry reminders due today; the number of emails sent. Run daily: see the
    `ocop_reminders` command."""
    return reminders_send(today=timezone.localdate())
