"""Closed council results ready for a decision, built with the evaluation tests' builders."""

import datetime

import pytest
from django.utils import timezone

from ocop.dossiers import services as dossier_services
from ocop.dossiers.tests.conftest import submitted
from ocop.evaluation import services as ev_services
from ocop.evaluation.tests.builders import (
    Panel,
    accepted_dossier,
    agenda,
    fresh_produce,
    make_panel,
    pre_assess,
    score_as,
)

NAMES = ("Rau cải Lạc Dương", "Cà phê Arabica Cầu Đất", "Atiso Đà Lạt", "Dâu tây Lạc Dương")


def close_with(panel: Panel, assignment, total: int, stars: int = 5):
    for user in panel.scorers:
        score_as(user, assignment, total, stars)
    return ev_services.assignment_close(actor=panel.chair, assignment=assignment)


def closed_results(world, totals=(75, 60), *, prefix="p", trial=False, products=None, stars=5):
    """A session of a Lâm Đồng provincial council with one closed result per total (75 → 4★,
    60 → 3★). With `products`, new dossiers of those products are evaluated instead."""
    group = fresh_produce()
    panel = make_panel(world, prefix=prefix, trial=trial)
    results = []
    for n, total in enumerate(totals):
        if products:
            member = world.users["producer_member"]
            dossier = dossier_services.dossier_create(actor=member, product=products[n])
            submitted(dossier, member)
            dossier = dossier_services.dossier_accept(
                actor=world.users["commune_officer"], dossier=dossier
            )
        else:
            dossier = accepted_dossier(world, group, NAMES[n])
        pre_assess(world, dossier)
        results.append(close_with(panel, agenda(world, panel, dossier), total, stars))
    return panel, results


def decision_data(number="1234/QĐ-UBND", date: datetime.date | None = None) -> dict:
    return {
        "number": number,
        "date": date or timezone.localdate(),
        "signer_name": "Trần Văn Bình",
        "signer_title": "KT. Chủ tịch – Phó Chủ tịch",
    }


@pytest.fixture
def results(world):
    return closed_results(world)


@pytest.fixture
def issued(world, results):
    """An issued Lâm Đồng decision: a 4★ (75 points) and a 3★ (60 points) certificate."""
    from ocop.certificates import services

    officer = world.users["provincial_officer"]
    decision = services.decision_draft(
        actor=officer, session_or_assignments=results[0].session, data=decision_data()
    )
    return services.decision_issue(actor=officer, decision=decision)
