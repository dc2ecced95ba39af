from decimal import Decimal

from django import template
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def plural_count(points) -> int:
    """An integer to choose a plural form for a points value that may hold a half point.

    gettext needs an integer; 1 stays 1, and any other value (0, 0.5, 1.5, 40) takes the
    "many" form, as "1 point" but "1.5 points" in English.
    """
    return 1 if Decimal(points) == 1 else 2


@register.simple_tag
def criterion_options(criterion, chosen: str = "") -> str:
    """A criterion's options as radio inputs named a-{code}, `chosen` checked. Built here
    rather than by a loop in the template: a council's sheet has some 150 options, and the
    template engine took most of the scoring page's time to render them."""
    inputs = []
    for o in criterion.options:
        stars = (
            format_html(' <span class="badge">{}★</span>', o.required_for_stars)
            if o.required_for_stars
            else ""
        )
        inputs.append(
            format_html(
                '<label class="option"><input type="radio" name="a-{}" value="{}"{}><span>{}) '
                "{} — <strong>{}</strong>{}</span></label>",
                criterion.code,
                o.code,
                mark_safe(" checked") if chosen == o.code else "",  # noqa: S308
                o.code,
                o.label,
                localize(o.points.normalize()),
                stars,
            )
        )
    return mark_safe("".join(inputs))  # noqa: S308 (each part escaped by format_html)
