from django.core.management.base import BaseCommand

from ocop.geo.services import units_load


class Command(BaseCommand):
    help = (
        "Load or refresh Vietnam's administrative units (current and legacy) and the 2025 mapping."
    )

    def handle(self, *args, **options):
        loaded = units_load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Administrative units (vietnam-provinces data of {loaded.data_version}): "
                f"{loaded.provinces} provinces, {loaded.communes} communes; legacy: "
                f"{loaded.legacy_provinces} provinces, {loaded.legacy_districts} districts, "
                f"{loaded.legacy_communes} communes; {loaded.successions} legacy→current links."
            )
        )
