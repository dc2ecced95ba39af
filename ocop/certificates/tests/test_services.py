import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ocop.audit.models import AuditEvent
from ocop.certificates import services
from ocop.certificates.models import (
    Certificate,
    CertificateSequence,
    CertificateState,
    CertificateStatus,
    DecisionItem,
    DecisionStatus,
    RecognitionDecision,
)
from ocop.certificates.selectors import product_current_certificate

from .conftest import closed_results, decision_data

NUMBER = re.compile(r"^(\d{2}|TW)-\d{4}-\d{6}$")


def draft(world, source, actor=None, **data):
    return services.decision_draft(
        actor=actor or world.users["provincial_officer"],
        session_or_assignments=source,
        data=decision_data(**data),
    )


def test_draft_from_a_session_takes_its_closed_results(world, results):
    panel, (a4, a3) = results
    decision = draft(world, panel.session)
    assert decision.status == DecisionStatus.DRAFT
    assert decision.level == "province" and decision.province_id == 68
    assert decision.issuer == "Ủy ban nhân dân tỉnh Lâm Đồng"
    items = {i.assignment_id: (i.stars, i.score) for i in decision.items.all()}
    assert items == {a4.pk: (4, a4.score), a3.pk: (3, a3.score)}
    assert AuditEvent.objects.filter(action="decision.draft").count() == 1


def test_a_result_is_recognised_once(world, results):
    panel, (a4, _a3) = results
    draft(world, panel.session)
    with pytest.raises(ValidationError):
        draft(world, [a4])
    with pytest.raises(ValidationError):
        draft(world, panel.session)  # nothing left
    assert DecisionItem.objects.count() == 2


def test_trial_round_results_are_never_recognised(world):
    panel, results = closed_results(world, (75,), trial=True)
    with pytest.raises(ValidationError):
        draft(world, panel.session)
    with pytest.raises(ValidationError):
        draft(world, results)
    assert not RecognitionDecision.objects.exists()


def test_below_three_stars_is_not_recognised(world):
    panel, (a2,) = closed_results(world, (45,), stars=0)
    assert a2.stars is None or a2.stars < 3
    with pytest.raises(ValidationError):
        draft(world, [a2])


def test_issue_creates_numbered_certificates(world, results):
    decision = draft(world, results[0].session)
    services.decision_issue(actor=world.users["provincial_officer"], decision=decision)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.ISSUED and decision.issued_at is not None
    year = decision.date.year
    numbers = sorted(Certificate.objects.values_list("number", flat=True))
    assert numbers == [f"68-{year}-000001", f"68-{year}-000002"]
    assert all(NUMBER.match(n) for n in numbers)
    for c in Certificate.objects.all():
        assert c.issued_on == decision.date
        assert c.expires_on == services.terms.expiry_for(decision.date)
        assert c.state == CertificateState.VALID
        assert c.stars == c.item.stars and c.producer_id == c.product.producer_id
    assert CertificateSequence.objects.get(area="68", year=year).last == 2
    assert AuditEvent.objects.filter(action="certificate.issue").count() == 2
    assert AuditEvent.objects.filter(action="decision.issue").count() == 1


