"""Recognition decisions and certificates (after step 5 of the OCOP cycle).

Rules implemented (../shared/reference/ocop_rules.md, "Who evaluates what" and
"Certificates"; the level rules are data in evaluation/data/levels.yaml, the terms in
data/terms.yaml):
- only a closed council result of a real (not trial) round is recognised, once, and only a
  star class the council's level may grant (from 6 July 2025, Decision 1489/QĐ-TTg: the
  province 3★–4★, the centre 5★); 1★ and 2★ are not OCOP products;
- issuing a decision creates every product's certificate at once, all or nothing;
- a certificate is valid for 36 months (Decision 148/QĐ-TTg); a new certificate of the
  same product supersedes the previous one; the issuing level may revoke it, saying why.

Every service checks the permission, validates, saves and audits in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.accounts.models import User
from ocop.accounts.permissions import RULES, Action, Reach, can, memberships
from ocop.audit.services import audit_record
from ocop.catalog.services import listing_refresh
from ocop.evaluation import rules as level_rules
from ocop.evaluation.models import Assignment, AssignmentStatus, CouncilSession, Level

from . import terms
from .models import (
    Certificate,
    CertificateSequence,
    CertificateStatus,
    DecisionItem,
    DecisionStatus,
    RecognitionDecision,
)

RECOGNISED_FROM_STARS = 3
DECISION_FIELDS = ("number", "date", "issuer", "signer_name", "signer_title")
CENTRAL_ISSUER = "Bộ Nông nghiệp và Môi trường"


def _nation_reach(actor: User, action: Action) -> bool:
    allowed = RULES[action]
    return any(allowed.get(m.role) is Reach.NATION for m in memberships(actor))


def may_issue(actor: User, *, level: str, province) -> bool:
    """A province's officers issue its decisions; central decisions need nation reach."""
    if level == Level.CENTRAL or province is None:
        return _nation_reach(actor, Action.DECISION_ISSUE)
    return can(actor, Action.DECISION_ISSUE, province)


def _grants(assignment: Assignment) -> tuple[int, ...]:
    round = assignment.session.round
    try:
        rule = level_rules.period_by_code(round.period).level(round.level)
    except LookupError:
        return ()
    return rule.grants if rule else ()


def ineligibility(assignment: Assignment) -> str | None:
    """Why this council result cannot go into a decision, or None when it can."""
    if assignment.status != AssignmentStatus.CLOSED:
        return _("the dossier is not closed")
    if assignment.session.round.trial:
        return _("a trial round has no effect on real records")
    if assignment.stars is None or assignment.stars < RECOGNISED_FROM_STARS:
        return _("below 3 stars: not an OCOP product")
    if assignment.stars not in _grants(assignment):
        return _("this level does not grant %(stars)s stars") % {"stars": assignment.stars}
    if DecisionItem.objects.filter(assignment=assignment).exists():
        return _("already in a decision")
    return None


def eligible_assignments(*, session: CouncilSession) -> list[Assignment]:
    candidates = session.assignments.filter(status=AssignmentStatus.CLOSED).select_related(
        "session__round", "dossier__product__producer"
    )
    return [a for a in candidates if ineligibility(a) is None]


