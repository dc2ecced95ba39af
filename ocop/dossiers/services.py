"""Assembling, submitting and reviewing evaluation dossiers (step 5 begins here).

Rules (see rules.py): a dossier for a product is scored against its product group's
criteria set; it is submitted only when complete; a submission freezes a numbered version;
an officer returns it with comments per item and the producer may then change only the
commented items; a later dossier for the same product starts as a copy of the last one,
every item marked for review.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ocop.accounts.models import User
from ocop.accounts.permissions import Action, can
from ocop.audit.services import audit_record
from ocop.criteria.scoring import result_as_dict, score
from ocop.documents.models import Document
from ocop.documents.services import document_delete, document_store
from ocop.forms import refuse_nul
from ocop.products.models import Product
from ocop.workflow import transition_perform

from . import rules, selectors
from .models import (
    DOSSIER_EDITABLE,
    DOSSIER_FLOW,
    Dossier,
    DossierItem,
    DossierPurpose,
    DossierStatus,
    DossierVersion,
    ItemKind,
    ReviewComment,
)

MAX_LINKS = 10


def _require(actor: User, action: Action, obj) -> None:
    if not can(actor, action, obj):
        raise PermissionDenied


@transaction.atomic
def dossier_create(
    *, actor: User, product: Product, purpose: str = DossierPurpose.FIRST, year: int | None = None
) -> Dossier:
    """Open a dossier for a product; with an earlier dossier, carry its items over."""
    _require(actor, Action.DOSSIER_EDIT, product)
    criteria_set = product.criteria_set
    if criteria_set is None:
        raise ValidationError(
            _("No criteria set is loaded for this product's group yet: it cannot be evaluated.")
        )
    if Dossier.objects.filter(product=product).exclude(status=DossierStatus.ACCEPTED).exists():
        raise ValidationError(_("This product has a dossier in progress already."))
    previous = Dossier.objects.filter(product=product).order_by("-created_at", "-id").first()
    dossier = Dossier.objects.create(
        product=product,
        criteria_set=criteria_set,
        purpose=purpose,
        year=year or timezone.localdate().year,
        carried_from=previous,
        created_by=actor,
    )
    carried = _carry_over(actor, previous, dossier) if previous else 0
    audit_record(
        actor=actor,
        action="dossier.create",
        target=dossier,
        note=ngettext(
            "%(n)s item carried over from the previous dossier.",
            "%(n)s items carried over from the previous dossier.",
            carried,
        )
        % {"n": carried}
        if previous
        else "",
    )
    return dossier


def _item_keys(dossier: Dossier) -> set[str]:
    spec = selectors.dossier_spec(dossier=dossier)
    branch = dossier.criteria_set.product_group.branch.code
    keys = {r.key for r in rules.requirements_for(branch)}
    keys |= {rules.criterion_key(c.code) for c in spec.criteria()}
    return keys


def _carry_over(actor: User, previous: Dossier, dossier: Dossier) -> int:
    """Copy the items the new criteria set still has, files included, each marked for review."""
    wanted = _item_keys(dossier)
    spec = selectors.dossier_spec(dossier=dossier)
    options = {rules.criterion_key(c.code): {o.code for o in c.options} for c in spec.criteria()}
    count = 0
    for old in previous.items.all():
        if old.key not in wanted:
            continue
        option = old.option if old.option in options.get(old.key, set()) else ""
        item = DossierItem.objects.create(
            dossier=dossier,
            key=old.key,
            kind=old.kind,
            option=option,
            explanation=old.explanation,
            links=list(old.links),
            needs_review=True,
        )
        for doc in selectors.item_documents(item=old):
            with doc.file.open("rb") as fh:
                copy = ContentFile(fh.read(), name=doc.original_name)
            document_store(file=copy, uploaded_by=actor, owner=item)
        count += 1
    return count


def _editable_item(actor: User, dossier: Dossier, key: str) -> DossierItem:
    """The item, created on first use, after checking that it may be changed now."""
    _require(actor, Action.DOSSIER_EDIT, dossier)
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if dossier.status not in DOSSIER_EDITABLE:
        raise ValidationError(_("A submitted or accepted dossier can no longer be changed."))
    if key not in _item_keys(dossier):
        raise ValidationError(_("This dossier has no item %(key)s.") % {"key": key})
    if dossier.status == DossierStatus.RETURNED:
        open_keys = selectors.open_comment_keys(dossier=dossier)
        if open_keys and key not in open_keys:
            raise ValidationError(
                _("The dossier was returned: change only the items the officer commented on.")
            )
    kind = ItemKind.DOCUMENT if key.startswith("doc:") else ItemKind.CRITERION
    item, _created = DossierItem.objects.get_or_create(
        dossier=dossier, key=key, defaults={"kind": kind}
    )
    return item


@transaction.atomic
def item_answer(
    *, actor: User, dossier: Dossier, criterion: str, option: str, explanation: str = ""
) -> DossierItem:
    """The producer's self-assessment of one criterion."""
    key = rules.criterion_key(criterion)
    item = _editable_item(actor, dossier, key)
    spec = selectors.dossier_spec(dossier=dossier)
    valid = {o.code for c in spec.criteria() if c.code == criterion for o in c.options}
    if option and option not in valid:
        raise ValidationError(_("Choose one of the criterion's options."))
    refuse_nul(explanation)
    before = {"option": item.option, "explanation": item.explanation}
    item.option = option
    item.explanation = explanation.strip()
    item.needs_review = False
    item.save()
    audit_record(
        actor=actor,
        action="dossier.answer",
        target=dossier,
        note=key,
        changes={f: [before[f], getattr(item, f)] for f in before if before[f] != getattr(item, f)},
    )
    return item


