"""Who may do what, on which object. The one place every view, API call and command asks.

A user's rights come from memberships (a role within a scope). Each action lists the roles
that may perform it and how far their reach goes:
- NATION: on any object;
- AREA: on objects inside the membership's scope (a province officer on everything in
  that province, a commune officer in that commune, a producer member on its producer).
A Django superuser is treated as an administrator.
"""

from dataclasses import dataclass, replace
from enum import StrEnum

from django.db.models import Q

from .models import ROLE_SCOPE_FIELD, Membership, Role


class Action(StrEnum):
    PRODUCER_VIEW = "producer.view"
    PRODUCER_CREATE = "producer.create"  # the object is the commune it will belong to
    PRODUCER_CHANGE = "producer.change"
    PRODUCER_CONFIRM = "producer.confirm"
    # Steps 2-4 of the cycle and the dossier; the object is the record (or its producer).
    IDEA_VIEW = "idea.view"
    IDEA_SUBMIT = "idea.submit"  # write and submit the producer's own ideas
    IDEA_REVIEW = "idea.review"  # accept, decline, ask for changes
    PLAN_VIEW = "plan.view"
    PLAN_SUBMIT = "plan.submit"
    PLAN_REVIEW = "plan.review"
    PRODUCT_VIEW = "product.view"
    PRODUCT_CHANGE = "product.change"
    DOSSIER_VIEW = "dossier.view"
    DOSSIER_EDIT = "dossier.edit"  # assemble, self-assess, submit, answer returns
    DOSSIER_REVIEW = "dossier.review"  # check, return with comments, accept
    # Step 5: councils, rounds and sessions. The object is the council, the session or the
    # assignment (a dossier on a session's agenda).
    COUNCIL_VIEW = "council.view"
    COUNCIL_MANAGE = "council.manage"  # councils, seats, rounds, sessions, agendas
    SHEET_SUBMIT = "council.score"  # a scoring member's own sheet (the chair's extra powers
    # come from the seat, checked by the evaluation services)
    SESSION_RECORD = "council.record"  # the secretary records the discussion
    COMMUNE_ASSESS = "commune.assess"  # the commune's pre-assessment (2025 procedure)
    # Recognition: decisions and certificates. Provinces recognise 3-4 stars, the centre 5.
    DECISION_VIEW = "decision.view"
    DECISION_ISSUE = "decision.issue"  # draft, review and issue a recognition decision
    CERTIFICATE_REVOKE = "certificate.revoke"
    # Traceability: batches, stamps, supply-chain events (the object is the batch, the stamp
    # run or the product); officers follow the counterfeit alerts of their area.
    TRACE_VIEW = "trace.view"
    TRACE_MANAGE = "trace.manage"
    TRACE_ALERTS = "trace.alerts"
    # Trade promotion: a province's officers publish its trade events and accept the
    # producers that take part (the object is the province).
    EVENT_MANAGE = "event.manage"
    DASHBOARD_VIEW = "dashboard.view"  # the programme's figures of an area (object: the area)
    PROGRAMME_MANAGE = "programme.manage"  # an area's OCOP plan and targets (object: the area)
    ENGAGEMENT_MANAGE = "engagement.manage"  # engage a consultancy, end and rate (object: producer)
    AUDIT_VIEW = "audit.view"  # browse the audit log of an area (object: the province)
    IMPORT_MANAGE = "import.manage"  # bring a province's records in (object: the province)
    INQUIRY_READ = "inquiry.read"  # buyers' messages: the producer's own; officers see counts
    ADMIN_SITE = "admin.site"


class Reach(StrEnum):
    NATION = "nation"
    AREA = "area"


