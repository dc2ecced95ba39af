from django.db.models import Q, QuerySet

from ocop.accounts.models import Role
from ocop.accounts.permissions import Action, memberships, scope_q

from .models import Engagement


def engagement_visible(*, user) -> QuerySet[Engagement]:
    """A consulting organisation's engagements for its consultants; a producer's for its
    members; those of the area's producers for officers."""
    own = [m.consultancy_id for m in memberships(user) if m.role == Role.CONSULTANT]
    q = scope_q(
        user,
        Action.PRODUCER_VIEW,
        province="producer__commune__province_id",
        commune="producer__commune_id",
        producer="producer_id",
    )
    if own and q != Q():  # (an empty Q is the nation's reach: every engagement)
        q = Q(consultancy_id__in=own) if q is None else q | Q(consultancy_id__in=own)
    if q is None:
        return Engagement.objects.none()
    return Engagement.objects.filter(q).select_related(
        "consultancy", "producer__commune__province", "product"
    )
