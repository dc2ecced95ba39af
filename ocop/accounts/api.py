from ninja import Router, Schema

from .permissions import memberships

router = Router(tags=["accounts"])


class MembershipOut(Schema):
    role: str
    scope: str | None


class MeOut(Schema):
    id: int
    full_name: str
    email: str | None
    phone: str | None
    memberships: list[MembershipOut]


@router.get("/me", response=MeOut)
def me(request):
    """The calling user and the roles they hold."""
    user = request.auth
    return {
        "id": user.pk,
        "full_name": user.full_name,
        "email": user.email,
        "phone": user.phone,
        "memberships": [
            {"role": m.role, "scope": str(m.scope) if m.scope is not None else None}
            for m in memberships(user)
        ],
    }
