import pytest

from ocop.dossiers.models import Dossier
from ocop.evaluation.models import Assignment

from .builders import Panel, accepted_dossier, agenda, fresh_produce, make_panel, pre_assess


@pytest.fixture
def ev_group(world):
    return fresh_produce()


@pytest.fixture
def ev_dossier(world, ev_group) -> Dossier:
    return accepted_dossier(world, ev_group)


@pytest.fixture
def ev_panel(world, ev_group) -> Panel:
    return make_panel(world)


@pytest.fixture
def ev_assignment(world, ev_panel, ev_dossier) -> Assignment:
    pre_assess(world, ev_dossier)
    return agenda(world, ev_panel, ev_dossier)
