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
        parser.add_argument("--no-demo", action="store_true", help="only the --scale data")
        # The national-scale register (ocop/demo_scale.py), in bulk: what the benchmarks use.
        parser.add_argument(
            "--scale-products",
            type=int,
            default=0,
            help="N recognised products, certified and listed, with rounds",
        )
        parser.add_argument(
            "--scale-producers",
            type=int,
            default=0,
            help="the producers of those products (default: half as many)",
        )
        parser.add_argument(
            "--scale-years",
            type=int,
            default=5,
            help="the years of evaluation rounds and scans (default 5)",
        )
        parser.add_argument("--scale-stamps", type=int, default=0, help="N stamps")
        parser.add_argument("--scale-scans", type=int, default=0, help="N scans of those stamps")

    def handle(self, *args, scale: int, no_demo: bool, **options):
        if not units_loaded():
            raise CommandError("Load the administrative units first: manage.py load_units")
        numbers = [scale] + [
            options[f"scale_{k}"] for k in ("products", "producers", "stamps", "scans")
        ]
        if min(numbers) < 0 or options["scale_years"] < 1:
            raise CommandError("The --scale options take positive numbers.")
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
        self._national(**options)
        if scale:
            started = time.perf_counter()
            added = demo.scale_producers(scale)
            seconds = time.perf_counter() - started
            self.stdout.write(
                self.style.SUCCESS(f"Added {added} generated producers in {seconds:.1f} s.")
            )

    def _national(self, *, scale_products, scale_producers, scale_years, scale_stamps,
                  scale_scans, **options):  # fmt: skip
        from ocop import demo_scale

        steps = []
        if scale_products:
            producers = scale_producers or max(1, scale_products // 2)
            steps.append(
                (
                    f"{scale_products:,} recognised products of {producers:,} producers",
                    lambda: demo_scale.scale_register(
                        products=scale_products, producers=producers, years=scale_years
                    ),
                )
            )
            steps.append(("their evaluation rounds", demo_scale.scale_rounds))
        if scale_stamps:
            steps.append(
                (f"{scale_stamps:,} stamps", lambda: demo_scale.scale_stamps(count=scale_stamps))
            )
        if scale_scans:
            steps.append(
                (
                    f"{scale_scans:,} scans",
                    lambda: demo_scale.scale_scans(count=scale_scans, years=scale_years),
                )
            )
        for label, step in steps:
            started = time.perf_counter()
            try:
                step()
            except RuntimeError as exc:
                raise CommandError(str(exc)) from None
            seconds = time.perf_counter() - started
            self.stdout.write(self.style.SUCCESS(f"Added {label} in {seconds:.1f} s."))
