"""The public catalogue (step 6 of the OCOP cycle): recognised products as buyers and
consumers find them, trade events, and buyers' inquiries.

A `Listing` is derived from the register: one row per product holding a live certificate,
rebuilt by `services.listing_refresh` whenever the product, its producer or its certificates
change. Expiry needs no job: a listing is shown while `valid_until` has not passed. The
search index (SQLite FTS5, or a PostgreSQL tsvector) follows the listing rows by triggers
(migration 0002), so it can never disagree with them.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from ocop.search.text import fold


class Listing(models.Model):
    product = models.OneToOneField(
        "products.Product", on_delete=models.CASCADE, related_name="listing"
    )
    certificate = models.ForeignKey(
        "certificates.Certificate", on_delete=models.CASCADE, related_name="+"
    )
    slug = models.SlugField(max_length=120)
    name = models.CharField(_("product name"), max_length=255)
    producer = models.ForeignKey(
        "producers.Producer", on_delete=models.CASCADE, related_name="listings"
    )
    producer_type = models.CharField(_("type"), max_length=30)
    product_group = models.ForeignKey(
        "criteria.ProductGroup", on_delete=models.PROTECT, related_name="+"
    )
    commune = models.ForeignKey("geo.Commune", on_delete=models.PROTECT, related_name="+")
    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="+")
    stars = models.PositiveSmallIntegerField(_("star class"))
    recognised_on = models.DateField(_("recognised on"))
    valid_until = models.DateField(_("valid until"))
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    photo = models.ForeignKey(
        "documents.Document", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What search matches, lower-case and accent-free (search/text.fold): the product's
    # name weighs most, then the producer's, then the rest (group, place, description).
    name_text = models.TextField(default="")
    producer_text = models.TextField(default="")
    body_text = models.TextField(default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-stars", "-recognised_on", "id"]
        verbose_name = _("catalogue listing")
        verbose_name_plural = _("catalogue listings")
        indexes = [
            # Browsing counts by facet without reading the rows: star class first (the home
            # page and the star filter), then a province's listings.
            models.Index(
                fields=["stars", "valid_until", "province", "product_group", "producer_type"],
                name="listing_by_stars",
            ),
            models.Index(
                fields=["province", "valid_until", "product_group", "stars", "producer_type"],
                name="listing_by_province",
            ),
            models.Index(fields=["valid_until", "product_group", "province"], name="listing_live"),
            models.Index(fields=["recognised_on"], name="listing_recognised"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:product", kwargs={"slug": self.slug, "pk": self.product_id})

    def get_producer_url(self) -> str:
        return producer_url(self.producer)

    @property
    def stars_text(self) -> str:
        return "★" * self.stars


def producer_url(producer) -> str:
    """The producer's public page in the catalogue."""
    slug = slugify(fold(producer.legal_name))[:100] or "chu-the"
    return reverse("catalog:producer", kwargs={"slug": slug, "pk": producer.pk})


class TradeEventKind(models.TextChoices):
    FAIR = "fair", _("Fair or exhibition")
    FORUM = "forum", _("Trade forum or buyer meeting")
    SHOWROOM = "showroom", _("OCOP showroom or sales point")
    ONLINE = "online", _("Online promotion")


class TradeEvent(models.Model):
    """A fair, forum, showroom or online promotion where OCOP producers show their products."""

    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=TradeEventKind.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    place = models.CharField(_("place"), max_length=255)
    province = models.ForeignKey(
        "geo.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    organiser = models.CharField(_("organiser"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    applications_close_on = models.DateField(_("applications close on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "id"]
        verbose_name = _("trade event")
        verbose_name_plural = _("trade events")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:event", args=[self.pk])


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the organiser")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class TradeEventApplication(models.Model):
    """A producer's request to take part in a trade event with some of its products."""

    event = models.ForeignKey(TradeEvent, on_delete=models.CASCADE, related_name="applications")
    producer = models.ForeignKey("producers.Producer", on_delete=models.CASCADE, related_name="+")
    products = models.ManyToManyField("products.Product", related_name="+", blank=True)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["event_id", "created_at"]
        verbose_name = _("participation request")
        verbose_name_plural = _("participation requests")
        constraints = [
            models.UniqueConstraint(fields=["event", "producer"], name="one_request_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.producer} @ {self.event}"


class Inquiry(models.Model):
    """A buyer's message about a product, for its producer."""

    product = models.ForeignKey(
        "products.Product", on_delete=models.CASCADE, related_name="inquiries"
    )
    producer = models.ForeignKey(
        "producers.Producer", on_delete=models.CASCADE, related_name="inquiries"
    )
    buyer_name = models.CharField(_("your name"), max_length=150)
    organisation = models.CharField(_("organisation"), max_length=255, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    quantity = models.CharField(_("quantity wanted"), max_length=100, blank=True)
    destination = models.CharField(_("delivery to"), max_length=255, blank=True)
    message = models.TextField(_("message"))
    # A hash of the sender's network address, kept only to limit how often one sends.
    sender_hash = models.CharField(max_length=16, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("buyer inquiry")
        verbose_name_plural = _("buyer inquiries")

    def __str__(self) -> str:
        return f"{self.buyer_name}: {self.product}"
