"""Stamp runs from the command line: generate one in the foreground, or hand every stalled
run back to the worker (after a worker was stopped or died)."""

from django.core.management.base import BaseCommand, CommandError

from ocop.traceability import services
from ocop.traceability.models import RunStatus, StampRun
from ocop.traceability.tasks import generate_stamps


class Command(BaseCommand):
    help = "generate RUN_ID: generate a run's missing stamps now; resume: requeue stalled runs"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        generate = sub.add_parser("generate", help="generate a run's missing stamps now")
        generate.add_argument("run_id", type=int)
        generate.add_argument("--chunk", type=int, default=services.CHUNK)
        sub.add_parser("resume", help="hand every stalled run back to the worker")

    def handle(self, *args, verb: str, **options):
        if verb == "generate":
            run_id = options["run_id"]
            if not StampRun.objects.filter(pk=run_id).exists():
                raise CommandError(f"No stamp run {run_id}.")
            if options["chunk"] < 1:
                raise CommandError("--chunk takes a positive number.")

            def progress(run):
                self.stdout.write(f"  {run.issued:,} / {run.quantity:,}")
                self.stdout.flush()

            run = services.stamp_run_generate(
                run_id=run_id, chunk=options["chunk"], progress=progress
            )
            self.stdout.write(self.style.SUCCESS(f"Run {run.pk}: {run.issued:,} stamps."))
            return
        stalled = [
            run
            for run in StampRun.objects.exclude(status=RunStatus.DONE)
            if services.run_is_stalled(run)
        ]
        for run in stalled:
            StampRun.objects.filter(pk=run.pk).update(status=RunStatus.QUEUED, error="")
            generate_stamps.enqueue(run.pk)
        self.stdout.write(f"{len(stalled)} stalled run(s) handed back to the worker.")
