"""Whatever answers reach a council member's score sheet or the commune's pre-assessment
(unknown criteria and options, values that are not text, nested data, huge text, NUL
characters): a sheet of known answers is saved as given, anything else is refused with a
ValidationError that leaves the stored sheet as it was; the scoring page answers with a
redirect, never a server error."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from ocop.criteria.scoring import score
from ocop.dossiers.selectors import dossier_spec
from ocop.evaluation import rules, services
from ocop.evaluation.models import CommunePreAssessment, ScoreSheet
from ocop.evaluation.tests.builders import CURRENT

DB = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
FRESH = "qd148-food-fresh-produce"  # the ev_ fixtures' criteria set

odd_text = st.one_of(
    st.text(max_size=20),
    st.text(max_size=10).map(lambda t: f"{t}\x00"),
    st.sampled_from(["", " ", "\x00", "a ", " a", "A", "a\n", "\u200ba", "ａ", "x" * 100_000]),
)
# What a browser can post. Field names stay short: a name of over 1 KB is a 400 of Django's
# form parser before any view runs.
post_names = st.text(st.characters(exclude_categories=("Cs",)), max_size=20)
post_text = post_names | st.sampled_from(["", " ", "\x00", "a\x00", "x" * 100_000])
non_text = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.lists(st.text(max_size=3), max_size=3),
    st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2),
)


def criteria_codes(spec) -> dict[str, set[str]]:
    return {c.code: {o.code for o in c.options} for c in spec.criteria()}


def answers_of(spec, *, values=None, others=odd_text):
    """Mappings of criterion code → option code: a valid part sheet, the same spoilt by some
    entries, or anything."""
    options = criteria_codes(spec)
    valid = st.lists(st.sampled_from(sorted(options)), unique=True, max_size=12).flatmap(
        lambda codes: st.fixed_dictionaries({c: st.sampled_from(sorted(options[c])) for c in codes})
    )
    if values is None:
        all_options = sorted(set().union(*options.values()))
        values = st.one_of(st.sampled_from(all_options), odd_text, non_text)
    anything = st.dictionaries(st.sampled_from(sorted(options)) | others, values, max_size=6)
    spoilt = st.builds(lambda good, bad: {**good, **bad}, valid, anything)
    return st.one_of(valid, spoilt, anything)


def notes_of(spec, *, texts, others):
    """Mappings of criterion code → note: plain notes on real criteria, any notes on real
    criteria, or anything."""
    codes = st.sampled_from(sorted(criteria_codes(spec)))
    plain = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"))
    return st.one_of(
        st.dictionaries(codes, plain, max_size=4),
        st.dictionaries(codes, texts, min_size=1, max_size=2),
        st.dictionaries(codes | others, texts, max_size=4),
    )


def known(spec, answers: dict) -> bool:
    options = criteria_codes(spec)
    return all(isinstance(v, str) and k in options and v in options[k] for k, v in answers.items())


def kept_notes(notes: dict) -> dict:
    """The notes a sheet stores: the blank ones left out, the others stripped."""
    return {k: str(v).strip() for k, v in notes.items() if v and str(v).strip()}


def notes_ok(spec, notes: dict) -> bool:
    kept = kept_notes(notes)
    return set(kept) <= set(criteria_codes(spec)) and not any("\x00" in v for v in kept.values())


def stored(assignment, seat):
    return (
        ScoreSheet.objects.filter(assignment=assignment, seat=seat)
        .values("answers", "notes", "total", "revision", "status")
        .first()
    )


def assert_readable(exc: ValidationError) -> None:
    assert exc.messages and all(isinstance(m, str) and m.strip() for m in exc.messages)


@pytest.fixture
def member(ev_panel):
    return ev_panel.members[0]


@pytest.fixture
def member_client(member, client_as):
    return client_as(member)  # signed in once, not once an example


@DB
@given(data=st.data())
def test_any_answers_and_notes_save_a_whole_sheet_or_nothing(ev_panel, ev_assignment, member, data):
    spec = dossier_spec(dossier=ev_assignment.dossier)
    answers = data.draw(answers_of(spec), label="answers")
    notes = data.draw(notes_of(spec, texts=odd_text | non_text, others=odd_text), label="notes")
    seat = ev_panel.seats[member]
    before = stored(ev_assignment, seat)
    try:
        services.sheet_save(actor=member, assignment=ev_assignment, answers=answers, notes=notes)
    except ValidationError as exc:
        event("refused")
        assert_readable(exc)
        assert not (known(spec, answers) and notes_ok(spec, notes)), exc.messages
        assert stored(ev_assignment, seat) == before  # no half sheet
        return
    event("saved")
    assert known(spec, answers) and notes_ok(spec, notes)
    after = stored(ev_assignment, seat)
    assert after["answers"] == answers
    assert after["notes"] == kept_notes(notes)
    assert after["total"] == score(spec, answers).total


@DB
@given(data=st.data())
def test_any_posted_sheet_redirects_and_saves_whole_or_nothing(
    ev_panel, ev_assignment, member, member_client, data
):
    spec = dossier_spec(dossier=ev_assignment.dossier)
    options = criteria_codes(spec)
    chosen = data.draw(
        answers_of(spec, values=st.sampled_from(["a", "b", "c"]) | post_text, others=post_names)
    )
    fields = {f"a-{k}": v for k, v in chosen.items()}
    notes = data.draw(notes_of(spec, texts=post_text, others=post_names))
    fields |= {f"n-{k}": v for k, v in notes.items()}
    fields |= data.draw(st.dictionaries(post_names, post_text, max_size=3))  # stray fields
    if data.draw(st.booleans()):
        fields["submit"] = "1"
    seat = ev_panel.seats[member]
    before = stored(ev_assignment, seat)

    response = member_client.post(reverse("evaluation:sheet_save", args=[ev_assignment.pk]), fields)

    assert response.status_code == 302
    # What the page reads of the post: the fields of the set's criteria that are not empty.
    answers = {k: fields[f"a-{k}"] for k in options if fields.get(f"a-{k}")}
    notes = {k: fields[f"n-{k}"].strip() for k in options if fields.get(f"n-{k}", "").strip()}
    after = stored(ev_assignment, seat)
    if before and before["status"] == "submitted":
        assert after == before
    elif known(spec, answers) and notes_ok(spec, notes):
        event("saved")
        assert (after["answers"], after["notes"]) == (answers, notes)
    else:
        event("refused")
        assert after == before


@pytest.fixture
def today_is_current(monkeypatch):
    # The commune pre-assesses under the procedure in force today (Decision 1489/QĐ-TTg).
    monkeypatch.setattr(services.timezone, "localdate", lambda: CURRENT)


@DB
@given(data=st.data())
def test_any_commune_answers_save_whole_or_nothing(world, ev_dossier, today_is_current, data):
    spec = dossier_spec(dossier=ev_dossier)
    allowed = set(rules.period_on(CURRENT).commune_criteria) & set(criteria_codes(spec))
    answers = data.draw(answers_of(spec))
    note = data.draw(odd_text)
    before = (
        CommunePreAssessment.objects.filter(dossier=ev_dossier).values("answers", "note").first()
    )
    try:
        services.commune_pre_assess(
            actor=world.users["commune_officer"],
            dossier=ev_dossier,
            answers=answers,
            formalities_ok=data.draw(st.booleans()),
            note=note,
        )
    except ValidationError as exc:
        event("refused")
        assert_readable(exc)
        valid = known(spec, answers) and set(answers) <= allowed and "\x00" not in note
        assert not valid, exc.messages
        after = CommunePreAssessment.objects.filter(dossier=ev_dossier).values("answers", "note")
        assert after.first() == before
        return
    event("saved")
    assert known(spec, answers) and set(answers) <= allowed and "\x00" not in note
    assessment = CommunePreAssessment.objects.get(dossier=ev_dossier)
    assert (assessment.answers, assessment.note) == (answers, note.strip())
