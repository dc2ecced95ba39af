"""manage.py ocop_restore PATH [--yes]: put back the database and the uploaded files of an
archive written by ocop_backup, all or nothing."""

from django.core.management.base import BaseCommand, CommandError

from ocop.backups.archive import BackupError, restore
from ocop.backups.management.commands.ocop_backup import size_label


class Command(BaseCommand):
    help = (
        "Restore an archive of ocop_backup into this database (migrated to the same "
        "migrations) and the file storage. Refused when the database holds data, unless "
        "--yes: then everything in it is replaced."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the archive (.tar.gz) written by ocop_backup")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="replace the database's data when it holds some (it is emptied first)",
        )

    def handle(self, *args, path: str, yes: bool, **options):
        try:
            summary = restore(path, replace=yes)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {summary.path} (made {summary.created_at} on {summary.vendor}): "
                f"{summary.tables} tables, {summary.rows:,} rows, {summary.files:,} files "
                f"({size_label(summary.file_bytes)}), in {summary.seconds:.1f} s."
            )
        )
        if summary.files_left == 1:
            self.stdout.write("1 file of the storage is not in the backup: left in place.")
        elif summary.files_left:
            self.stdout.write(
                f"{summary.files_left:,} files of the storage are not in the backup: left in place."
            )
