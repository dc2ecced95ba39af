"""Demo of recognition decisions and certificates, made through the services.

- The Lâm Đồng council finishes the demo dossier of `evaluation/demo.py` (every present
  member submits, the chair closes) and the province issues a decision dated today.
- A 2023 round (Decision 148/QĐ-TTg) closes two more Lang Biang products; the decision of
  15/12/2023 recognises them, so their certificates expire on 15/12/2026 (the 1-month expiry
  reminder is due), and one of them is revoked after monitoring.

Run after `seed_demo`'s `seed_evaluation()`; idempotent (skips what exists).
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from ocop.accounts.models import User
from ocop.dossiers import services as dossiers
from ocop.dossiers.demo import _fill, _product
from ocop.dossiers.selectors import dossier_spec
from ocop.evaluation import selectors as ev_selectors
from ocop.evaluation import services as evaluation
from ocop.evaluation.models import (
    Assignment,
    AssignmentStatus,
    Council,
    CouncilSeat,
    EvaluationRound,
    SeatRole,
    SheetStatus,
)
from ocop.producers.models import Producer

from . import services
from .models import Certificate, CertificateStatus, DecisionStatus, RecognitionDecision

DEMO_ROUND_2026 = "Đợt đánh giá OCOP tỉnh Lâm Đồng năm 2026"
ROUND_2023 = "Đợt đánh giá, phân hạng sản phẩm OCOP năm 2023 – tỉnh Lâm Đồng"
DECISION_2023 = "2150/QĐ-UBND"
DECISION_TODAY = "1875/QĐ-UBND"
PRODUCTS_2023 = ("Trà atiso Lang Biang", "Mứt dâu tằm Lang Biang")
REVOKE_REASON = (
    "Kiểm tra sau công nhận: cơ sở không duy trì điều kiện sản xuất, nhãn hàng hóa "
    "không đúng với hồ sơ được công nhận."
)
SIGNER = {"signer_name": "Võ Ngọc Hiệp", "signer_title": "KT. Chủ tịch – Phó Chủ tịch"}


def _close(assignment: Assignment, chair: User) -> Assignment:
    """Every present member without a conflict who has not submitted scores the dossier
    (the best option of each criterion) and submits; then the chair closes it."""
    spec = dossier_spec(dossier=assignment.dossier)
    answers = {c.code: max(c.options, key=lambda o: o.points).code for c in spec.criteria()}
    t = ev_selectors.tally(assignment=assignment)
    for seat in CouncilSeat.objects.filter(pk__in=t.eligible).select_related("user"):
        sheet = t.sheets.get(seat.pk)
        if sheet is not None and sheet.status == SheetStatus.SUBMITTED:
            continue
        evaluation.sheet_save(actor=seat.user, assignment=assignment, answers=answers, notes={})
        evaluation.sheet_submit(actor=seat.user, assignment=assignment)
    return evaluation.assignment_close(actor=chair, assignment=assignment)


def _issue(officer: User, assignments, number: str, date: datetime.date) -> RecognitionDecision:
    decision = RecognitionDecision.objects.filter(number=number).first()
    if decision is None:
        decision = services.decision_draft(
            actor=officer,
            session_or_assignments=assignments,
            data={"number": number, "date": date, **SIGNER},
        )
    if decision.status != DecisionStatus.ISSUED:
        decision = services.decision_issue(actor=officer, decision=decision)
    return decision


def _results_2023(officer: User, commune: User, member: User, chair: User) -> list[Assignment]:
    """Two Lang Biang products closed by the Lâm Đồng council in a 2023 round."""
    council = Council.objects.get(name="Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Lâm Đồng")
    round = EvaluationRound.objects.filter(name=ROUND_2023).first()
    if round is None:
        round = evaluation.round_create(
            actor=officer,
            data={
                "name": ROUND_2023,
                "level": "province",
                "province_id": council.province_id,
                "opens_on": datetime.date(2023, 9, 1),
            },
        )
    session = round.sessions.first()
    if session is None:
        session = evaluation.session_create(
            actor=officer,
            round=round,
            council=council,
            date=datetime.date(2023, 11, 20),
            place="Hội trường Sở Nông nghiệp và Phát triển nông thôn tỉnh Lâm Đồng",
        )
        seats = council.seats.filter(active=True)
        evaluation.attendance_set(actor=officer, session=session, present_seats=seats)
    lang_biang = Producer.objects.get(legal_name="Hợp tác xã Cà phê Lang Biang")
    rng = random.Random(2023)
    results = []
    for name in PRODUCTS_2023:
        product = _product(
            member,
            lang_biang,
            name,
            "honey-other-farm-food",
            description=f"{name}, nguyên liệu trồng tại cao nguyên Lang Biang.",
        )
        assignment = Assignment.objects.filter(session=session, dossier__product=product).first()
        if assignment is None:
            dossier = dossiers.dossier_create(actor=member, product=product)
            _fill(member, dossier, rng)
            dossiers.dossier_submit(actor=member, dossier=dossier)
            dossier = dossiers.dossier_accept(actor=commune, dossier=dossier)
            assignment = evaluation.assignment_add(actor=officer, session=session, dossier=dossier)
        if assignment.status != AssignmentStatus.CLOSED:
            assignment = _close(assignment, chair)
        results.append(assignment)
    return results


@transaction.atomic
def seed_certificates() -> dict[str, int]:
    """Decisions, certificates (one near expiry, one revoked) for the Lâm Đồng demo."""
    assignment = (
        Assignment.objects.filter(session__round__name=DEMO_ROUND_2026)
        .select_related("session")
        .first()
    )
    if assignment is None:  # seed_evaluation has not run
        return {"certificates": Certificate.objects.count()}
    officer = User.objects.get(email="tinh.lamdong@demo.ocop.vn")
    commune = User.objects.get(email="xa.lacduong@demo.ocop.vn")
    member = User.objects.get(email="chuthe@demo.ocop.vn")
    chair = CouncilSeat.objects.get(
        council_id=assignment.session.council_id, role=SeatRole.CHAIR, active=True
    ).user

    # 2023: recognised on 15/12/2023, valid until 15/12/2026; the second one is revoked.
    if not RecognitionDecision.objects.filter(number=DECISION_2023).exists():
        results = _results_2023(officer, commune, member, chair)
        decision = _issue(officer, results, DECISION_2023, datetime.date(2023, 12, 15))
        revoked = decision.certificates.get(product__name=PRODUCTS_2023[1])
        if revoked.status != CertificateStatus.REVOKED:
            services.certificate_revoke(actor=officer, certificate=revoked, reason=REVOKE_REASON)

    # Today: the council finishes the demo session's dossier and the province recognises it.
    if not RecognitionDecision.objects.filter(number=DECISION_TODAY).exists():
        if assignment.status != AssignmentStatus.CLOSED:
            assignment = _close(assignment, chair)
        if services.ineligibility(assignment) is None:
            _issue(officer, [assignment], DECISION_TODAY, timezone.localdate())
    return {
        "decisions": RecognitionDecision.objects.count(),
        "certificates": Certificate.objects.count(),
    }
