"""Two officers issuing at the same moment, on PostgreSQL with real concurrent transactions:
the per-area, per-year counter row is locked, so no certificate number is given twice."""

import threading

import pytest
from django.db import connection

from ocop.accounts.models import User
from ocop.certificates import services
from ocop.certificates.models import Certificate, RecognitionDecision

from .conftest import closed_results, decision_data


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_issuers_never_share_a_number(world):
    _p, first = closed_results(world, (75, 60), prefix="p")
    _q, second = closed_results(world, (80, 65), prefix="q")
    officer = world.users["provincial_officer"]
    decisions = [
        services.decision_draft(
            actor=officer, session_or_assignments=results, data=decision_data(number=n)
        )
        for results, n in ((first, "1/QĐ-UBND"), (second, "2/QĐ-UBND"))
    ]
    barrier = threading.Barrier(2)
    outcome = {}

    def run(decision_pk):
        try:
            actor = User.objects.get(pk=officer.pk)
            decision = RecognitionDecision.objects.get(pk=decision_pk)
            barrier.wait(timeout=30)
            outcome[decision_pk] = services.decision_issue(actor=actor, decision=decision)
        except Exception as e:  # noqa: BLE001 (reported by the assertions below)
            outcome[decision_pk] = e
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(d.pk,)) for d in decisions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    assert all(isinstance(v, RecognitionDecision) for v in outcome.values()), outcome
    numbers = sorted(Certificate.objects.values_list("number", flat=True))
    year = decisions[0].date.year
    assert numbers == [f"68-{year}-{n:06d}" for n in range(1, 5)]
