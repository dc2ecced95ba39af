"""Builders for the idea and plan tests: the current product groups and ideas in any state."""

import pytest

from ocop.criteria.models import Decision, ProductBranch, ProductGroup
from ocop.ideas.models import IdeaStatus, ProductIdea


def make_groups() -> ProductGroup:
    """An old and a current decision, each with a coffee group; returns the current one."""
    old = Decision.objects.create(
        code="qd1048-2019", number="1048/QĐ-TTg", decision_date="2019-08-21"
    )
    new = Decision.objects.create(
        code="qd148-2023", number="148/QĐ-TTg", decision_date="2023-02-24"
    )
    old_branch = ProductBranch.objects.create(decision=old, code="food", name_vi="Thực phẩm")
    branch = ProductBranch.objects.create(decision=new, code="food", name_vi="Thực phẩm")
    ProductGroup.objects.create(branch=old_branch, code="coffee", name_vi="Chè, cà phê (2019)")
    return ProductGroup.objects.create(
        branch=branch, code="coffee-tea", name_vi="Chè, cà phê, ca cao", position=1
    )


@pytest.fixture
def group(db) -> ProductGroup:
    return make_groups()


def idea_data(group, **overrides) -> dict:
    return {
        "product_name": "Cà phê Arabica Cầu Đất",
        "product_group": group,
        "year": 2026,
        "raw_material_source": "Vùng trồng cà phê Lạc Dương",
        "local_identity": "Cà phê trồng trên độ cao 1.500 m",
        **overrides,
    }


def make_idea(producer, group, status=IdeaStatus.DRAFT, **overrides) -> ProductIdea:
    idea = ProductIdea(producer=producer, status=status, **idea_data(group, **overrides))
    idea.full_clean(exclude=["created_by"])  # built by the test, not by a person
    idea.save()
    return idea
