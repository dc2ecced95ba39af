"""The national-scale generator (seed_demo --scale-*): what it makes is consistent, as the
platform's own services would have left it."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum

from ocop.catalog.models import Listing
from ocop.certificates.models import Certificate
from ocop.evaluation.models import Assignment, EvaluationRound
from ocop.geo.services import units_load
from ocop.traceability.models import Scan, Stamp


@pytest.fixture
def loaded(db):
    units_load(province_codes={1, 68})
    call_command("load_criteria", verbosity=0)


def test_the_register_rounds_stamps_and_scans_agree(loaded):
    call_command(
        "seed_demo", "--no-demo", "--scale-products=60", "--scale-producers=25",
        "--scale-stamps=2500", "--scale-scans=4000", "--scale-years=5", stdout=io.StringIO(),
    )  # fmt: skip
    assert Certificate.objects.count() == Listing.objects.count() == 60
    assert Certificate.objects.values("producer").distinct().count() <= 25
    # Every product whose group has a criteria set was evaluated in its certificate's year,
    # with the certificate's star class and a score within that class's band.
    for a in Assignment.objects.select_related("dossier__product", "session__round"):
        certificate = Certificate.objects.get(product=a.dossier.product)
        assert a.stars == certificate.stars and a.status == "closed"
        assert a.session.round.opens_on.year == certificate.issued_on.year == a.dossier.year
        assert {3: 50, 4: 70, 5: 90}[a.stars] <= a.score < {3: 70, 4: 90, 5: 100}[a.stars]
    assert Assignment.objects.count() > 40
    years = EvaluationRound.objects.values_list("opens_on__year", flat=True).distinct()
    assert len(years) >= 5
    assert Stamp.objects.count() == 2500
    assert Stamp.objects.values("serial").distinct().count() == 2500
    assert Scan.objects.count() == 4000
    assert Stamp.objects.aggregate(n=Sum("scan_count"))["n"] == 4000
    stamp = Stamp.objects.filter(scan_count__gt=0).first()
    assert stamp.scan_count == stamp.scans.count()
    assert stamp.first_scanned_at == stamp.scans.order_by("scanned_at").first().scanned_at


def test_stamps_need_products_and_numbers_must_be_positive(loaded):
    with pytest.raises(CommandError, match="recognised products are needed"):
        call_command("seed_demo", "--no-demo", "--scale-stamps=10")
    with pytest.raises(CommandError, match="positive"):
        call_command("seed_demo", "--no-demo", "--scale-products=-1")