@transaction.atomic
def decision_draft(
    *,
    actor: User,
    session_or_assignments: CouncilSession | Iterable[Assignment],
    data: dict,
) -> RecognitionDecision:
    """A draft decision recognising the eligible results of a session (or exactly the given
    assignments, each of which must be eligible). Level and province are the round's."""
    if isinstance(session_or_assignments, CouncilSession):
        assignments = eligible_assignments(session=session_or_assignments)
        if not assignments:
            raise ValidationError(_("No result of this session can be recognised."))
    else:
        ids = [a.pk for a in session_or_assignments]
        assignments = list(
            Assignment.objects.select_for_update()
            .filter(pk__in=ids)
            .select_related("session__round", "dossier__product__producer")
            .order_by("id")
        )
        if not assignments:
            raise ValidationError(_("Choose at least one result to recognise."))
        problems = [f"{a.dossier.product}: {why}" for a in assignments if (why := ineligibility(a))]
        if problems:
            raise ValidationError(
                _("These results cannot be recognised: %(list)s") % {"list": "; ".join(problems)}
            )
    rounds = {(a.session.round.level, a.session.round.province_id) for a in assignments}
    if len(rounds) != 1:
        raise ValidationError(_("A decision covers the results of one level and province."))
    level, province_id = rounds.pop()
    province = assignments[0].session.round.province
    if not may_issue(actor, level=level, province=province):
        raise PermissionDenied
    unknown = set(data) - set(DECISION_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    fields = {k: v for k, v in data.items() if v not in (None, "")}
    if "issuer" not in fields:
        fields["issuer"] = (
            f"Ủy ban nhân dân {province.name[:1].lower()}{province.name[1:]}"
            if province
            else CENTRAL_ISSUER
        )
    decision = RecognitionDecision(level=level, province_id=province_id, created_by=actor, **fields)
    decision.full_clean()
    if _number_taken(decision):
        raise ValidationError(
            {
                "number": _("%(issuer)s already has a decision numbered %(number)s in %(year)s.")
                % {"issuer": decision.issuer, "number": decision.number, "year": decision.date.year}
            }
        )
    decision.save()
    for a in assignments:
        product = a.dossier.product
        DecisionItem.objects.create(
            decision=decision,
            assignment=a,
            product=product,
            producer=product.producer,
            product_group=product.product_group,
            stars=a.stars,
            score=a.score,
        )
    audit_record(
        actor=actor,
        action="decision.draft",
        target=decision,
        changes={"items": [None, [a.pk for a in assignments]]},
    )
    return decision


def _number_taken(decision: RecognitionDecision) -> bool:
    """Decision numbers restart each year in each issuing body's register ("1234/QĐ-UBND")."""
    return (
        RecognitionDecision.objects.filter(
            issuer=decision.issuer, number=decision.number, date__year=decision.date.year
        )
        .exclude(pk=decision.pk)
        .exists()
    )


def certificate_number_next(*, area: str, year: int) -> str:
    """The next number of the area's register for the year. Must run inside the issuing
    transaction: the counter row stays locked until it commits, so a concurrent issuer waits
    and then reads the advanced counter."""
    return certificate_numbers_take(area=area, year=year, count=1)[0]


def certificate_numbers_take(*, area: str, year: int, count: int) -> list[str]:
    """The next `count` numbers of the area's register for the year, in one step (an
    import numbers thousands of certificates); the same locking as one number."""
    # Create the row if it is missing without failing when another issuer creates it first
    # (INSERT ... ON CONFLICT DO NOTHING), then lock it.
    CertificateSequence.objects.bulk_create(
        [CertificateSequence(area=area, year=year, last=0)], ignore_conflicts=True
    )
    sequence = CertificateSequence.objects.select_for_update().get(area=area, year=year)
    first = sequence.last + 1
    sequence.last += count
    sequence.save(update_fields=["last"])
    return [
        terms.format_number(area=area, year=year, sequence=n)
        for n in range(first, sequence.last + 1)
    ]


@transaction.atomic
def decision_issue(*, actor: User, decision: RecognitionDecision) -> RecognitionDecision:
    """Issue a draft decision: every product's certificate is created, numbered, and its
    previous valid certificate superseded, in one transaction: all of it or nothing."""
    decision = RecognitionDecision.objects.select_for_update().get(pk=decision.pk)
    if not may_issue(actor, level=decision.level, province=decision.province):
        raise PermissionDenied
    if decision.status != DecisionStatus.DRAFT:
        raise ValidationError(_("This decision is already issued."))
    items = list(decision.items.select_related("product").order_by("id"))
    if not items:
        raise ValidationError(_("A decision recognises at least one product."))
    if decision.date > timezone.localdate():
        raise ValidationError(_("A decision cannot be issued with a date in the future."))
    try:
        expires_on = terms.expiry_for(decision.date)
    except LookupError:
        raise ValidationError(
            _("No certificate term is known for a decision dated %(date)s.")
            % {"date": decision.date.isoformat()}
        ) from None
    area = terms.number_area(decision.province_id)
    for item in items:
        certificate = Certificate.objects.create(
            number=certificate_number_next(area=area, year=decision.date.year),
            product=item.product,
            producer_id=item.producer_id,
            stars=item.stars,
            decision=decision,
            item=item,
            issued_on=decision.date,
            expires_on=expires_on,
        )
        previous = (
            Certificate.objects.select_for_update()
            .filter(
                product=item.product, status=CertificateStatus.VALID, superseded_by__isnull=True
            )
            .exclude(pk=certificate.pk)
        )
        for old in previous:
            old.superseded_by = certificate
            old.save(update_fields=["superseded_by"])
            audit_record(
                actor=actor,
                action="certificate.supersede",
                target=old,
                changes={"superseded_by": [None, certificate.number]},
            )
        audit_record(
            actor=actor,
            action="certificate.issue",
            target=certificate,
            changes={
                "product": item.product.name,
                "stars": [None, item.stars],
                "expires_on": [None, expires_on.isoformat()],
            },
        )
    for item in items:
        listing_refresh(product=item.product)  # the catalogue shows the new class at once
    decision.status = DecisionStatus.ISSUED
    decision.issued_at = timezone.now()
    decision.issued_by = actor
    decision.save(update_fields=["status", "issued_at", "issued_by"])
    audit_record(
        actor=actor,
        action="decision.issue",
        target=decision,
        changes={
            "status": [DecisionStatus.DRAFT, DecisionStatus.ISSUED],
            "certificates": len(items),
        },
    )
    return decision


@transaction.atomic
def certificate_revoke(*, actor: User, certificate: Certificate, reason: str) -> Certificate:
    """Revoke a certificate after post-recognition monitoring: effective at once, with the
    reason on the record (the public register shows the certificate as revoked)."""
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if not can(actor, Action.CERTIFICATE_REVOKE, certificate):
        raise PermissionDenied
    decision = certificate.decision
    if decision.level == Level.CENTRAL and not _nation_reach(actor, Action.CERTIFICATE_REVOKE):
        raise PermissionDenied  # a 5★ certificate is the centre's to revoke
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the certificate is revoked."))
    if certificate.status == CertificateStatus.REVOKED:
        raise ValidationError(_("This certificate is already revoked."))
    certificate.status = CertificateStatus.REVOKED
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = actor
    certificate.revoke_reason = reason
    certificate.save(update_fields=["status", "revoked_at", "revoked_by", "revoke_reason"])
    listing_refresh(product=certificate.product)  # off the catalogue at once
    audit_record(
        actor=actor,
        action="certificate.revoke",
        target=certificate,
        changes={"status": [CertificateStatus.VALID, CertificateStatus.REVOKED]},
        note=reason,
    )
    return certificate
