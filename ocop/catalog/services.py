"""Writing the public catalogue: listings follow the register, trade events and their
participants, buyers' inquiries.

Rules implemented (issue "Public catalogue and trade promotion"; Decision 148/QĐ-TTg: the
programme promotes recognised products, 3★ and up):
- a product is listed while it holds a live certificate (valid, not superseded, not
  revoked); expiry hides it without any job (the listing's `valid_until`);
- nothing private is listed: no tax code, no score, no document but the product's photos,
  and the producer's contacts only if it chose to publish them;
- an inquiry reaches the producer; one sender may send a few an hour (rate limit by a hash
  of its network address) and a form filled by a robot (the honeypot field) is dropped.
"""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ocop.accounts.models import User
from ocop.accounts.permissions import Action, can
from ocop.audit.services import audit_record
from ocop.certificates.models import Certificate, CertificateStatus
from ocop.search.text import fold

from .models import ApplicationStatus, Inquiry, Listing, TradeEvent, TradeEventApplication

SUMMARY_LENGTH = 300
BODY_DESCRIPTION = 600  # characters of the description that search reads


def _live_certificate(product) -> Certificate | None:
    return (
        Certificate.objects.filter(
            product=product, status=CertificateStatus.VALID, superseded_by__isnull=True
        )
        .order_by("-issued_on", "-id")
        .first()
    )


