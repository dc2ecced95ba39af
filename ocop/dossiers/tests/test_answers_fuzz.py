"""Whatever a producer's self-assessment sends for one criterion or document (unknown
criteria, options that are not the criterion's, huge text, NUL characters): a known answer
is saved as given, anything else is refused with a ValidationError that leaves the dossier
as it was; the dossier page answers the post with a redirect, never a server error."""

from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from ocop.dossiers import rules, selectors, services

DB = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

plain = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=30)
# What a browser can post (no lone surrogates), NUL and huge text included.
posted = plain | st.sampled_from(["", " ", "\x00", "a\x00b", " a ", "x" * 100_000, "ａ", "A"])


@pytest.fixture
def spec(dossier):
    return selectors.dossier_spec(dossier=dossier)


@pytest.fixture
def producer_client(client_as, producer):
    return client_as(producer)  # signed in once, not once an example


def state(dossier, key: str):
    if "\x00" in key:  # no item has such a key, and PostgreSQL cannot even compare it
        return None
    return dossier.items.filter(key=key).values("option", "explanation").first()


def options_of(spec) -> dict[str, list[str]]:
    return {c.code: [o.code for o in c.options] for c in spec.criteria()}


def answers(spec):
    """(criterion, option): mostly the set's, often not."""
    options = options_of(spec)
    codes = st.sampled_from(sorted(options))
    every_option = st.sampled_from(sorted({o for os in options.values() for o in os}))
    return st.one_of(
        codes.flatmap(lambda c: st.tuples(st.just(c), st.sampled_from(["", *options[c]]))),
        st.tuples(codes | posted, every_option | posted),
    )


def valid(spec, criterion: str, option: str, explanation: str) -> bool:
    options = options_of(spec)
    known = criterion in options and (option == "" or option in options[criterion])
    return known and "\x00" not in explanation


@DB
@given(answer=st.data(), explanation=posted)
def test_any_answer_saves_whole_or_nothing(dossier, producer, spec, answer, explanation):
    criterion, option = answer.draw(answers(spec))
    key = rules.criterion_key(criterion)
    before = state(dossier, key)
    try:
        services.item_answer(
            actor=producer,
            dossier=dossier,
            criterion=criterion,
            option=option,
            explanation=explanation,
        )
    except ValidationError as exc:
        event("refused")
        assert exc.messages and all(m.strip() for m in exc.messages)
        assert not valid(spec, criterion, option, explanation), exc.messages
        assert state(dossier, key) == before  # no item created or changed
        return
    event("saved")
    assert valid(spec, criterion, option, explanation)
    assert state(dossier, key) == {"option": option, "explanation": explanation.strip()}


@DB
@given(data=st.data(), explanation=posted)
def test_any_posted_item_redirects_and_saves_whole_or_nothing(
    dossier, spec, producer_client, data, explanation
):
    documents = [r.key for r in rules.requirements_for(selectors.dossier_branch(dossier=dossier))]
    criterion, option = data.draw(answers(spec))
    key = data.draw(
        st.sampled_from([rules.criterion_key(criterion), *documents])
        | plain.filter(lambda k: k.strip(".") and "/" not in k and len(k) <= 200)  # a path segment
    )
    before = state(dossier, key)
    path = reverse("dossiers:detail", args=[dossier.pk]) + f"items/{quote(key, safe='')}/answer/"
    fields = {"option": option, "explanation": explanation}
    fields |= data.draw(st.dictionaries(plain, posted, max_size=2))  # stray fields

    response = producer_client.post(path, fields)

    assert response.status_code == 302
    # What the page reads of the post: the two fields; a document takes the explanation only.
    option, explanation = fields["option"], fields["explanation"]
    if key.startswith("crit:"):
        ok = valid(spec, key.removeprefix("crit:"), option, explanation)
        expected = {"option": option, "explanation": explanation.strip()}
    else:
        ok = key in documents and "\x00" not in explanation
        expected = {"option": "", "explanation": explanation.strip()}
    event("saved" if ok else "refused")
    assert state(dossier, key) == (expected if ok else before)
