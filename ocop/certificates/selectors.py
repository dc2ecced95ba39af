"""Reading decisions and certificates, always through the reader's scope; and the public
register entry of a certificate, which shows nothing private."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from ocop.accounts.permissions import Action, scope_q
from ocop.search.text import fold

from .models import (
    Certificate,
    CertificateState,
    CertificateStatus,
    DecisionItem,
    RecognitionDecision,
)

CERTIFICATE_SCOPE = {
    "province": "producer__commune__province_id",
    "commune": "producer__commune_id",
    "producer": "producer_id",
}
DECISION_SCOPE = {
    "province": "items__producer__commune__province_id",
    "commune": "items__producer__commune_id",
    "producer": "items__producer_id",
}


def decision_visible(*, user, action: Action = Action.DECISION_VIEW) -> QuerySet:
    """Decisions recognising at least one product in the reader's area (a province officer
    also sees the central decisions on the province's products)."""
    q = scope_q(user, action, **DECISION_SCOPE)
    if q is None:
        return RecognitionDecision.objects.none()
    ids = RecognitionDecision.objects.filter(q).values("pk")
    return RecognitionDecision.objects.filter(pk__in=ids).select_related("province")


def decision_items(*, decision: RecognitionDecision) -> QuerySet[DecisionItem]:
    return decision.items.select_related(
        "product", "producer__commune__province", "product_group", "certificate"
    ).order_by("id")


def certificate_visible(*, user) -> QuerySet[Certificate]:
    q = scope_q(user, Action.DECISION_VIEW, **CERTIFICATE_SCOPE)
    if q is None:
        return Certificate.objects.none()
    return Certificate.objects.filter(q)


def state_q(state: str, today: datetime.date | None = None) -> Q:
    """The rows whose `Certificate.state` is `state` today, as a filter."""
    today = today or timezone.localdate()
    live = Q(status=CertificateStatus.VALID, superseded_by__isnull=True)
    return {
        CertificateState.REVOKED: Q(status=CertificateStatus.REVOKED),
        CertificateState.SUPERSEDED: Q(status=CertificateStatus.VALID, superseded_by__isnull=False),
        CertificateState.EXPIRED: live & Q(expires_on__lt=today),
        CertificateState.VALID: live & Q(expires_on__gte=today),
    }[state]


@dataclass(frozen=True)
class CertificateFilters:
    q: str = ""
    state: str = ""
    province: int | None = None


def certificate_list(*, user, filters: CertificateFilters | None = None) -> QuerySet[Certificate]:
    filters = filters or CertificateFilters()
    qs = certificate_visible(user=user).select_related(
        "product__product_group",
        "producer__commune__province",
        "decision",
        "item",
    )
    if filters.q:
        text = filters.q.strip()
        folded = fold(text)
        qs = qs.filter(
            Q(number__icontains=text)
            | Q(product__search_text__contains=folded)
            | Q(producer__search_text__contains=folded)
        )
    if filters.state in CertificateState.values:
        qs = qs.filter(state_q(filters.state))
    if filters.province:
        qs = qs.filter(producer__commune__province_id=filters.province)
    return qs.order_by("-issued_on", "-id")


def certificate_get(*, user, number: str) -> Certificate | None:
    return certificate_visible(user=user).filter(number=number).first()


def product_certificates(*, product) -> list[Certificate]:
    """Every certificate the product has held, newest first (its star class in the programme
    is the one whose state is valid today, if any)."""
    return list(
        Certificate.objects.filter(product=product)
        .select_related("decision", "superseded_by")
        .order_by("-issued_on", "-id")
    )


def product_current_certificate(*, product) -> Certificate | None:
    """The product's certificate in force today: its star class in the programme."""
    return (
        Certificate.objects.filter(product=product)
        .filter(state_q(CertificateState.VALID))
        .order_by("-issued_on", "-id")
        .first()
    )


@dataclass(frozen=True)
class PublicCertificate:
    """What anyone may read of a certificate in the register: no score sheet, no member,
    no document, no contact detail."""

    number: str
    state: str
    state_label: str
    stars: int
    product: str
    product_group: str
    producer: str
    commune: str
    province: str
    decision_number: str
    decision_date: datetime.date
    issuer: str
    issued_on: datetime.date
    expires_on: datetime.date
    revoked_on: datetime.date | None
    superseded_by: str | None

    def as_json(self) -> dict:
        return {
            "number": self.number,
            "state": self.state,
            "stars": self.stars,
            "product": self.product,
            "product_group": self.product_group,
            "producer": {
                "name": self.producer,
                "commune": self.commune,
                "province": self.province,
            },
            "decision": {
                "number": self.decision_number,
                "date": self.decision_date.isoformat(),
                "issuer": self.issuer,
            },
            "issued_on": self.issued_on.isoformat(),
            "expires_on": self.expires_on.isoformat(),
            "revoked_on": self.revoked_on.isoformat() if self.revoked_on else None,
            "superseded_by": self.superseded_by,
        }


def certificate_public(*, number: str) -> PublicCertificate | None:
    """The register entry for anyone (the QR code on the certificate leads here)."""
    c = (
        Certificate.objects.filter(number=number.strip().upper())
        .select_related(
            "product__product_group",
            "producer__commune__province",
            "decision",
            "superseded_by",
        )
        .first()
    )
    if c is None:
        return None
    state = c.state
    revoked_on = timezone.localdate(c.revoked_at) if c.revoked_at else None
    return PublicCertificate(
        number=c.number,
        state=state,
        state_label=str(CertificateState(state).label),
        stars=c.stars,
        product=c.product.name,
        product_group=c.product.product_group.name_vi,
        producer=c.producer.legal_name,
        commune=c.producer.commune.name,
        province=c.producer.commune.province.name,
        decision_number=c.decision.number,
        decision_date=c.decision.date,
        issuer=c.decision.issuer,
        issued_on=c.issued_on,
        expires_on=c.expires_on,
        revoked_on=revoked_on,
        superseded_by=c.superseded_by.number if c.superseded_by else None,
    )