def _summary(text: str) -> str:
    text = " ".join((text or "").split())
    if len(text) <= SUMMARY_LENGTH:
        return text
    return text[: SUMMARY_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def listing_refresh(*, product) -> Listing | None:
    """Bring the product's listing in line with the register: created, updated (new star
    class, new photo, new name) or removed (revoked, no live certificate)."""
    from ocop.products.selectors import product_photos

    certificate = _live_certificate(product)
    if certificate is None:
        Listing.objects.filter(product=product).delete()
        return None
    product = (
        type(product)
        .objects.select_related("producer__commune__province", "product_group")
        .get(pk=product.pk)
    )
    producer = product.producer
    commune = producer.commune
    group = product.product_group
    photo = product_photos(product=product).first()
    data = {
        "certificate": certificate,
        "slug": slugify(fold(product.name))[:100] or "san-pham",
        "name": product.name,
        "producer": producer,
        "producer_type": producer.producer_type,
        "product_group": group,
        "commune": commune,
        "province": commune.province,
        "stars": certificate.stars,
        "recognised_on": certificate.issued_on,
        "valid_until": certificate.expires_on,
        "summary": _summary(product.description),
        "photo": photo,
        "name_text": fold(product.name),
        "producer_text": fold(producer.legal_name),
        "body_text": fold(
            " ".join(
                [
                    group.name_vi,
                    group.name_en,
                    commune.name,
                    commune.province.name,
                    (product.description or "")[:BODY_DESCRIPTION],
                ]
            )
        ),
    }
    listing, _created = Listing.objects.update_or_create(product=product, defaults=data)
    return listing


def producer_listings_refresh(*, producer) -> None:
    """After the producer's name, type or commune changed."""
    for product in producer.products.filter(certificates__isnull=False).distinct():
        listing_refresh(product=product)


def listings_rebuild() -> int:
    """Every listing from the register (after an import, or on a database made before the
    catalogue existed). Returns how many products are listed."""
    from ocop.products.models import Product

    with transaction.atomic():
        products = Product.objects.filter(certificates__isnull=False).distinct()
        listed = {p.pk for p in products if listing_refresh(product=p) is not None}
        Listing.objects.exclude(product_id__in=listed).delete()
    return len(listed)


# --- Buyers' inquiries ------------------------------------------------------------------------

INQUIRY_FIELDS = (
    "buyer_name",
    "organisation",
    "email",
    "phone",
    "quantity",
    "destination",
    "message",
)
INQUIRIES_PER_HOUR = 5


def sender_hash(address: str) -> str:
    """The sender's network address, hashed with the site's secret: enough to count its
    messages, useless to find who sent them."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:16]


class Spam(Exception):
    """A message the form's honeypot caught: dropped without a word to its robot."""


@transaction.atomic
def inquiry_send(*, listing: Listing, data: dict, address: str, honeypot: str = "") -> Inquiry:
    """A buyer asks the producer about a listed product."""
    if honeypot:
        raise Spam
    unknown = set(data) - set(INQUIRY_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    digest = sender_hash(address)
    since = timezone.now() - datetime.timedelta(hours=1)
    if (
        Inquiry.objects.filter(sender_hash=digest, created_at__gte=since).count()
        >= INQUIRIES_PER_HOUR
    ):
        raise ValidationError(
            _("You have sent several messages in the last hour: please try again later.")
        )
    inquiry = Inquiry(
        product_id=listing.product_id, producer_id=listing.producer_id, sender_hash=digest, **data
    )
    if not (inquiry.email or inquiry.phone):
        raise ValidationError({"email": _("Give an email or a phone number to be answered.")})
    inquiry.full_clean()
    inquiry.save()
    return inquiry


def inquiry_mark_read(*, actor: User, inquiry: Inquiry) -> Inquiry:
    if not can(actor, Action.INQUIRY_READ, inquiry.producer):
        raise PermissionDenied
    if inquiry.read_at is None:
        inquiry.read_at = timezone.now()
        inquiry.save(update_fields=["read_at"])
    return inquiry


# --- Trade events -----------------------------------------------------------------------------

EVENT_FIELDS = (
    "name",
    "kind",
    "starts_on",
    "ends_on",
    "place",
    "province",
    "organiser",
    "description",
    "applications_close_on",
)


@transaction.atomic
def trade_event_save(*, actor: User, data: dict, event: TradeEvent | None = None) -> TradeEvent:
    """Publish a trade event of the officer's province (or change it)."""
    unknown = set(data) - set(EVENT_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    event = event or TradeEvent(created_by=actor)
    for key, value in data.items():
        setattr(event, key, value)
    if event.province_id is None or not can(actor, Action.EVENT_MANAGE, event.province):
        raise PermissionDenied
    if event.starts_on and event.ends_on and event.ends_on < event.starts_on:
        raise ValidationError({"ends_on": _("The event cannot end before it starts.")})
    creating = event.pk is None
    event.full_clean()
    event.save()
    audit_record(
        actor=actor,
        action="event.create" if creating else "event.update",
        target=event,
        changes={"name": [None, event.name]},
    )
    return event


@transaction.atomic
def trade_event_apply(
    *, actor: User, event: TradeEvent, producer, products, note: str = ""
) -> TradeEventApplication:
    """A producer asks to take part with some of its listed products."""
    if not can(actor, Action.PRODUCER_CHANGE, producer):
        raise PermissionDenied
    today = timezone.localdate()
    closes = event.applications_close_on or event.starts_on
    if closes < today:
        raise ValidationError(_("Requests to take part in this event are closed."))
    products = list(products)
    if not products:
        raise ValidationError({"products": _("Choose the products you will show.")})
    if any(p.producer_id != producer.pk or not hasattr(p, "listing") for p in products):
        raise ValidationError(
            {"products": _("Only the producer's own recognised products can be shown.")}
        )
    application, created = TradeEventApplication.objects.get_or_create(
        event=event, producer=producer, defaults={"note": note}
    )
    if not created:
        if application.status != ApplicationStatus.PENDING:
            raise ValidationError(_("The organiser has already answered this request."))
        application.note = note
        application.save(update_fields=["note"])
    application.products.set(products)
    audit_record(
        actor=actor,
        action="event.apply",
        target=event,
        changes={"producer": [None, producer.legal_name], "products": len(products)},
    )
    return application


@transaction.atomic
def trade_event_decide(
    *, actor: User, application: TradeEventApplication, accept: bool
) -> TradeEventApplication:
    application = TradeEventApplication.objects.select_for_update().get(pk=application.pk)
    if not can(actor, Action.EVENT_MANAGE, application.event.province):
        raise PermissionDenied
    old = application.status
    application.status = ApplicationStatus.ACCEPTED if accept else ApplicationStatus.DECLINED
    application.decided_by = actor
    application.save(update_fields=["status", "decided_by"])
    audit_record(
        actor=actor,
        action="event.decide",
        target=application.event,
        changes={"producer": application.producer.legal_name, "status": [old, application.status]},
    )
    return application
