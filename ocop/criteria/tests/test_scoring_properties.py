"""Properties of the scoring engine over random sheets of every criteria set in the data."""

from hypothesis import given, settings
from hypothesis import strategies as st

from ocop.criteria.scoring import band_for, score

from .helpers import specs

SPEC_CODES = sorted(specs())
EXAMPLES = settings(max_examples=100, deadline=None)


@st.composite
def sheets(draw, *, answer_all=False, meet_requirements=False, spec=None):
    """(spec, answers): each criterion answered with a random option, or left out."""
    spec = spec or specs()[draw(st.sampled_from(SPEC_CODES))]
    floor = {}
    for req in spec.requirements:
        floor[req.criterion] = max(floor.get(req.criterion, req.min_points), req.min_points)
    answers = {}
    for criterion in spec.criteria():
        options = criterion.options
        if meet_requirements and criterion.code in floor:
            options = [o for o in options if o.points >= floor[criterion.code]]
        if answer_all or meet_requirements or draw(st.integers(0, 9)) > 0:
            answers[criterion.code] = draw(st.sampled_from(options)).code
    return spec, answers


@EXAMPLES
@given(sheets())
def test_total_is_the_sum_of_the_parts_and_within_0_and_100(case):
    spec, answers = case
    result = score(spec, answers)
    assert result.total == sum(result.parts.values())
    assert 0 <= result.total <= 100
    for part in spec.parts:
        assert 0 <= result.parts[part.code] <= part.max_points


@EXAMPLES
@given(sheets())
def test_complete_if_and_only_if_every_criterion_is_answered(case):
    spec, answers = case
    result = score(spec, answers)
    assert result.complete == (len(answers) == len(spec.criteria()))
    assert set(result.missing) == {c.code for c in spec.criteria()} - set(answers)


@EXAMPLES
@given(st.data())
def test_stars_are_monotone_in_the_total_when_requirements_are_met(data):
    spec = specs()[data.draw(st.sampled_from(SPEC_CODES))]
    _, first = data.draw(sheets(meet_requirements=True, spec=spec))
    _, second = data.draw(sheets(meet_requirements=True, spec=spec))
    low, high = sorted([score(spec, first), score(spec, second)], key=lambda r: r.total)
    assert low.unmet_requirements == high.unmet_requirements == ()
    assert low.stars == low.band_stars and high.stars == high.band_stars
    assert (low.stars or 0) <= (high.stars or 0)


@EXAMPLES
@given(sheets())
def test_an_unmet_requirement_never_raises_the_class(case):
    spec, answers = case
    result = score(spec, answers)
    assert result.band_stars == band_for(spec, result.total)
    if result.stars is not None:
        assert result.stars <= result.band_stars
        assert all(result.stars < stars for _, stars in result.unmet_requirements)
    if not any(stars <= (result.band_stars or 0) for _, stars in result.unmet_requirements):
        assert result.stars == result.band_stars


@EXAMPLES
@given(sheets(answer_all=True), st.data())
def test_a_better_answer_never_lowers_the_class(case, data):
    spec, answers = case
    criterion = data.draw(st.sampled_from(spec.criteria()))
    current = next(o for o in criterion.options if o.code == answers[criterion.code])
    better = [o for o in criterion.options if o.points >= current.points]
    improved = {**answers, criterion.code: data.draw(st.sampled_from(better)).code}
    assert (score(spec, improved).stars or 0) >= (score(spec, answers).stars or 0)
