from django.core.management.base import BaseCommand, CommandError

from ocop.criteria.files import CriteriaFileError
from ocop.criteria.services import criteria_load


class Command(BaseCommand):
    help = (
        "Load or refresh the OCOP criteria sets, taxonomy and star bands from ocop/criteria/data."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Reload decisions whose files have not changed."
        )

    def handle(self, *args, force=False, **options):
        try:
            loaded = criteria_load(force=force)
        except CriteriaFileError as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Criteria: {loaded.decisions} decisions ({loaded.unchanged} unchanged), "
                f"{loaded.criteria_sets} criteria sets, {loaded.criteria} criteria, "
                f"{loaded.options} options."
            )
        )