R = Role
RULES: dict[Action, dict[Role, Reach]] = {
    Action.PRODUCER_VIEW: {
        R.ADMINISTRATOR: Reach.NATION,
        R.CENTRAL_OFFICER: Reach.NATION,
        R.PROVINCIAL_OFFICER: Reach.AREA,
        R.COMMUNE_OFFICER: Reach.AREA,
        R.PRODUCER_MEMBER: Reach.AREA,
    },
    Action.PRODUCER_CREATE: {
        R.ADMINISTRATOR: Reach.NATION,
        R.PROVINCIAL_OFFICER: Reach.AREA,
        R.COMMUNE_OFFICER: Reach.AREA,
    },
    Action.PRODUCER_CHANGE: {
        R.ADMINISTRATOR: Reach.NATION,
        R.PROVINCIAL_OFFICER: Reach.AREA,
        R.COMMUNE_OFFICER: Reach.AREA,
        R.PRODUCER_MEMBER: Reach.AREA,
    },
    Action.PRODUCER_CONFIRM: {
        R.ADMINISTRATOR: Reach.NATION,
        R.PROVINCIAL_OFFICER: Reach.AREA,
        R.COMMUNE_OFFICER: Reach.AREA,
    },
    Action.ADMIN_SITE: {R.ADMINISTRATOR: Reach.NATION},
}

# Everyone who follows a producer's work reads its ideas, plans, products and dossiers.
RULES[Action.PRODUCER_VIEW][R.CONSULTANT] = Reach.AREA  # their engaged producers
_READERS = RULES[Action.PRODUCER_VIEW]
# The producer writes its own records; the commune officer may write them on its behalf.
_WRITERS = {
    R.ADMINISTRATOR: Reach.NATION,
    R.COMMUNE_OFFICER: Reach.AREA,
    R.PRODUCER_MEMBER: Reach.AREA,
}
# The programme's officers at every level, each within their area.
_OFFICERS = {
    R.ADMINISTRATOR: Reach.NATION,
    R.CENTRAL_OFFICER: Reach.NATION,
    R.PROVINCIAL_OFFICER: Reach.AREA,
    R.COMMUNE_OFFICER: Reach.AREA,
}
RULES.update(
    {
        Action.IDEA_VIEW: dict(_READERS),
        Action.IDEA_SUBMIT: dict(_WRITERS),
        # Ideas are the commune's candidates: the commune officer decides on them.
        Action.IDEA_REVIEW: {R.ADMINISTRATOR: Reach.NATION, R.COMMUNE_OFFICER: Reach.AREA},
        Action.PLAN_VIEW: dict(_READERS),
        Action.PLAN_SUBMIT: dict(_WRITERS),
        Action.PLAN_REVIEW: {
            R.ADMINISTRATOR: Reach.NATION,
            R.PROVINCIAL_OFFICER: Reach.AREA,
            R.COMMUNE_OFFICER: Reach.AREA,
        },
        Action.PRODUCT_VIEW: dict(_READERS),
        Action.PRODUCT_CHANGE: {**_WRITERS, R.PROVINCIAL_OFFICER: Reach.AREA},
        # Council members and secretaries read the dossiers on their council's agenda.
        Action.DOSSIER_VIEW: {
            **_READERS,
            R.COUNCIL_MEMBER: Reach.AREA,
            R.COUNCIL_SECRETARY: Reach.AREA,
        },
        # A dossier is the producer's own declaration: only the producer assembles it.
        Action.DOSSIER_EDIT: {R.ADMINISTRATOR: Reach.NATION, R.PRODUCER_MEMBER: Reach.AREA},
        Action.DOSSIER_REVIEW: {
            R.ADMINISTRATOR: Reach.NATION,
            R.PROVINCIAL_OFFICER: Reach.AREA,
            R.COMMUNE_OFFICER: Reach.AREA,
        },
        Action.COUNCIL_VIEW: {
            R.ADMINISTRATOR: Reach.NATION,
            R.CENTRAL_OFFICER: Reach.NATION,
            R.PROVINCIAL_OFFICER: Reach.AREA,
            R.COUNCIL_MEMBER: Reach.AREA,
            R.COUNCIL_SECRETARY: Reach.AREA,
        },
        # Provinces run their councils; central councils are the central office's.
        Action.COUNCIL_MANAGE: {
            R.ADMINISTRATOR: Reach.NATION,
            R.CENTRAL_OFFICER: Reach.NATION,
            R.PROVINCIAL_OFFICER: Reach.AREA,
        },
        Action.SHEET_SUBMIT: {R.COUNCIL_MEMBER: Reach.AREA},
        Action.SESSION_RECORD: {R.COUNCIL_SECRETARY: Reach.AREA},
        Action.COMMUNE_ASSESS: {R.ADMINISTRATOR: Reach.NATION, R.COMMUNE_OFFICER: Reach.AREA},
        Action.DECISION_VIEW: dict(_READERS),
        Action.DECISION_ISSUE: {
            R.ADMINISTRATOR: Reach.NATION,
            R.CENTRAL_OFFICER: Reach.NATION,
            R.PROVINCIAL_OFFICER: Reach.AREA,
        },
        Action.CERTIFICATE_REVOKE: {
            R.ADMINISTRATOR: Reach.NATION,
            R.CENTRAL_OFFICER: Reach.NATION,
            R.PROVINCIAL_OFFICER: Reach.AREA,
        },
        Action.TRACE_VIEW: dict(_READERS),
        # The producer records its batches and orders its stamps; officers may do it for it.
        Action.TRACE_MANAGE: {
            R.ADMINISTRATOR: Reach.NATION,
            R.PROVINCIAL_OFFICER: Reach.AREA,
            R.COMMUNE_OFFICER: Reach.AREA,
            R.PRODUCER_MEMBER: Reach.AREA,
        },
        Action.TRACE_ALERTS: dict(_OFFICERS),
        Action.INQUIRY_READ: {R.ADMINISTRATOR: Reach.NATION, R.PRODUCER_MEMBER: Reach.AREA},
        Action.ENGAGEMENT_MANAGE: {R.ADMINISTRATOR: Reach.NATION, R.PRODUCER_MEMBER: Reach.AREA},
        Action.DASHBOARD_VIEW: dict(_OFFICERS),
        Action.PROGRAMME_MANAGE: dict(_OFFICERS),
        Action.EVENT_MANAGE: {
            R.ADMINISTRATOR: Reach.NATION,
            R.CENTRAL_OFFICER: Reach.NATION,
            R.PROVINCIAL_OFFICER: Reach.AREA,
        },
        Action.IMPORT_MANAGE: {
            R.ADMINISTRATOR: Reach.NATION,
            R.CENTRAL_OFFICER: Reach.NATION,
            R.PROVINCIAL_OFFICER: Reach.AREA,
        },
        Action.AUDIT_VIEW: {
            R.ADMINISTRATOR: Reach.NATION,
            R.CENTRAL_OFFICER: Reach.NATION,
            R.PROVINCIAL_OFFICER: Reach.AREA,
        },
    }
)


