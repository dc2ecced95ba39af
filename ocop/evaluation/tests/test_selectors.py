"""Reading councils and sheets: scopes, and the rule that values stay sealed."""

from decimal import Decimal

import pytest

from ocop.evaluation import selectors, services
from ocop.evaluation.models import Assignment

from .builders import make_panel, score_as


def seen(user, assignment) -> set:
    return {s.seat.user for s in selectors.sheets_visible(user=user, assignment=assignment)}


def test_no_member_reads_another_sheet_before_submitting_their_own(world, ev_panel, ev_assignment):
    chair, m1, m2, m3 = ev_panel.scorers
    score_as(m1, ev_assignment, 80)
    score_as(m2, ev_assignment, 82, submit=False)
    assert seen(m2, ev_assignment) == {m2}  # own draft only, not m1's submitted sheet
    assert seen(m3, ev_assignment) == set()
    assert seen(chair, ev_assignment) == set()
    assert seen(m1, ev_assignment) == {m1}  # m2 has not submitted
    services.sheet_submit(actor=m2, assignment=ev_assignment)
    assert seen(m1, ev_assignment) == {m1, m2}
    assert seen(m2, ev_assignment) == {m1, m2}
    # Neither officers, nor the secretary, nor the producer read values before close.
    for user in (
        ev_panel.officer,
        ev_panel.secretary,
        world.users["central_officer"],
        world.users["producer_member"],
    ):
        assert seen(user, ev_assignment) == set()
        assert not selectors.sheet_values_allowed(user=user, assignment=ev_assignment)


def test_the_chair_follows_progress_without_values(world, ev_panel, ev_assignment):
    chair, m1, m2, m3 = ev_panel.scorers
    score_as(m1, ev_assignment, 80)
    score_as(m2, ev_assignment, 95)
    p = selectors.progress(user=chair, assignment=ev_assignment)
    assert (p.members, p.present, p.eligible, p.submitted, p.conflicted) == (4, 4, 4, 2, 0)
    assert p.quorum_met and p.submitted_seats == {ev_panel.seats[m1].pk, ev_panel.seats[m2].pk}
    assert p.spread is None and p.disagreement is None and not p.values_shown
    p = selectors.progress(user=m1, assignment=ev_assignment)
    assert p.spread.spread == Decimal(15) and p.spread.flagged
    assert p.disagreement and p.disagreement[0].spread > 0
    with pytest.raises(Assignment.DoesNotExist):
        selectors.progress(user=world.users["producer_member"], assignment=ev_assignment)


def test_after_close_everyone_with_council_view_sees_the_result(world, ev_panel, ev_assignment):
    for u in ev_panel.scorers:
        score_as(u, ev_assignment, 80)
    services.assignment_close(actor=ev_panel.chair, assignment=ev_assignment)
    ev_assignment.refresh_from_db()
    everyone = set(ev_panel.scorers)
    for user in (ev_panel.officer, ev_panel.secretary, world.users["central_officer"]):
        assert seen(user, ev_assignment) == everyone
    for user in (world.users["producer_member"], world.users["other_provincial_officer"]):
        assert seen(user, ev_assignment) == set()


def test_a_member_of_another_council_sees_nothing(world, ev_panel, ev_assignment):
    other = make_panel(world, prefix="khac")
    score_as(ev_panel.members[0], ev_assignment, 80)
    outsider = other.members[0]
    assert seen(outsider, ev_assignment) == set()
    assert not selectors.assignment_visible(user=outsider).filter(pk=ev_assignment.pk).exists()
    assert list(selectors.council_list(user=outsider)) == [other.council]


def test_scopes_of_councils_sessions_and_assignments(world, ev_panel, ev_assignment):
    officer, member = ev_panel.officer, ev_panel.members[0]
    assert ev_panel.council in selectors.council_list(user=officer)
    assert ev_panel.round in selectors.round_list(user=member)
    assert selectors.session_get(user=member, pk=ev_panel.session.pk) == ev_panel.session
    assert selectors.assignment_get(user=officer, pk=ev_assignment.pk) == ev_assignment
    assert not selectors.council_list(user=world.users["other_provincial_officer"]).filter(
        pk=ev_panel.council.pk
    )
    assert not selectors.council_list(user=world.users["producer_member"]).exists()


def test_the_member_queue(world, ev_panel, ev_assignment):
    m1, m2 = ev_panel.members[:2]
    score_as(m1, ev_assignment, 80)
    queue = list(selectors.assignments_for_member(user=m1))
    assert queue == [ev_assignment] and queue[0].my_sheet_status == "submitted"
    assert selectors.assignments_for_member(user=m2).get().my_sheet_status is None
    services.conflict_declare(actor=m2, assignment=ev_assignment, reason="Người nhà")
    assert not selectors.assignments_for_member(user=m2).exists()
    assert not selectors.assignments_for_member(user=ev_panel.secretary).exists()
