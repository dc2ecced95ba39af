"""Writing OCOP plans: an area's officers draft its plan and targets, and record its approval
(decision number and date). Rules: the period runs forward; an approved plan keeps its
targets (a new plan replaces it); each change is audited."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ocop.accounts.models import User
from ocop.accounts.permissions import RULES, Action, Reach, can, memberships
from ocop.audit.services import audit_record
from ocop.documents.models import IMAGE_KINDS, DocumentKind

from .models import Metric, PlanLevel, PlanStatus, PlanTarget, ProgrammePlan

PLAN_FIELDS = ("title", "start_year", "end_year", "province", "commune")


def may_manage(actor: User, *, province=None, commune=None) -> bool:
    """A plan is its area's: the commune's officers, the province's, or the centre's."""
    if commune is not None:
        return can(actor, Action.PROGRAMME_MANAGE, commune)
    if province is not None:
        return can(actor, Action.PROGRAMME_MANAGE, province)
    allowed = RULES[Action.PROGRAMME_MANAGE]
    return any(allowed.get(m.role) is Reach.NATION for m in memberships(actor))


@transaction.atomic
def plan_save(
    *, actor: User, data: dict, targets: dict[str, int], plan: ProgrammePlan | None = None
) -> ProgrammePlan:
    unknown = set(data) - set(PLAN_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    if plan is not None and plan.status == PlanStatus.APPROVED:
        raise ValidationError(_("An approved plan no longer changes: draft a new one."))
    plan = plan or ProgrammePlan(created_by=actor)
    for key, value in data.items():
        setattr(plan, key, value)
    if plan.commune is not None:
        plan.province = plan.commune.province
        plan.level = PlanLevel.COMMUNE
    elif plan.province is not None:
        plan.level = PlanLevel.PROVINCE
    else:
        plan.level = PlanLevel.NATION
    if not may_manage(actor, province=plan.province, commune=plan.commune):
        raise PermissionDenied
    if plan.start_year and plan.end_year and plan.end_year < plan.start_year:
        raise ValidationError({"end_year": _("The period cannot end before it starts.")})
    bad = set(targets) - set(Metric.values)
    if bad:
        raise ValidationError(_("Unknown targets: %(t)s") % {"t": ", ".join(sorted(bad))})
    creating = plan.pk is None
    plan.full_clean()
    plan.save()
    plan.targets.exclude(metric__in=[m for m, v in targets.items() if v is not None]).delete()
    for metric, value in targets.items():
        if value is not None:
            PlanTarget.objects.update_or_create(plan=plan, metric=metric, defaults={"value": value})
    audit_record(
        actor=actor,
        action="programme.create" if creating else "programme.update",
        target=plan,
        changes={"targets": {m: v for m, v in targets.items() if v is not None}},
    )
    return plan


@transaction.atomic
def plan_approve(*, actor: User, plan: ProgrammePlan, number: str, date) -> ProgrammePlan:
    """Record the decision approving the plan (by the People's Committee of its level)."""
    plan = ProgrammePlan.objects.select_for_update().get(pk=plan.pk)
    if not may_manage(actor, province=plan.province, commune=plan.commune):
        raise PermissionDenied
    if plan.status == PlanStatus.APPROVED:
        raise ValidationError(_("This plan is already approved."))
    number = (number or "").strip()
    if not number or date is None:
        raise ValidationError(_("Give the number and the date of the approving decision."))
    if not plan.targets.exists():
        raise ValidationError(_("A plan is approved with its targets: set at least one."))
    plan.status = PlanStatus.APPROVED
    plan.decision_number = number
    plan.decision_date = date
    plan.save(update_fields=["status", "decision_number", "decision_date"])
    audit_record(
        actor=actor,
        action="programme.approve",
        target=plan,
        changes={"status": [PlanStatus.DRAFT, PlanStatus.APPROVED], "decision": number},
    )
    return plan


# --- Training courses (step 1 of the cycle) ---------------------------------------------------

COURSE_FIELDS = (
    "title",
    "topic",
    "starts_on",
    "ends_on",
    "place",
    "online",
    "organiser",
    "trainers",
    "province",
    "commune",
)


@transaction.atomic
def course_save(*, actor: User, data: dict, course=None):
    from .models import TrainingCourse

    unknown = set(data) - set(COURSE_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    course = course or TrainingCourse(created_by=actor)
    for key, value in data.items():
        setattr(course, key, value)
    if course.commune is not None:
        course.province = course.commune.province
    if not may_manage(actor, province=course.province, commune=course.commune):
        raise PermissionDenied
    if course.starts_on and course.ends_on and course.ends_on < course.starts_on:
        raise ValidationError({"ends_on": _("The course cannot end before it starts.")})
    creating = course.pk is None
    course.full_clean()
    course.save()
    audit_record(
        actor=actor,
        action="course.create" if creating else "course.update",
        target=course,
        changes={"title": [None, course.title]},
    )
    return course


def course_register(*, actor: User, course, producer=None):
    """Anyone with an account signs up (a producer's member for its producer)."""
    from .models import CourseRegistration

    if not actor.is_authenticated:
        raise PermissionDenied
    if producer is not None and not can(actor, Action.PRODUCER_CHANGE, producer):
        raise PermissionDenied
    registration, _created = CourseRegistration.objects.get_or_create(
        course=course, user=actor, defaults={"producer": producer}
    )
    return registration


@transaction.atomic
def attendance_set(*, actor: User, course, present_user_ids) -> int:
    if not may_manage(actor, province=course.province, commune=course.commune):
        raise PermissionDenied
    present = set(present_user_ids)
    for registration in course.registrations.all():
        registration.attended = registration.user_id in present
        registration.save(update_fields=["attended"])
    audit_record(
        actor=actor, action="course.attendance", target=course, changes={"present": len(present)}
    )
    return len(present)


def course_feedback(*, actor: User, course, rating: int, feedback: str = ""):
    registration = course.registrations.filter(user=actor).first()
    if registration is None or not registration.attended:
        raise ValidationError(_("Only those who attended the course give feedback."))
    if rating not in range(1, 6):
        raise ValidationError({"rating": _("Rate the course from 1 to 5.")})
    registration.rating = rating
    registration.feedback = (feedback or "").strip()
    registration.save(update_fields=["rating", "feedback"])
    return registration


# --- Guidance documents (the library of step 1) -----------------------------------------------

GUIDANCE_FIELDS = ("title", "summary", "topic", "province", "commune", "course", "published")
# What a guidance file may be: read on a phone (PDF, pictures) or filled in (Word, Excel).
GUIDANCE_KINDS = frozenset({DocumentKind.PDF, DocumentKind.DOCX, DocumentKind.XLSX, *IMAGE_KINDS})


@transaction.atomic
def guidance_save(*, actor: User, data: dict, file=None, guidance=None):
    """Add a guidance document with its file, or change one (a new file replaces the old).

    The area is the course's when the document is handed out at a course. The record and
    its file are written together or not at all: a refused file leaves no record."""
    from ocop.documents.selectors import document_list
    from ocop.documents.services import document_delete, document_store

    from .models import GuidanceDocument

    unknown = set(data) - set(GUIDANCE_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    creating = guidance is None
    if creating and file is None:
        raise ValidationError({"file": _("Choose the file of the document.")})
    guidance = guidance or GuidanceDocument(created_by=actor)
    before = {f: getattr(guidance, f"{f}_id", getattr(guidance, f, None)) for f in data}
    if not creating and not may_manage(actor, province=guidance.province, commune=guidance.commune):
        raise PermissionDenied
    for key, value in data.items():
        setattr(guidance, key, value)
    if guidance.course is not None:
        guidance.province, guidance.commune = guidance.course.province, guidance.course.commune
    if guidance.commune is not None:
        guidance.province = guidance.commune.province
    if not may_manage(actor, province=guidance.province, commune=guidance.commune):
        raise PermissionDenied
    guidance.full_clean()
    guidance.save()
    if file is not None:
        old = list(document_list(owner=guidance))
        document_store(file=file, uploaded_by=actor, owner=guidance, kinds=GUIDANCE_KINDS)
        for document in old:
            document_delete(document=document, actor=actor)
    after = {f: getattr(guidance, f"{f}_id", getattr(guidance, f, None)) for f in data}
    audit_record(
        actor=actor,
        action="guidance.create" if creating else "guidance.update",
        target=guidance,
        changes={f: [before[f], after[f]] for f in data if creating or before[f] != after[f]}
        | ({"file": file.name} if file is not None else {}),
    )
    return guidance


@transaction.atomic
def guidance_delete(*, actor: User, guidance) -> None:
    from ocop.documents.selectors import document_list
    from ocop.documents.services import document_delete

    if not may_manage(actor, province=guidance.province, commune=guidance.commune):
        raise PermissionDenied
    for document in document_list(owner=guidance):
        document_delete(document=document, actor=actor)
    audit_record(
        actor=actor, action="guidance.delete", target=guidance, changes={"title": guidance.title}
    )
    guidance.delete()
