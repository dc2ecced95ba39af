"""Members submitting while the chair closes: on PostgreSQL, with real concurrent
transactions. The close takes the lock on the assignment that every submission takes, so it
sees each sheet either submitted or not, never half; nothing is lost either way."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from ocop.accounts.models import User
from ocop.evaluation import services
from ocop.evaluation.models import Assignment, AssignmentStatus, ScoreSheet, SheetStatus

from .builders import score_as

TOTALS = (80, 82, 84, 86)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_submissions_racing_the_close(world, ev_panel, ev_assignment, attempt):
    for user, total in zip(ev_panel.scorers, TOTALS, strict=True):
        score_as(user, ev_assignment, total, submit=False)
    barrier = threading.Barrier(len(ev_panel.scorers) + 1)
    outcome: dict[str, object] = {}

    def run(key: str, user_pk: int, work):
        user = User.objects.get(pk=user_pk)  # each thread its own objects and connection
        assignment = Assignment.objects.get(pk=ev_assignment.pk)
        try:
            barrier.wait(timeout=30)
            outcome[key] = work(user, assignment)
        except Exception as e:  # noqa: BLE001 (reported by the assertions below)
            outcome[key] = e
        finally:
            connection.close()

    threads = [
        threading.Thread(
            target=run,
            args=(
                f"submit-{u.pk}",
                u.pk,
                lambda user, a: services.sheet_submit(actor=user, assignment=a),
            ),
        )
        for u in ev_panel.scorers
    ]
    threads.append(
        threading.Thread(
            target=run,
            args=(
                "close",
                ev_panel.chair.pk,
                lambda user, a: services.assignment_close(actor=user, assignment=a),
            ),
        )
    )
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)

    submits = [v for k, v in outcome.items() if k.startswith("submit-")]
    assert len(submits) == 4 and all(isinstance(s, ScoreSheet) for s in submits), outcome
    assert set(
        ScoreSheet.objects.filter(assignment=ev_assignment).values_list("status", flat=True)
    ) == {SheetStatus.SUBMITTED}

    close = outcome["close"]
    if isinstance(close, ValidationError):
        assert close.code == "missing", close
        assert Assignment.objects.get(pk=ev_assignment.pk).status != AssignmentStatus.CLOSED
        services.assignment_close(actor=ev_panel.chair, assignment=ev_assignment)
    else:
        assert isinstance(close, Assignment), close
    closed = Assignment.objects.get(pk=ev_assignment.pk)
    assert closed.status == AssignmentStatus.CLOSED
    assert len(closed.result_sheets) == 4
    assert closed.score == Decimal(sum(TOTALS)) / 4
