from django.core.management.base import BaseCommand

from ocop.certificates.tasks import send_expiry_reminders


class Command(BaseCommand):
    help = (
        "Send the certificate expiry reminders due today (6, 3 and 1 month before expiry, "
        "data/terms.yaml) to the producers' members and the provincial officers. Run it once "
        "a day from cron or a systemd timer: Django's Tasks framework has no scheduler of its "
        "own. With --enqueue the task is queued for the database worker (manage.py db_worker) "
        "instead of running here. Each reminder is sent once, however often this runs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="queue the task send_expiry_reminders for the worker instead of running it now",
        )

    def handle(self, *args, enqueue: bool, **options):
        if enqueue:
            result = send_expiry_reminders.enqueue()
            self.stdout.write(f"Enqueued send_expiry_reminders (task result {result.id}).")
            return
        sent = send_expiry_reminders.call()
        self.stdout.write(self.style.SUCCESS(f"Sent {sent} expiry reminder(s)."))
