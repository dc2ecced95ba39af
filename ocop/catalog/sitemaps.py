"""The sitemap of the public pages: the catalogue's products, producers and provinces."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from ocop.geo.models import Province
from ocop.producers.models import Producer

from .models import producer_url
from .selectors import listed


class ListingSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8
    limit = 5000

    def items(self):
        return listed().order_by("id").only("id", "slug", "product_id", "updated_at")

    def lastmod(self, item):
        return item.updated_at


class ProducerSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5
    limit = 5000

    def items(self):
        return (
            Producer.objects.filter(pk__in=listed().values("producer_id"))
            .order_by("id")
            .only("id", "legal_name")
        )

    def location(self, item):
        return producer_url(item)


class ProvinceSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return Province.objects.filter(pk__in=listed().values("province_id")).order_by("code")

    def location(self, item):
        return reverse("catalog:province", args=[item.codename.replace("_", "-")])


class PagesSitemap(Sitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["catalog:home", "catalog:events", "catalog:open_data"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "pages": PagesSitemap,
    "products": ListingSitemap,
    "producers": ProducerSitemap,
    "provinces": ProvinceSitemap,
}
