import datetime
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from conftest import make_user
from ocop.accounts.models import Role
from ocop.certificates import services, terms
from ocop.certificates.models import Certificate, ExpiryReminder
from ocop.certificates.reminders import reminder_recipients, reminders_due, reminders_send
from ocop.certificates.tasks import send_expiry_reminders

from .conftest import closed_results, decision_data

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def issue(world, totals=(75,), **kwargs):
    _panel, results = closed_results(world, totals, **kwargs)
    officer = world.users["provincial_officer"]
    decision = services.decision_draft(
        actor=officer, session_or_assignments=results, data=decision_data()
    )
    services.decision_issue(actor=officer, decision=decision)
    return list(decision.certificates.order_by("id"))


@pytest.fixture
def certificate(world):
    return issue(world)[0]


def before(certificate, months: int, days: int = 0):
    """The day `months` calendar months (and `days` more days) before the expiry date."""
    return terms.add_months(certificate.expires_on, -months) - datetime.timedelta(days=days)


def test_milestones_are_data():
    assert terms.reminder_months() == (6, 3, 1)


def test_six_months_before_expiry_the_six_month_reminder_is_due(certificate):
    assert reminders_due(today=before(certificate, 6, days=1)) == []
    assert reminders_due(today=before(certificate, 6)) == [(certificate, 6)]


def test_a_late_first_run_sends_only_the_nearest_milestone(certificate):
    today = before(certificate, 2) - datetime.timedelta(days=15)  # about 2.5 months left
    assert reminders_due(today=today) == [(certificate, 3)]
    assert reminders_send(today=today) == 1
    rows = {r.months_before: r.skipped for r in certificate.reminders.all()}
    assert rows == {6: True, 3: False}
    assert len(mail.outbox) == 1 and "3 tháng" in mail.outbox[0].subject


def test_each_milestone_is_sent_once(certificate):
    for months in (6, 3, 1):
        day = before(certificate, months)
        assert reminders_send(today=day) == 1
        assert reminders_send(today=day) == 0  # run twice: no second email
    assert len(mail.outbox) == 3
    assert ExpiryReminder.objects.filter(skipped=False).count() == 3
    # The last days before expiry, the expiry day itself and after: nothing more.
    assert reminders_send(today=certificate.expires_on) == 0
    assert len(mail.outbox) == 3


def test_revoked_superseded_and_expired_certificates_get_none(world):
    revoked, superseded, expired = issue(world, (75, 75, 75))
    services.certificate_revoke(
        actor=world.users["provincial_officer"], certificate=revoked, reason="Vi phạm"
    )
    newer = Certificate.objects.filter(pk=expired.pk)
    Certificate.objects.filter(pk=superseded.pk).update(superseded_by=newer.get())
    day = before(expired, 1)
    assert reminders_due(today=day) == [(expired, 1)]
    assert reminders_due(today=terms.add_months(expired.expires_on, 1)) == []
    Certificate.objects.filter(pk=expired.pk).update(status="revoked")
    assert reminders_send(today=day) == 0
    assert mail.outbox == []


def test_recipients_are_the_producers_members_and_the_provinces_officers(world, certificate):
    make_user("second_member", Role.PRODUCER_MEMBER, producer=world.producer_a)
    gone = make_user("inactive_member", Role.PRODUCER_MEMBER, producer=world.producer_a)
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    make_user("other_member", Role.PRODUCER_MEMBER, producer=world.producer_b)
    assert reminder_recipients(certificate) == [
        "producer_member@test.ocop.vn",
        "provincial_officer@test.ocop.vn",
        "second_member@test.ocop.vn",
    ]


def test_the_email_is_in_vietnamese_with_the_verification_link(settings, certificate):
    settings.SITE_URL = "https://ocop.lamdong.gov.vn/"
    reminders_send(today=before(certificate, 6))
    (message,) = mail.outbox
    assert certificate.number in message.subject
    assert message.subject.startswith("[OCOP] Giấy chứng nhận")
    assert "hết hiệu lực" in message.subject
    assert sorted(message.to) == [
        "producer_member@test.ocop.vn",
        "provincial_officer@test.ocop.vn",
    ]
    assert certificate.product.name in message.body
    assert certificate.expires_on.strftime("%d/%m/%Y") in message.body
    assert f"https://ocop.lamdong.gov.vn/chung-nhan/{certificate.number}/" in message.body
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    (row,) = certificate.reminders.all()
    assert row.recipients == sorted(message.to)


def test_the_link_falls_back_to_the_local_site(settings, certificate):
    del settings.SITE_URL
    reminders_send(today=before(certificate, 6))
    assert "http://127.0.0.1:8000/" in mail.outbox[0].body


def test_the_task_enqueues_and_runs(certificate):
    with (
        override_settings(TASKS=IMMEDIATE),
        mock.patch("ocop.certificates.tasks.timezone.localdate") as localdate,
    ):
        localdate.return_value = before(certificate, 1)
        result = send_expiry_reminders.enqueue()
    assert result.return_value == 1
    assert len(mail.outbox) == 1 and certificate.number in mail.outbox[0].subject


def test_the_command_runs_now_or_enqueues(certificate, capsys):
    with mock.patch("ocop.certificates.tasks.timezone.localdate") as localdate:
        localdate.return_value = before(certificate, 3)
        call_command("ocop_reminders")
        assert "Sent 1 expiry reminder(s)." in capsys.readouterr().out
        with override_settings(TASKS=IMMEDIATE):
            call_command("ocop_reminders", "--enqueue")
        assert "Enqueued send_expiry_reminders" in capsys.readouterr().out
    assert len(mail.outbox) == 1  # the enqueued run found nothing new