@dataclass(frozen=True)
class Area:
    """Where an object sits, as far as scopes are concerned."""

    province_id: int | None = None
    commune_id: int | None = None
    producer_id: int | None = None
    council_ids: frozenset[int] = frozenset()  # the councils whose agenda holds the object


def area_of(obj) -> Area:
    from ocop.dossiers.models import Dossier
    from ocop.evaluation.models import Assignment, Council, CouncilSession
    from ocop.geo.models import Commune, Province
    from ocop.producers.models import Producer

    if isinstance(obj, Council):
        return Area(obj.province_id, council_ids=frozenset({obj.pk}))
    if isinstance(obj, CouncilSession):
        return Area(obj.council.province_id, council_ids=frozenset({obj.council_id}))
    if isinstance(obj, Assignment):
        # Its own council only: not the dossier's other councils, which cost a query.
        producer = area_of(obj.dossier.product.producer)
        return replace(producer, council_ids=frozenset({obj.session.council_id}))
    if isinstance(obj, Dossier):
        councils = (
            frozenset(obj.assignments.values_list("session__council_id", flat=True))
            if obj.pk
            else frozenset()
        )
        return replace(area_of(obj.product.producer), council_ids=councils)

    if isinstance(obj, Producer):
        return Area(obj.commune.province_id, obj.commune_id, obj.pk)
    if isinstance(obj, Commune):
        return Area(obj.province_id, obj.pk)
    if isinstance(obj, Province):
        return Area(obj.pk)
    producer = getattr(obj, "producer", None)
    dossier = getattr(obj, "dossier", None)
    if isinstance(dossier, Dossier):
        # A dossier's items and versions: where the dossier is, with its councils.
        return area_of(dossier)
    if isinstance(producer, Producer):
        # Ideas, plans, products: where their producer is.
        return area_of(producer)
    raise TypeError(f"No area is known for {type(obj).__name__}")


