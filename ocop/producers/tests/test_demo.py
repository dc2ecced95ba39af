from django.core.management import call_command

from ocop.accounts.models import Membership, Role, User
from ocop.audit.models import AuditEvent
from ocop.geo.services import units_load
from ocop.producers.models import Producer, ProducerStatus, ProducerType


def test_seed_demo_builds_a_programme_and_is_idempotent(db, capsys):
    units_load(province_codes={1, 14, 22, 68, 96})
    call_command("seed_demo")
    out = capsys.readouterr().out
    counts = (Producer.objects.count(), User.objects.count(), AuditEvent.objects.count())
    assert counts[0] >= 40
    assert set(Producer.objects.values_list("producer_type", flat=True)) == set(ProducerType)
    assert set(Producer.objects.values_list("status", flat=True)) == set(ProducerStatus)
    assert {m.role for m in Membership.objects.all()} == set(Role)
    from ocop.programme.models import GuidanceDocument

    guides = GuidanceDocument.objects.filter(published=True)
    assert guides.count() == 2 and guides.filter(course__isnull=False).count() == 1
    for role in ("Commune officer", "Producer member", "Council member", "Administrator"):
        assert role in out
    call_command("seed_demo")
    assert (Producer.objects.count(), User.objects.count(), AuditEvent.objects.count()) == counts


def test_demo_logins_work(db, client):
    units_load(province_codes={1, 14, 22, 68, 96})
    call_command("seed_demo")
    response = client.post(
        "/accounts/login/", {"username": "xa.lacduong@demo.ocop.vn", "password": "ocop-demo"}
    )
    assert response.status_code == 302


def test_scale_adds_producers_in_bulk(db, capsys):
    units_load(province_codes={68})
    call_command("seed_demo", "--no-demo", "--scale", "2000")
    assert Producer.objects.count() == 2000
    assert Producer.objects.values("tax_code").distinct().count() == 2000
    call_command("seed_demo", "--no-demo", "--scale", "500")
    assert Producer.objects.count() == 2500
    assert "Added 500 generated producers" in capsys.readouterr().out
