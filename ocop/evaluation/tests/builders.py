"""Builders for the evaluation service tests: accepted dossiers with the real criteria (the
dossier tests' helpers), a council of a chair, three members and a secretary, and score
sheets that reach a chosen total. The fixtures are in conftest.py, prefixed `ev_` so that
they never shadow another test module's own."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from conftest import LAM_DONG, World, make_user
from ocop.accounts.models import User
from ocop.criteria.models import ProductGroup
from ocop.criteria.scoring import CriteriaSetSpec
from ocop.criteria.services import criteria_load
from ocop.dossiers import services as dossier_services
from ocop.dossiers.models import Dossier
from ocop.dossiers.selectors import dossier_spec
from ocop.dossiers.tests.conftest import make_product, submitted
from ocop.evaluation import services
from ocop.evaluation.models import (
    Assignment,
    Council,
    CouncilSeat,
    CouncilSession,
    EvaluationRound,
    Level,
    SeatRole,
)

CURRENT = datetime.date(2026, 1, 10)  # Decision 1489/QĐ-TTg
BEFORE_2025 = datetime.date(2024, 3, 1)  # Decision 148/QĐ-TTg


def fresh_produce() -> ProductGroup:
    """The real criteria loaded; the fresh-produce group of Decision 148/QĐ-TTg."""
    criteria_load()
    return ProductGroup.objects.get(code="fresh-produce", branch__decision__code="qd148-2023")


def accepted_dossier(world: World, group, name: str = "Rau cải Lạc Dương", producer=None):
    """A complete dossier of producer A (or `producer`), accepted by the commune officer."""
    product = make_product(producer or world.producer_a, group, name)
    # Another producer's dossier is put together and accepted by the administrator.
    member = world.users["administrator" if producer else "producer_member"]
    officer = world.users["administrator" if producer else "commune_officer"]
    dossier = dossier_services.dossier_create(actor=member, product=product)
    submitted(dossier, member)
    return dossier_services.dossier_accept(actor=officer, dossier=dossier)


def answers_for(spec: CriteriaSetSpec, total: int, stars: int = 5) -> dict[str, str]:
    """Answers worth exactly `total` points that meet every requirement up to `stars`."""
    answers, points = {}, Decimal(0)
    for c in spec.criteria():
        need = max(
            (r.min_points for r in spec.requirements if r.criterion == c.code and r.stars <= stars),
            default=Decimal(-1),
        )
        option = min((o for o in c.options if o.points >= need), key=lambda o: o.points)
        answers[c.code] = option.code
        points += option.points
    for c in spec.criteria():  # then raise criteria towards the total
        current = next(o for o in c.options if o.code == answers[c.code])
        better = [
            o for o in c.options if current.points < o.points <= current.points + total - points
        ]
        if better:
            best = max(better, key=lambda o: o.points)
            answers[c.code] = best.code
            points += best.points - current.points
    assert points == total, f"cannot reach {total} (got {points})"
    return answers


@dataclass
class Panel:
    council: Council
    round: EvaluationRound
    session: CouncilSession
    officer: User
    chair: User
    members: list[User]  # the three members, without the chair
    secretary: User
    seats: dict[User, CouncilSeat] = field(default_factory=dict)

    @property
    def scorers(self) -> list[User]:
        return [self.chair, *self.members]


def make_panel(
    world: World,
    *,
    level: str = Level.PROVINCE,
    opens_on: datetime.date = CURRENT,
    trial: bool = False,
    prefix: str = "p",
    attend: bool = True,
) -> Panel:
    officer = (
        world.users["central_officer"]
        if level == Level.CENTRAL
        else world.users["provincial_officer"]
    )
    province = None if level == Level.CENTRAL else LAM_DONG
    council = services.council_create(
        actor=officer,
        data={
            "name": f"Hội đồng {prefix}",
            "level": level,
            "province_id": province,
            "term_start": datetime.date(2023, 1, 1),
        },
    )
    chair = make_user(f"{prefix}_chair")
    members = [make_user(f"{prefix}_member_{i}") for i in (1, 2, 3)]
    secretary = make_user(f"{prefix}_secretary")
    seats = {chair: services.seat_add(actor=officer, council=council, user=chair, role="chair")}
    for m in members:
        seats[m] = services.seat_add(actor=officer, council=council, user=m, role="member")
    seats[secretary] = services.seat_add(
        actor=officer, council=council, user=secretary, role=SeatRole.SECRETARY
    )
    round = services.round_create(
        actor=officer,
        data={
            "name": f"Đợt {prefix}",
            "level": level,
            "province_id": province,
            "opens_on": opens_on,
            "trial": trial,
        },
    )
    session = services.session_create(
        actor=officer, round=round, council=council, date=opens_on + datetime.timedelta(days=20)
    )
    panel = Panel(council, round, session, officer, chair, members, secretary, seats)
    if attend:
        services.attendance_set(
            actor=officer, session=session, present_seats=[seats[u] for u in panel.scorers]
        )
    return panel


def pre_assess(world: World, dossier: Dossier, ok: bool = True, actor: User | None = None):
    return services.commune_pre_assess(
        actor=actor or world.users["commune_officer"],
        dossier=dossier,
        answers={},
        formalities_ok=ok,
    )


def agenda(world: World, panel: Panel, dossier: Dossier) -> Assignment:
    return services.assignment_add(actor=panel.officer, session=panel.session, dossier=dossier)


def score_as(user: User, assignment: Assignment, total: int, stars: int = 5, submit=True):
    spec = dossier_spec(dossier=assignment.dossier)
    services.sheet_save(
        actor=user, assignment=assignment, answers=answers_for(spec, total, stars), notes={}
    )
    if submit:
        return services.sheet_submit(actor=user, assignment=assignment)
    return None
