import pytest

from ocop.accounts.permissions import Action
from ocop.ideas.models import IdeaStatus
from ocop.ideas.selectors import IdeaFilters, idea_list, idea_visible, idea_waiting_count

from .conftest import make_idea


@pytest.fixture
def ideas(world, group):
    return {
        "a": make_idea(world.producer_a, group, status=IdeaStatus.SUBMITTED),
        "b": make_idea(world.producer_b, group, product_name="Rau củ Đơn Dương", year=2025),
        "c": make_idea(world.producer_c, group, product_name="Gốm men lam Bát Tràng"),
    }


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("administrator", {"a", "b", "c"}),
        ("central_officer", {"a", "b", "c"}),
        ("provincial_officer", {"a", "b"}),
        ("other_provincial_officer", {"c"}),
        ("commune_officer", {"a"}),
        ("other_commune_officer", {"b"}),
        ("producer_member", {"a"}),
        ("other_producer_member", {"b"}),
        ("council_member", set()),
        ("no_role", set()),
    ],
)
def test_ideas_are_scoped_to_the_area(world, ideas, role, expected):
    visible = set(idea_list(user=world.users[role]))
    assert visible == {ideas[key] for key in expected}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (IdeaFilters(q="ca phe"), {"a"}),
        (IdeaFilters(q="CÀ PHÊ arabica"), {"a"}),
        (IdeaFilters(q="don duong"), {"b"}),  # đ folds to d
        (IdeaFilters(q="lang biang"), {"a"}),  # the producer's name is searched too
        (IdeaFilters(q="gốm"), {"c"}),
        (IdeaFilters(q="nothing like this"), set()),
        (IdeaFilters(status=IdeaStatus.SUBMITTED), {"a"}),
        (IdeaFilters(year=2025), {"b"}),
        (IdeaFilters(province=1), {"c"}),
        (IdeaFilters(province=68, year=2026), {"a"}),
    ],
)
def test_search_and_filters(world, ideas, filters, expected):
    found = set(idea_list(user=world.users["administrator"], filters=filters))
    assert found == {ideas[key] for key in expected}


def test_commune_filter(world, ideas):
    found = idea_list(
        user=world.users["administrator"], filters=IdeaFilters(commune=world.commune_b.pk)
    )
    assert list(found) == [ideas["b"]]


def test_review_scope_leaves_out_the_province(world, ideas):
    assert not idea_visible(user=world.users["provincial_officer"], action=Action.IDEA_REVIEW)
    assert idea_waiting_count(user=world.users["commune_officer"]) == 1
    assert idea_waiting_count(user=world.users["other_commune_officer"]) == 0
    assert idea_waiting_count(user=world.users["producer_member"]) == 0
