import time

from django.core.management.base import BaseCommand, CommandError

from ocop.catalog.demo import seed_catalog
from ocop.certificates.demo import seed_certificates
from ocop.dossiers.demo import seed_cycle
from ocop.dossiers.models import Dossier
from ocop.evaluation.demo import seed_evaluation
from ocop.geo.selectors import units_loaded
from ocop.ideas.models import ProductIdea
from ocop.imports.demo import seed_imports
from ocop.producers import demo
from ocop.products.models import Product
from ocop.programme.demo import seed_guidance, seed_programme
from ocop.traceability.demo import demo_stamp_urls, seed_traceability


class Command(BaseCommand):
    help = "Build the demo programme (idempotent); --scale N adds N generated producers."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=int, default=0, help="also add N generated producers (bulk inserts)"
        )
        parser.add_argument("--no-demo", action="store_true", help="only the --scale producers")

    def handle(self, *args, scale: int, no_demo: bool, **options):
        if not units_loaded():
            raise CommandError("Load the administrative units first: manage.py load_units")
        if scale < 0:
            raise CommandError("--scale takes a positive number.")
        if not no_demo:
            logins = demo.seed_demo()
            self.stdout.write(self.style.SUCCESS("Demo data is ready. Demo logins:"))
            self.stdout.write(f"  password for every demo account: {demo.DEMO_PASSWORD}")
            for login in logins:
                self.stdout.write(f"  {login.role:<20} {login.login:<32} {login.scope}")

            seed_cycle()
            seed_evaluation()
            seed_certificates()
            seed_traceability()
            listed = seed_catalog()["listed"]
            seed_programme()
            seed_guidance()
            seed_imports()
            self.stdout.write(f"  public catalogue: {listed} recognised products listed")
            counts = {
                "ideas": ProductIdea.objects.count(),
                "products": Product.objects.count(),
                "dossiers": Dossier.objects.count(),
            }
            self.stdout.write(
                "  cycle records: {ideas} ideas, {products} products, {dossiers} dossiers".format(
                    **counts
                )
            )
            for label, url in demo_stamp_urls().items():
                self.stdout.write(f"  demo stamp ({label}): {url}")
        if scale:
            started = time.perf_counter()
            added = demo.scale_producers(scale)
            seconds = time.perf_counter() - started
            self.stdout.write(
                self.style.SUCCESS(f"Added {added} generated producers in {seconds:.1f} s.")
            )
