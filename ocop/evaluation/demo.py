"""Demo of step 5: the Lâm Đồng provincial council with its seats, a 2026 round and a
session with a dossier on the agenda, part-scored. Part of `manage.py seed_demo`;
idempotent."""

import datetime

from django.db import transaction

from ocop.accounts.models import User
from ocop.dossiers import services as dossiers
from ocop.dossiers.demo import _fill
from ocop.dossiers.models import Dossier, DossierStatus
from ocop.dossiers.selectors import dossier_spec
from ocop.products.models import Product

from . import services
from .models import Council, EvaluationRound, SeatRole

DEMO_PASSWORD = "ocop-demo"


def _person(email: str, name: str) -> User:
    user = User.objects.filter(email=email).first()
    return user or User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=name)


@transaction.atomic
def seed_evaluation() -> dict[str, int]:
    council = Council.objects.get(name="Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Lâm Đồng")
    if EvaluationRound.objects.filter(name__startswith="Đợt đánh giá OCOP tỉnh Lâm Đồng").exists():
        return {"rounds": EvaluationRound.objects.count()}
    officer = User.objects.get(email="tinh.lamdong@demo.ocop.vn")
    commune = User.objects.get(email="xa.lacduong@demo.ocop.vn")
    member = User.objects.get(email="chuthe@demo.ocop.vn")
    people = [
        (
            User.objects.get(email="hoidong@demo.ocop.vn"),
            SeatRole.CHAIR,
            "Quản lý nhà nước về nông nghiệp",
        ),
        (_person("thanhvien1@demo.ocop.vn", "Lê Thị Hồng"), SeatRole.MEMBER, "Công nghệ thực phẩm"),
        (
            _person("thanhvien2@demo.ocop.vn", "K'Brơi"),
            SeatRole.MEMBER,
            "Thị trường, xúc tiến thương mại",
        ),
        (_person("thanhvien3@demo.ocop.vn", "Nguyễn Đức Tài"), SeatRole.MEMBER, "Sở hữu trí tuệ"),
        (
            User.objects.get(email="thuky@demo.ocop.vn"),
            SeatRole.SECRETARY,
            "Văn phòng điều phối NTM",
        ),
    ]
    seats = [
        services.seat_add(actor=officer, council=council, user=u, role=role, expertise=field)
        for u, role, field in people
    ]
    # A dossier of Xã Lạc Dương, checked by the commune and accepted for evaluation.
    product = Product.objects.get(name="Cà phê Arabica Lang Biang")
    dossier = Dossier.objects.filter(product=product).first()
    if dossier is None:
        import random

        dossier = dossiers.dossier_create(actor=member, product=product)
        _fill(member, dossier, random.Random(2026))
        dossiers.dossier_submit(actor=member, dossier=dossier)
        dossier = dossiers.dossier_accept(actor=commune, dossier=dossier)
    if dossier.status == DossierStatus.ACCEPTED:
        services.commune_pre_assess(
            actor=commune,
            dossier=dossier,
            answers={},
            formalities_ok=True,
            note="Hồ sơ đủ thủ tục.",
        )
    round = services.round_create(
        actor=officer,
        data={
            "name": "Đợt đánh giá OCOP tỉnh Lâm Đồng năm 2026",
            "level": "province",
            "province_id": council.province_id,
            "opens_on": datetime.date(2026, 9, 1),
        },
    )
    session = services.session_create(
        actor=officer,
        round=round,
        council=council,
        date=datetime.date(2026, 11, 26),
        place="Hội trường Sở Nông nghiệp và Môi trường tỉnh Lâm Đồng",
    )
    services.attendance_set(actor=officer, session=session, present_seats=seats)
    assignment = services.assignment_add(actor=officer, session=session, dossier=dossier)
    # One member has scored already; the others (and the chair, hoidong@) still have to.
    spec = dossier_spec(dossier=dossier)
    answers = {c.code: max(c.options, key=lambda o: o.points).code for c in spec.criteria()}
    scorer = people[1][0]
    services.sheet_save(actor=scorer, assignment=assignment, answers=answers, notes={})
    services.sheet_submit(actor=scorer, assignment=assignment)
    return {"rounds": EvaluationRound.objects.count()}
