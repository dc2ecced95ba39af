"""The permission rules, role by role, in and out of each person's area.

The table is the specification: each row is a person, each column an action on a
producer (in the person's area: producer A in commune A, Lâm Đồng; next door: producer B in
commune B, Lâm Đồng; far: producer C in Hà Nội).
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from ocop.accounts.models import Membership, Role
from ocop.accounts.permissions import RULES, Action, can
from ocop.producers.selectors import producer_visible

V, C, K, N = (
    Action.PRODUCER_VIEW,
    Action.PRODUCER_CHANGE,
    Action.PRODUCER_CONFIRM,
    Action.PRODUCER_CREATE,
)

#          user                   view A,B,C   change A,B,C  confirm A,B,C  create in A,B,C
MATRIX = {
    "administrator":            ((1, 1, 1),     (1, 1, 1),      (1, 1, 1),       (1, 1, 1)),
    "central_officer":          ((1, 1, 1),     (0, 0, 0),      (0, 0, 0),       (0, 0, 0)),
    "provincial_officer":       ((1, 1, 0),     (1, 1, 0),      (1, 1, 0),       (1, 1, 0)),
    "other_provincial_officer": ((0, 0, 1),     (0, 0, 1),      (0, 0, 1),       (0, 0, 1)),
    "commune_officer":          ((1, 0, 0),     (1, 0, 0),      (1, 0, 0),       (1, 0, 0)),
    "other_commune_officer":    ((0, 1, 0),     (0, 1, 0),      (0, 1, 0),       (0, 1, 0)),
    "producer_member":          ((1, 0, 0),     (1, 0, 0),      (0, 0, 0),       (0, 0, 0)),
    "other_producer_member":    ((0, 1, 0),     (0, 1, 0),      (0, 0, 0),       (0, 0, 0)),
    "council_member":           ((0, 0, 0),     (0, 0, 0),      (0, 0, 0),       (0, 0, 0)),
    "council_secretary":        ((0, 0, 0),     (0, 0, 0),      (0, 0, 0),       (0, 0, 0)),
    "consultant":               ((0, 0, 0),     (0, 0, 0),      (0, 0, 0),       (0, 0, 0)),
    "no_role":                  ((0, 0, 0),     (0, 0, 0),      (0, 0, 0),       (0, 0, 0)),
}  # fmt: skip


def _cases():
    for name, rows in MATRIX.items():
        for action, row in zip((V, C, K, N), rows, strict=True):
            for target, expected in zip("ABC", row, strict=True):
                yield pytest.param(
                    name, action, target, bool(expected), id=f"{name}-{action}-{target}"
                )


@pytest.mark.parametrize(("name", "action", "target", "expected"), list(_cases()))
def test_matrix(world, name, action, target, expected):
    user = world.users[name]
    if action is Action.PRODUCER_CREATE:
        obj = {"A": world.commune_a, "B": world.commune_b, "C": world.commune_c}[target]
    else:
        obj = {"A": world.producer_a, "B": world.producer_b, "C": world.producer_c}[target]
    assert can(user, action, obj) is expected


@pytest.mark.parametrize("name", list(MATRIX))
def test_list_scope_agrees_with_matrix(world, name):
    """What a list shows is exactly what the person may view, one by one."""
    user = world.users[name]
    visible = set(producer_visible(user=user).values_list("legal_name", flat=True))
    expected = {
        p.legal_name
        for p, allowed in zip(
            (world.producer_a, world.producer_b, world.producer_c), MATRIX[name][0], strict=True
        )
        if allowed
    }
    assert visible == expected


def test_every_role_is_in_the_matrix():
    assert {role.value for role in Role} <= set(MATRIX)


def test_every_action_has_rules():
    assert set(RULES) == set(Action)


def test_anonymous_may_do_nothing(world):
    for action in Action:
        assert not can(AnonymousUser(), action)
        assert not can(AnonymousUser(), action, world.producer_a)
    assert not producer_visible(user=AnonymousUser()).exists()


def test_inactive_user_loses_every_right(world):
    user = world.users["provincial_officer"]
    user.is_active = False
    assert not can(user, Action.PRODUCER_VIEW, world.producer_a)


def test_superuser_is_an_administrator(world):
    user = world.users["no_role"]
    user.is_superuser = True
    assert can(user, Action.PRODUCER_CONFIRM, world.producer_c)
    assert can(user, Action.ADMIN_SITE)


def test_without_object_means_anywhere(world):
    assert can(world.users["commune_officer"], Action.PRODUCER_CONFIRM)
    assert not can(world.users["producer_member"], Action.PRODUCER_CONFIRM)
    assert not can(world.users["central_officer"], Action.PRODUCER_CREATE)


def test_two_memberships_add_up(world):
    user = world.users["commune_officer"]
    Membership.objects.create(user=user, role=Role.COMMUNE_OFFICER, commune=world.commune_c)
    user.refresh_from_db()
    assert can(user, Action.PRODUCER_VIEW, world.producer_a)
    assert can(user, Action.PRODUCER_VIEW, world.producer_c)
    assert not can(user, Action.PRODUCER_VIEW, world.producer_b)
