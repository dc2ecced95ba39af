import pytest

from ocop.ideas.models import IdeaStatus
from ocop.ideas.tests.conftest import make_groups, make_idea
from ocop.plans.models import BusinessPlan


@pytest.fixture
def group(db):
    return make_groups()


@pytest.fixture
def idea(world, group):
    return make_idea(world.producer_a, group, status=IdeaStatus.ACCEPTED)


def make_plan(idea, status="draft", **extra) -> BusinessPlan:
    return BusinessPlan.objects.create(
        idea=idea, objectives="Đạt 4 sao năm 2027", status=status, **extra
    )
