"""Expiry reminders: the producer's members and the provincial officers of its province are
emailed 6, 3 and 1 month before a certificate expires (the milestones are data, in
data/terms.yaml).

`reminders_send` is run once a day by the task `tasks.send_expiry_reminders` (Django's Tasks
framework has no scheduler: cron or a systemd timer runs `manage.py ocop_reminders`, which
runs or enqueues it). Each milestone is sent at most once: its ExpiryReminder row is written
in the same transaction as the email goes out, under a unique constraint.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from ocop.accounts.models import Role, User

from . import terms
from .models import Certificate, CertificateStatus, ExpiryReminder

DEFAULT_SITE_URL = "http://127.0.0.1:8000"


def _milestone_day(certificate: Certificate, months: int) -> datetime.date:
    return terms.add_months(certificate.expires_on, -months)


def reminders_due(*, today: datetime.date) -> list[tuple[Certificate, int]]:
    """(certificate, months) for each valid certificate (not revoked, not superseded, not
    expired) whose nearest milestone reached by `today` has not been sent yet. A certificate
    already past its 3-month mark on its first run gets the 3-month reminder only."""
    months = terms.reminder_months()
    if not months:
        return []
    horizon = terms.add_months(today, max(months))
    candidates = (
        Certificate.objects.filter(
            status=CertificateStatus.VALID,
            superseded_by__isnull=True,
            expires_on__gte=today,
            expires_on__lte=horizon,
        )
        .select_related("product", "producer__commune")
        .prefetch_related("reminders")
        .order_by("expires_on", "id")
    )
    due = []
    for certificate in candidates:
        reached = [m for m in months if _milestone_day(certificate, m) <= today]
        if not reached:
            continue
        nearest = min(reached)
        recorded = {r.months_before for r in certificate.reminders.all()}
        if any(m <= nearest for m in recorded):
            continue  # this milestone (or a nearer one) is done
        due.append((certificate, nearest))
    return due


def reminder_recipients(certificate: Certificate) -> list[str]:
    """The email addresses of the producer's members and of the provincial officers of the
    producer's province (active users with an email address)."""
    province_id = certificate.producer.commune.province_id
    users = User.objects.filter(
        Q(memberships__role=Role.PRODUCER_MEMBER, memberships__producer=certificate.producer_id)
        | Q(memberships__role=Role.PROVINCIAL_OFFICER, memberships__province=province_id),
        is_active=True,
        email__isnull=False,
    ).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def _site_url() -> str:
    return getattr(settings, "SITE_URL", DEFAULT_SITE_URL).rstrip("/")


def _months_vi(months: int) -> str:
    return f"{months} tháng"


def reminder_message(certificate: Certificate, months: int, recipients: list[str]) -> EmailMessage:
    expires = certificate.expires_on.strftime("%d/%m/%Y")
    url = _site_url() + reverse("certificates:verify", args=[certificate.number])
    subject = (
        f"[OCOP] Giấy chứng nhận {certificate.number} hết hiệu lực ngày {expires} "
        f"(còn {_months_vi(months)})"
    )
    body = "\n".join(
        [
            "Kính gửi chủ thể sản phẩm OCOP và cán bộ phụ trách OCOP cấp tỉnh,",
            "",
            f"Giấy chứng nhận sản phẩm OCOP số {certificate.number} của sản phẩm "
            f"“{certificate.product.name}” ({certificate.stars} sao), cấp cho "
            f"{certificate.producer.legal_name}, sẽ hết hiệu lực vào ngày {expires} "
            f"(còn khoảng {_months_vi(months)}).",
            "",
            "Để tiếp tục được công nhận, chủ thể cần chuẩn bị hồ sơ đánh giá lại trước khi "
            "giấy chứng nhận hết hiệu lực.",
            "",
            f"Tra cứu giấy chứng nhận: {url}",
            "",
            "Thư này được gửi tự động từ hệ thống quản lý Chương trình OCOP; vui lòng không "
            "trả lời thư này.",
        ]
    )
    return EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=recipients
    )


def _send_one(certificate: Certificate, months: int) -> bool:
    """Record the milestone (and the larger ones passed, as skipped) and send the email, in
    one transaction: a failed send records nothing; a concurrent run records it once."""
    recipients = reminder_recipients(certificate)
    try:
        with transaction.atomic():
            ExpiryReminder.objects.create(
                certificate=certificate, months_before=months, recipients=recipients
            )
            larger = [m for m in terms.reminder_months() if m > months]
            ExpiryReminder.objects.bulk_create(
                [
                    ExpiryReminder(certificate=certificate, months_before=m, skipped=True)
                    for m in larger
                ],
                ignore_conflicts=True,
            )
            if recipients:
                reminder_message(certificate, months, recipients).send()
    except IntegrityError:
        return False  # another run recorded this milestone first
    return bool(recipients)


def reminders_send(*, today: datetime.date | None = None) -> int:
    """Send the reminders due on `today`; the number of emails sent."""
    today = today or timezone.localdate()
    return sum(_send_one(certificate, months) for certificate, months in reminders_due(today=today))
