"""manage.py ocop_backup [--output PATH]: every table and every uploaded file in one
archive (see ocop/backups/archive.py for what it holds)."""

from django.core.management.base import BaseCommand, CommandError

from ocop.backups.archive import BackupError, backup_write


def size_label(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024
    raise AssertionError  # unreachable


class Command(BaseCommand):
    help = (
        "Back up the database (every table of every installed model) and the uploaded files "
        "into one .tar.gz archive, restored with ocop_restore."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            metavar="PATH",
            help="the archive to write, or a folder for it "
            "(default: ocop-backup-YYYYmmdd-HHMMSS.tar.gz in the current folder)",
        )

    def handle(self, *args, output: str | None, verbosity: int, **options):
        try:
            summary, manifest = backup_write(output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if verbosity >= 2:
            for table in manifest["tables"]:
                self.stdout.write(f"  {table['model']:<48} {table['rows']:>9,} rows")
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {summary.path}: {summary.tables} tables, {summary.rows:,} rows, "
                f"{summary.files:,} files ({size_label(summary.file_bytes)}); archive "
                f"{size_label(summary.archive_bytes)}, in {summary.seconds:.1f} s."
            )
        )