def test_issue_is_all_or_nothing(world, results, monkeypatch):
    decision = draft(world, results[0].session)
    real = services.certificate_number_next
    calls = []

    def failing(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise RuntimeError("the register broke")
        return real(**kwargs)

    monkeypatch.setattr(services, "certificate_number_next", failing)
    with pytest.raises(RuntimeError):
        services.decision_issue(actor=world.users["provincial_officer"], decision=decision)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DRAFT and decision.issued_at is None
    assert not Certificate.objects.exists()
    assert not CertificateSequence.objects.filter(last__gt=0).exists()
    assert not AuditEvent.objects.filter(action__in=["certificate.issue", "decision.issue"])
    monkeypatch.setattr(services, "certificate_number_next", real)
    services.decision_issue(actor=world.users["provincial_officer"], decision=decision)
    assert Certificate.objects.count() == 2


def test_issued_once(world, results):
    decision = draft(world, results[0].session)
    services.decision_issue(actor=world.users["provincial_officer"], decision=decision)
    with pytest.raises(ValidationError):
        services.decision_issue(actor=world.users["provincial_officer"], decision=decision)
    assert Certificate.objects.count() == 2


def test_no_future_decision_date(world, results):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    decision = draft(world, results[0].session, date=tomorrow)
    with pytest.raises(ValidationError):
        services.decision_issue(actor=world.users["provincial_officer"], decision=decision)


@pytest.mark.parametrize(
    "user", ["other_provincial_officer", "commune_officer", "producer_member", "council_member"]
)
def test_out_of_area_or_unentitled_cannot_draft_or_issue(world, results, user):
    panel = results[0]
    with pytest.raises(PermissionDenied):
        draft(world, panel.session, actor=world.users[user])
    decision = draft(world, panel.session)
    with pytest.raises(PermissionDenied):
        services.decision_issue(actor=world.users[user], decision=decision)
    assert not Certificate.objects.exists()


def test_central_officer_may_issue_a_province_decision(world, results):
    decision = draft(world, results[0].session)
    services.decision_issue(actor=world.users["central_officer"], decision=decision)
    assert Certificate.objects.count() == 2


def issue(world, source, number="1234/QĐ-UBND", date=None):
    decision = draft(world, source, number=number, date=date)
    return services.decision_issue(actor=world.users["provincial_officer"], decision=decision)


def test_a_new_certificate_supersedes_the_previous_one(world, results):
    first = issue(world, results[0].session, date=timezone.localdate() - datetime.timedelta(30))
    old = first.certificates.get(stars=3)
    _panel, (again,) = closed_results(world, (80,), prefix="q", products=[old.product])
    second = issue(world, [again], number="1300/QĐ-UBND")
    new = second.certificates.get()
    old.refresh_from_db()
    assert old.superseded_by == new and old.status == CertificateStatus.VALID
    assert old.state == CertificateState.SUPERSEDED
    assert new.state == CertificateState.VALID and new.stars == 4
    assert product_current_certificate(product=old.product) == new
    assert AuditEvent.objects.filter(action="certificate.supersede").count() == 1


def test_state_expired_after_the_expiry_date(world, results):
    certificate = issue(world, results[0].session).certificates.first()
    assert certificate.state_on(certificate.expires_on) == CertificateState.VALID
    after = certificate.expires_on + datetime.timedelta(days=1)
    assert certificate.state_on(after) == CertificateState.EXPIRED


def test_revoke_takes_effect_at_once_with_a_reason(world, results):
    certificate = issue(world, results[0].session).certificates.first()
    officer = world.users["provincial_officer"]
    with pytest.raises(ValidationError):
        services.certificate_revoke(actor=officer, certificate=certificate, reason="  ")
    services.certificate_revoke(
        actor=officer, certificate=certificate, reason="Vi phạm an toàn thực phẩm"
    )
    certificate.refresh_from_db()
    assert certificate.state == CertificateState.REVOKED
    assert certificate.revoked_by == officer and certificate.revoked_at is not None
    event = AuditEvent.objects.get(action="certificate.revoke")
    assert event.note == "Vi phạm an toàn thực phẩm"
    with pytest.raises(ValidationError):
        services.certificate_revoke(actor=officer, certificate=certificate, reason="again")


def test_out_of_area_officer_cannot_revoke(world, results):
    certificate = issue(world, results[0].session).certificates.first()
    with pytest.raises(PermissionDenied):
        services.certificate_revoke(
            actor=world.users["other_provincial_officer"], certificate=certificate, reason="x"
        )
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.VALID


def test_decision_numbers_are_unique_per_issuer_and_year(world):
    _panel, first = closed_results(world, (75,), prefix="a")
    _panel, second = closed_results(world, (60,), prefix="b")
    draft(world, first)
    with pytest.raises(ValidationError) as exc:
        draft(world, second)
    assert "number" in exc.value.message_dict
    last_year = timezone.localdate().replace(year=timezone.localdate().year - 1, day=1)
    assert draft(world, second, date=last_year).number == "1234/QĐ-UBND"
