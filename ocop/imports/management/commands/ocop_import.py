"""manage.py ocop_import FILE: the import wizard's steps from the command line."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError

from ocop.accounts.models import User
from ocop.geo.models import Province
from ocop.imports import services
from ocop.imports.engine import messages
from ocop.imports.models import ImportJob, ImportKind


class Command(BaseCommand):
    help = (
        "Import producers, products or recognition decisions from an .xlsx or .csv file: "
        "a dry run by default (the report row by row), --apply to write it, --revert JOB "
        "to undo an applied import."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="the .xlsx or .csv file")
        parser.add_argument("--province", type=int, help="the province's code (68: Lâm Đồng)")
        parser.add_argument("--kind", choices=ImportKind.values, default="decisions")
        parser.add_argument("--as", dest="login", required=True, help="the officer's email")
        parser.add_argument(
            "--map", action="append", default=[], metavar="FIELD=HEADING",
            help="the column giving a field, when the headings are not recognised",
        )  # fmt: skip
        parser.add_argument("--apply", action="store_true", help="write it (after the check)")
        parser.add_argument("--skip-errors", action="store_true", help="leave out rows in error")
        parser.add_argument("--revert", type=int, metavar="JOB", help="revert an applied import")
        parser.add_argument("--show", type=int, default=20, help="rows in error to print")

    def handle(self, *args, **o):
        actor = User.objects.filter(email=o["login"]).first()
        if actor is None:
            raise CommandError(f"No account {o['login']}.")
        try:
            if o["revert"]:
                job = services.job_revert(actor=actor, job=ImportJob.objects.get(pk=o["revert"]))
                self.stdout.write(self.style.SUCCESS(f"Import {job.pk} reverted."))
                return
            self._import(actor, o)
        except ImportJob.DoesNotExist:
            raise CommandError("No such import.") from None
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        except PermissionError as exc:  # pragma: no cover - PermissionDenied below
            raise CommandError(str(exc)) from None

    def _import(self, actor, o):
        from django.core.exceptions import PermissionDenied

        if not o["file"] or not o["province"]:
            raise CommandError("Give the FILE and --province.")
        path = Path(o["file"])
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        province = Province.objects.filter(pk=o["province"]).first()
        if province is None:
            raise CommandError(f"No province {o['province']}.")
        upload = SimpleUploadedFile(path.name, path.read_bytes())
        try:
            job = services.job_upload(actor=actor, province=province, kind=o["kind"], file=upload)
            if o["map"]:
                mapping = dict(job.mapping)
                for item in o["map"]:
                    key, _sep, heading = item.partition("=")
                    mapping[key.strip()] = heading.strip()
                job = services.job_map(actor=actor, job=job, mapping=mapping)
            job = services.job_check(actor=actor, job=job)
        except PermissionDenied:
            raise CommandError(f"{actor.email} may not import into {province.name}.") from None
        rows = job.summary["rows"]
        self.stdout.write(
            f"Import {job.pk}: {job.rows_total} rows — create {rows['create']}, update "
            f"{rows['update']}, unchanged {rows['unchanged']}, errors {rows['error']}"
        )
        for row in [r for r in job.report if r["outcome"] == "error"][: o["show"]]:
            for cell, message in messages(row["errors"]):
                self.stdout.write(f"  row {row['row']} {cell}: {message}")
        if not o["apply"]:
            self.stdout.write("Dry run only: nothing written (--apply to write it).")
            return
        job = services.job_apply(
            actor=actor, job=job, skip_errors=o["skip_errors"], background=False
        )
        written = job.summary["written"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Applied: {written['producers']} producers, {written['products']} products, "
                f"{written['decisions']} decisions, {written['certificates']} certificates "
                f"created; {written['updated']} updated. Revert with --revert {job.pk}."
            )
        )
