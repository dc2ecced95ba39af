"""Loading the data files into the database."""

import pytest

from ocop.audit.models import AuditEvent
from ocop.criteria.models import (
    CriteriaPart,
    CriteriaSet,
    Criterion,
    CriterionOption,
    Decision,
    ProductBranch,
    ProductGroup,
    StarBand,
)
from ocop.criteria.scoring import score
from ocop.criteria.selectors import criteria_set_spec
from ocop.criteria.services import criteria_load

from .helpers import best_sheet, specs

MODELS = [
    Decision,
    StarBand,
    ProductBranch,
    ProductGroup,
    CriteriaSet,
    CriteriaPart,
    Criterion,
    CriterionOption,
]


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


def test_loading_twice_gives_the_same_rows(db):
    first = criteria_load()
    after_first = counts()
    assert after_first["CriteriaSet"] == first.criteria_sets == 23
    assert after_first["Criterion"] == first.criteria
    assert after_first["CriterionOption"] == first.options
    assert after_first["StarBand"] == 10
    second = criteria_load()
    assert second.unchanged == 2
    assert counts() == after_first
    criteria_load(force=True)
    assert counts() == after_first
    assert AuditEvent.objects.filter(action="criteria.load").count() == 4


def test_a_changed_option_is_updated_in_place(db):
    criteria_load()
    option = CriterionOption.objects.get(
        criterion__criteria_set__code="qd148-food-fresh-produce", criterion__code="A1.1", code="c"
    )
    option.points = 1
    option.save()
    criteria_load(force=True)
    option.refresh_from_db()
    assert option.points == 5


@pytest.mark.parametrize("code", ["qd148-food-fresh-produce", "qd1048-food-processed-rice-grains"])
def test_the_spec_from_the_database_equals_the_spec_from_the_file(db, code):
    criteria_load()
    from_db = criteria_set_spec(code=code)
    from_file = specs()[code]
    assert from_db == from_file
    assert score(from_db, best_sheet(from_file)) == score(from_file, best_sheet(from_file))


def test_the_spec_is_built_once_per_loaded_version(
    db, django_assert_num_queries, django_capture_on_commit_callbacks
):
    criteria_load()
    code = "qd148-food-fresh-produce"
    first = criteria_set_spec(code=code)
    with django_assert_num_queries(1):  # which version is loaded: nothing else
        assert criteria_set_spec(code=code) is first
    option = CriterionOption.objects.get(
        criterion__criteria_set__code=code, criterion__code="A1.1", code="c"
    )
    option.points = 1
    option.save()
    with django_capture_on_commit_callbacks(execute=True):
        criteria_load(force=True)  # rewrites the set from its files, under the same digest
    rebuilt = criteria_set_spec(code=code)
    assert rebuilt is not first and rebuilt == first