@transaction.atomic
def item_explain(*, actor: User, dossier: Dossier, key: str, explanation: str) -> DossierItem:
    """A note on an item (a document's note); writing it is editing, so a carried-over item
    no longer waits for review, as with an answer, a file or a link."""
    item = _editable_item(actor, dossier, key)
    refuse_nul(explanation)
    item.explanation = explanation.strip()
    item.needs_review = False
    item.save(update_fields=["explanation", "needs_review", "updated_at"])
    audit_record(actor=actor, action="dossier.note", target=dossier, note=key)
    return item


@transaction.atomic
def item_add_file(*, actor: User, dossier: Dossier, key: str, file) -> Document:
    item = _editable_item(actor, dossier, key)
    document = document_store(file=file, uploaded_by=actor, owner=item)
    item.needs_review = False
    item.save(update_fields=["needs_review", "updated_at"])
    audit_record(
        actor=actor, action="dossier.file", target=dossier, note=f"{key}: {document.original_name}"
    )
    return document


@transaction.atomic
def item_remove_file(*, actor: User, dossier: Dossier, document: Document) -> None:
    item = document.owner
    if not isinstance(item, DossierItem) or item.dossier_id != dossier.pk:
        raise PermissionDenied
    _editable_item(actor, dossier, item.key)
    audit_record(
        actor=actor,
        action="dossier.file_removed",
        target=dossier,
        note=f"{item.key}: {document.original_name}",
    )
    document_delete(document=document, actor=actor)


@transaction.atomic
def item_add_link(*, actor: User, dossier: Dossier, key: str, url: str) -> DossierItem:
    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError(_("Enter a full web address starting with https://.")) from None
    item = _editable_item(actor, dossier, key)
    if url not in item.links:
        if len(item.links) >= MAX_LINKS:
            raise ValidationError(_("An item holds at most %(n)s links.") % {"n": MAX_LINKS})
        item.links = [*item.links, url]
    item.needs_review = False
    item.save(update_fields=["links", "needs_review", "updated_at"])
    audit_record(actor=actor, action="dossier.link", target=dossier, note=f"{key}: {url}")
    return item


@transaction.atomic
def item_remove_link(*, actor: User, dossier: Dossier, key: str, url: str) -> DossierItem:
    item = _editable_item(actor, dossier, key)
    item.links = [link for link in item.links if link != url]
    item.save(update_fields=["links", "updated_at"])
    return item


@transaction.atomic
def item_mark_reviewed(*, actor: User, dossier: Dossier, key: str) -> DossierItem:
    """The producer confirms a carried-over item still holds."""
    item = _editable_item(actor, dossier, key)
    item.needs_review = False
    item.save(update_fields=["needs_review", "updated_at"])
    return item


@transaction.atomic
def dossier_submit(*, actor: User, dossier: Dossier) -> Dossier:
    """Freeze a numbered version and send the dossier to the officers.

    Refused, listing what is missing, while the completeness check finds anything.
    """
    _require(actor, Action.DOSSIER_EDIT, dossier)
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    missing = selectors.dossier_missing(dossier=dossier)
    if missing:
        raise ValidationError(
            ngettext(
                "The dossier is not complete: %(n)s item is missing or to be reviewed.",
                "The dossier is not complete: %(n)s items are missing or to be reviewed.",
                len(missing),
            )
            % {"n": len(missing)},
            code="incomplete",
        )
    number = dossier.version + 1
    spec = selectors.dossier_spec(dossier=dossier)
    answers = selectors.dossier_answers(dossier=dossier)
    DossierVersion.objects.create(
        dossier=dossier,
        number=number,
        snapshot=selectors.dossier_snapshot(dossier=dossier),
        self_score=result_as_dict(score(spec, answers)),
        submitted_by=actor,
    )
    ReviewComment.objects.filter(dossier=dossier, resolved_in__isnull=True).update(
        resolved_in=number
    )
    return transition_perform(
        actor=actor, table=DOSSIER_FLOW, record=dossier, name="submit", version=number
    )


@transaction.atomic
def dossier_return(
    *, actor: User, dossier: Dossier, reason: str, comments: dict[str, str]
) -> Dossier:
    """Return the dossier with a general reason and comments on the items to change."""
    _require(actor, Action.DOSSIER_REVIEW, dossier)
    keys = _item_keys(dossier)
    comments = {k: v.strip() for k, v in comments.items() if v and v.strip()}
    for text in comments.values():
        refuse_nul(text)
    unknown = set(comments) - keys
    if unknown:
        raise ValidationError(_("Unknown items: %(keys)s") % {"keys": ", ".join(sorted(unknown))})
    dossier = transition_perform(
        actor=actor, table=DOSSIER_FLOW, record=dossier, name="return", reason=reason
    )
    ReviewComment.objects.bulk_create(
        ReviewComment(
            dossier=dossier, version=dossier.version, item_key=key, text=text, author=actor
        )
        for key, text in comments.items()
    )
    return dossier


def dossier_accept(*, actor: User, dossier: Dossier) -> Dossier:
    return transition_perform(actor=actor, table=DOSSIER_FLOW, record=dossier, name="accept")
