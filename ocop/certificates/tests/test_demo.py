import datetime

from django.core.management import call_command

from ocop.audit.models import AuditEvent
from ocop.certificates.demo import seed_certificates
from ocop.certificates.models import Certificate, CertificateState, RecognitionDecision
from ocop.certificates.reminders import reminders_due
from ocop.geo.services import units_load


def test_seed_certificates_after_seed_demo_and_idempotent(db):
    units_load(province_codes={1, 14, 22, 68, 96})
    call_command("seed_demo")
    seed_certificates()
    certificates = {c.product.name: c for c in Certificate.objects.select_related("product")}
    issued = RecognitionDecision.objects.filter(status="issued")
    # Two decided through the platform, five imported ones (the catalogue demo, one a province)
    assert issued.filter(items__assignment__isnull=False).distinct().count() == 2
    assert issued.filter(items__assignment__isnull=True).distinct().count() == 5
    assert certificates["Trà atiso Lang Biang"].expires_on == datetime.date(2026, 12, 15)
    assert certificates["Trà atiso Lang Biang"].state_on(datetime.date(2026, 11, 24)) == (
        CertificateState.VALID
    )
    revoked = certificates["Mứt dâu tằm Lang Biang"]
    assert revoked.state == CertificateState.REVOKED and revoked.revoke_reason
    assert certificates["Cà phê Arabica Lang Biang"].stars == 4
    due = reminders_due(today=datetime.date(2026, 11, 24))
    assert [(c.product.name, m) for c, m in due] == [("Trà atiso Lang Biang", 1)]
    counts = (Certificate.objects.count(), AuditEvent.objects.count())
    seed_certificates()
    call_command("seed_demo")
    seed_certificates()
    assert (Certificate.objects.count(), AuditEvent.objects.count()) == counts
