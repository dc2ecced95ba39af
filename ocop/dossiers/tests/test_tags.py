from decimal import Decimal

from ocop.criteria.scoring import CriterionSpec, OptionSpec
from ocop.dossiers.templatetags.dossier_tags import (
    anchor,
    item_label,
    missing_reason,
    option_points,
)

CRITERION = CriterionSpec(
    "B5.1",
    "Quy mô",
    (
        OptionSpec("a", "", Decimal("0.00")),
        OptionSpec("b", "", Decimal("2.50")),
        OptionSpec("c", "", Decimal("10.00")),
    ),
)


def test_option_points_prints_plain_numbers():
    assert str(option_points("a", CRITERION)) == "0"
    assert str(option_points("b", CRITERION)) == "2.5"
    assert str(option_points("c", CRITERION)) == "10"  # not "1E+1"
    assert option_points("z", CRITERION) is None


def test_anchor_and_labels():
    assert anchor("crit:A1.1") == "crit-A1-1"
    assert item_label("doc:product-story", None) == "Câu chuyện sản phẩm"
    assert str(missing_reason("review")) == "carried over: check it is still valid"


def test_criterion_label_names_the_criterion(dossier):
    assert item_label("crit:A1.1", dossier) == "A1.1 Nguồn gốc sản phẩm"
