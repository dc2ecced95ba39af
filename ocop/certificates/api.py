"""Decisions and certificates over JSON: the same selectors and services as the pages.

The register is public: anyone may verify a certificate and read an issued decision's public
fields (number, date, issuer, signer, the recognised products and their certificates). What
the council scored, drafts, and who revoked a certificate and why are read only by those who
may see the record (`Action.DECISION_VIEW` within their area).
"""

import datetime

from django.db.models import Count
from django.http import Http404
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.security import django_auth

from ocop.pagination import DbInt, DbText, Pagination

from . import selectors, services
from .models import Certificate, DecisionStatus, RecognitionDecision

router = Router(tags=["certificates"])


class ProducerRef(Schema):
    name: str
    commune: str
    province: str


class DecisionRef(Schema):
    number: str
    date: datetime.date
    issuer: str


class PublicCertificateOut(Schema):
    number: str
    state: str  # valid, expired, superseded, revoked
    stars: int
    product: str
    product_group: str
    producer: ProducerRef
    decision: DecisionRef
    issued_on: datetime.date
    expires_on: datetime.date
    revoked_on: datetime.date | None
    superseded_by: str | None


class CertificateOut(Schema):
    """A certificate as its readers in the programme see it."""

    id: int
    number: str
    state: str
    status: str
    stars: int
    score: float | None  # None for an imported certificate whose score is not known
    product_id: int
    product: str
    product_group: str
    producer_id: int
    producer: str
    commune: str
    province: str
    decision_id: int
    decision_number: str
    decision_date: datetime.date
    issued_on: datetime.date
    expires_on: datetime.date
    superseded_by: str | None
    revoked_at: datetime.datetime | None
    revoke_reason: str

    @staticmethod
    def resolve_score(obj: Certificate) -> float:
        return float(obj.item.score) if obj.item.score is not None else None

    @staticmethod
    def resolve_product(obj: Certificate) -> str:
        return obj.product.name

    @staticmethod
    def resolve_product_group(obj: Certificate) -> str:
        return obj.product.product_group.name_vi

    @staticmethod
    def resolve_producer(obj: Certificate) -> str:
        return obj.producer.legal_name

    @staticmethod
    def resolve_commune(obj: Certificate) -> str:
        return obj.producer.commune.name

    @staticmethod
    def resolve_province(obj: Certificate) -> str:
        return obj.producer.commune.province.name

    @staticmethod
    def resolve_decision_number(obj: Certificate) -> str:
        return obj.decision.number

    @staticmethod
    def resolve_decision_date(obj: Certificate) -> datetime.date:
        return obj.decision.date

    @staticmethod
    def resolve_superseded_by(obj: Certificate) -> str | None:
        return obj.superseded_by.number if obj.superseded_by_id else None


class CertificateQuery(Schema):
    q: DbText = ""
    state: DbText = ""  # valid, expired, superseded, revoked
    province: DbInt | None = None


class RevokeIn(Schema):
    reason: DbText


class DecisionItemOut(Schema):
    product_id: int
    product: str
    producer: str
    commune: str
    province: str
    product_group: str
    stars: int
    score: float | None  # only for readers who may see the record
    certificate: str | None  # its number, once the decision is issued


class DecisionRow(Schema):
    id: int
    number: str
    date: datetime.date
    issuer: str
    level: str
    province: str | None
    status: str
    issued_at: datetime.datetime | None
    products: int

    @staticmethod
    def resolve_province(obj: RecognitionDecision) -> str | None:
        return obj.province.name if obj.province_id else None


class DecisionOut(Schema):
    id: int
    number: str
    date: datetime.date
    issuer: str
    signer_name: str
    signer_title: str
    level: str
    province: str | None
    status: str
    issued_at: datetime.datetime | None
    items: list[DecisionItemOut]


def _item_out(item, *, private: bool) -> dict:
    producer = item.producer
    certificate = getattr(item, "certificate", None)
    return {
        "product_id": item.product_id,
        "product": item.product.name,
        "producer": producer.legal_name,
        "commune": producer.commune.name,
        "province": producer.commune.province.name,
        "product_group": item.product_group.name_vi,
        "stars": item.stars,
        "score": float(item.score) if private and item.score is not None else None,
        "certificate": certificate.number if certificate else None,
    }


def _decision_out(decision: RecognitionDecision, *, private: bool) -> dict:
    return {
        "id": decision.pk,
        "number": decision.number,
        "date": decision.date,
        "issuer": decision.issuer,
        "signer_name": decision.signer_name,
        "signer_title": decision.signer_title,
        "level": decision.level,
        "province": decision.province.name if decision.province_id else None,
        "status": decision.status,
        "issued_at": decision.issued_at,
        "items": [
            _item_out(i, private=private) for i in selectors.decision_items(decision=decision)
        ],
    }


def _user(request):
    user = request.user
    return user if user.is_authenticated else None


# --- Public ---------------------------------------------------------------------------------


@router.get("/verify/{number}", response={200: PublicCertificateOut}, auth=None)
def certificate_verify(request, number: DbText):
    """The public register entry of a certificate (what its QR code shows): anyone may ask."""
    entry = selectors.certificate_public(number=number)
    if entry is None:
        raise Http404
    return entry.as_json()


@router.get("/decisions/{decision_id}", response=DecisionOut, auth=None)
def decision_detail(request, decision_id: DbInt):
    """An issued decision is public; its scores, and drafts, only for its readers."""
    user = _user(request)
    visible = selectors.decision_visible(user=user).filter(pk=decision_id).first() if user else None
    if visible is not None:
        return _decision_out(visible, private=True)
    issued = (
        RecognitionDecision.objects.filter(pk=decision_id, status=DecisionStatus.ISSUED)
        .select_related("province")
        .first()
    )
    if issued is None:
        raise Http404
    return _decision_out(issued, private=False)


# --- Within the reader's scope ----------------------------------------------------------------


@router.get("/decisions/", response=list[DecisionRow], auth=django_auth)
@paginate(Pagination)
def decision_list(request):
    """Decisions recognising products in the caller's area, newest first; each one's
    products and scores at /decisions/{id}."""
    return selectors.decision_visible(user=request.auth).annotate(products=Count("items"))


@router.get("/", response=list[CertificateOut], auth=django_auth)
@paginate(Pagination)
def certificate_list(request, query: Query[CertificateQuery]):
    """The certificate register of the caller's area, filtered; paginated with ?page=."""
    filters = selectors.CertificateFilters(**query.dict())
    return selectors.certificate_list(user=request.auth, filters=filters).select_related(
        "superseded_by"
    )


def _certificate(request, number: str) -> Certificate:
    certificate = selectors.certificate_get(user=request.auth, number=number)
    if certificate is None:
        raise Http404
    return certificate


@router.get("/{number}", response=CertificateOut, auth=django_auth)
def certificate_detail(request, number: DbText):
    return _certificate(request, number)


@router.post("/{number}/revoke", response=CertificateOut, auth=django_auth)
def certificate_revoke(request, number: DbText, payload: RevokeIn):
    """Revokes a certificate (post-recognition monitoring found a violation), effective at
    once on the public register; the reason is required."""
    certificate = services.certificate_revoke(
        actor=request.auth, certificate=_certificate(request, number), reason=payload.reason
    )
    return _certificate(request, certificate.number)
