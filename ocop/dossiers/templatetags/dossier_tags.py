from django import template
from django.utils.translation import gettext_lazy as _

from ocop.dossiers import rules

register = template.Library()

MISSING_REASONS = {
    "document": _("add the document (a file or a link)"),
    "answer": _("choose an answer"),
    "evidence": _("add evidence and a short explanation"),
    "review": _("carried over: check it is still valid"),
}


@register.filter
def anchor(key: str) -> str:
    return key.replace(":", "-").replace(".", "-")


@register.filter
def missing_reason(reason: str) -> str:
    return MISSING_REASONS.get(reason, reason)


@register.filter
def item_label(key: str, dossier) -> str:
    """A readable name for an item key: the document's name or the criterion's code and name."""
    if key.startswith("doc:"):
        code = key.removeprefix("doc:")
        for r in rules.document_requirements():
            if r.code == code:
                return r.name_vi
        return code
    code = key.removeprefix("crit:")
    names = getattr(dossier, "_criterion_names", None)
    if names is None:
        from ocop.dossiers.selectors import dossier_spec

        names = {c.code: c.name for c in dossier_spec(dossier=dossier).criteria()}
        dossier._criterion_names = names
    return f"{code} {names.get(code, '')}".strip()


@register.filter
def option_points(option: str, criterion):
    for o in criterion.options:
        if o.code == option:
            # int() for whole numbers: Decimal("10").normalize() would print as "1E+1".
            return int(o.points) if o.points == o.points.to_integral() else o.points.normalize()
    return None


@register.filter
def comment_for(post, key: str) -> str:
    """What the officer typed for an item, kept when the review form comes back with an error."""
    return post.get(f"comment-{key}", "") if post else ""