def memberships(user) -> list[Membership]:
    """The user's memberships, read once per request (cached on the user object)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_ocop_memberships", None)
    if cached is None:
        cached = list(user.memberships.all())
        if user.is_superuser:
            cached.append(Membership(user=user, role=Role.ADMINISTRATOR))
        user._ocop_memberships = cached
    return cached


def _covers(membership: Membership, area: Area) -> bool:
    field = ROLE_SCOPE_FIELD[membership.role]
    if field is None:
        return True
    if field == "province":
        return area.province_id is not None and area.province_id == membership.province_id
    if field == "commune":
        return area.commune_id is not None and area.commune_id == membership.commune_id
    if field == "producer":
        return area.producer_id is not None and area.producer_id == membership.producer_id
    if field == "council":
        return membership.council_id in area.council_ids
    if field == "consultancy":
        # A consulting organisation reaches the producers that engaged it, while it lasts.
        return area.producer_id is not None and area.producer_id in _engaged(membership)
    return False


def _engaged(membership: Membership) -> set[int]:
    """The producers with an engagement under way with the membership's organisation
    (read once per membership object, i.e. once per request)."""
    cached = getattr(membership, "_ocop_engaged", None)
    if cached is None:
        from ocop.consultants.models import Engagement, EngagementStatus

        cached = set(
            Engagement.objects.filter(
                consultancy_id=membership.consultancy_id, status=EngagementStatus.ACTIVE
            ).values_list("producer_id", flat=True)
        )
        membership._ocop_engaged = cached
    return cached


def can(user, action: Action, obj=None) -> bool:
    """May `user` perform `action` on `obj`? With obj None: may they do it anywhere at all?"""
    allowed = RULES[action]
    area = area_of(obj) if obj is not None else None
    for m in memberships(user):
        reach = allowed.get(m.role)
        if reach is None:
            continue
        if area is None or reach is Reach.NATION or _covers(m, area):
            return True
    return False


def scope_q(
    user,
    action: Action,
    *,
    province: str,
    commune: str,
    producer: str | None = None,
    council: str | None = None,
) -> Q | None:
    """A filter for the rows of a queryset on which `user` may perform `action`.

    The keyword arguments are the lookups from the queried model to its province, commune
    and producer ids, e.g. province="commune__province_id". None means no row at all.
    """
    allowed = RULES[action]
    q = None
    for m in memberships(user):
        reach = allowed.get(m.role)
        if reach is None:
            continue
        field = ROLE_SCOPE_FIELD[m.role]
        if reach is Reach.NATION or field is None:
            return Q()
        if field == "province":
            part = Q(**{province: m.province_id})
        elif field == "commune":
            part = Q(**{commune: m.commune_id})
        elif field == "producer" and producer is not None:
            part = Q(**{producer: m.producer_id})
        elif field == "council" and council is not None:
            part = Q(**{council: m.council_id})
        elif field == "consultancy" and producer is not None:
            part = Q(**{f"{producer}__in": list(_engaged(m))})
        else:
            continue
        q = part if q is None else q | part
    return q


def roles(user) -> set[str]:
    return {m.role for m in memberships(user)}
