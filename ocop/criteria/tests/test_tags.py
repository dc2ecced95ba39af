"""The score sheet's options, rendered in Python (criteria_tags.criterion_options)."""

from decimal import Decimal

from django.template import Context, Template
from django.utils import translation

from ocop.criteria.scoring import CriterionSpec, OptionSpec

CRITERION = CriterionSpec(
    code="A1",
    name="Tổ chức sản xuất",
    options=(
        OptionSpec("a", "Hộ gia đình <không đăng ký>", Decimal("0")),
        OptionSpec("b", "Hợp tác xã & tổ hợp tác", Decimal("2.5")),
        OptionSpec("c", "Doanh nghiệp", Decimal("10"), required_for_stars=4),
    ),
)


def render(chosen: str, language: str = "vi") -> str:
    template = Template("{% load criteria_tags %}{% criterion_options c chosen %}")
    with translation.override(language):
        return template.render(Context({"c": CRITERION, "chosen": chosen}))


def test_each_option_is_a_radio_of_the_criterion_with_the_chosen_one_checked():
    html = render("b")
    assert html.count('<input type="radio" name="a-A1"') == 3
    assert '<input type="radio" name="a-A1" value="b" checked>' in html
    assert '<input type="radio" name="a-A1" value="a">' in html
    assert html.count("checked") == 1
    assert "checked" not in render("")


def test_labels_are_escaped_points_localised_and_star_requirements_shown():
    html = render("")
    assert "Hộ gia đình &lt;không đăng ký&gt;" in html and "<không" not in html
    assert "Hợp tác xã &amp; tổ hợp tác" in html
    assert "<strong>2,5</strong>" in html  # Vietnamese decimal comma, as the template wrote
    assert "<strong>2.5</strong>" in render("", "en")
    assert "<strong>10</strong>" in html  # not 1E+1
    assert '<span class="badge">4★</span>' in html
