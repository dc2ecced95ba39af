"""Small template helpers of the catalogue's search page: facet links keep every other
filter in the URL (so a filtered view can be shared) and drop the page number."""

from urllib.parse import urlencode

from django import template

from ocop.catalog.models import producer_url

register = template.Library()


@register.filter
def get(mapping, key):
    return mapping.get(key)


def _encoded(params, **changes) -> str:
    """The query string of `params` (the page's filters, without the page number) with
    `changes` applied (None removes a key)."""
    query = {k: v for k, v in params.items() if k != "page" and k not in changes}
    query.update({k: v for k, v in changes.items() if v is not None})
    return urlencode(query)


@register.simple_tag
def with_param(params, key, value) -> str:
    return _encoded(params, **{key: str(value)})


@register.simple_tag
def without(params, key) -> str:
    return _encoded(params, **{key: None})


@register.simple_tag
def producer_link(producer) -> str:
    return producer_url(producer)


@register.simple_tag
def province_link(province) -> str:
    from django.urls import reverse

    return reverse("catalog:province", args=[province.codename.replace("_", "-")])
