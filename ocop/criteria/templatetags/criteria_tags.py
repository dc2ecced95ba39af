from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def plural_count(points) -> int:
    """An integer to choose a plural form for a points value that may hold a half point.

    gettext needs an integer; 1 stays 1, and any other value (0, 0.5, 1.5, 40) takes the
    "many" form, as "1 point" but "1.5 points" in English.
    """
    return 1 if Decimal(points) == 1 else 2
