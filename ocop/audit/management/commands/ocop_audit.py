"""manage.py ocop_audit verify: check the audit log's hash chain from its first entry."""

from django.core.management.base import BaseCommand, CommandError

from ocop.audit.selectors import chain_verify


class Command(BaseCommand):
    help = "verify: recompute the audit log's hash chain and name the first broken entry."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, action: str, **options):
        result = chain_verify()
        if result.broken is None:
            self.stdout.write(
                self.style.SUCCESS(
                    f"The audit log holds: {result.entries} entries chained, the last "
                    f"{result.head_seq} ({result.head_hash[:16]}…)."
                )
            )
            return
        seq, reason = result.broken
        raise CommandError(
            f"The audit log is broken at entry {seq}: {REASONS[reason]}"
            + (f" ({result.entry})" if result.entry else "")
        )


REASONS = {
    "content": "its content differs from what was chained (changed after it was written)",
    "link": "it does not follow the entry before it (an entry was changed or inserted)",
    "missing": "an entry is missing (removed)",
    "duplicate": "an entry number appears twice",
    "truncated": "entries after it were removed (the chain's head names a later entry)",
}
