"""The dossier's pure rules: no database."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from ocop.criteria.scoring import CriteriaSetSpec, CriterionSpec, OptionSpec, PartSpec
from ocop.dossiers.rules import (
    ItemState,
    Missing,
    criterion_key,
    missing_items,
    requirements_for,
    snapshot_diff,
)


def spec() -> CriteriaSetSpec:
    options = (OptionSpec("a", "Không", Decimal(0)), OptionSpec("b", "Có", Decimal(3)))
    return CriteriaSetSpec(
        code="test-set",
        decision="148/QĐ-TTg",
        product_group="fresh-produce",
        parts=(
            PartSpec(
                code="A",
                name="Phần A",
                max_points=Decimal(6),
                criteria=(
                    CriterionSpec("A1.1", "Nguồn gốc", options),
                    CriterionSpec("A1.2", "Gia tăng giá trị", options),
                ),
            ),
        ),
        bands=(),
    )


def documents_done(branch: str = "food", **overrides) -> dict[str, ItemState]:
    items = {r.key: ItemState(evidence_count=1) for r in requirements_for(branch)}
    items.update(overrides)
    return items


def test_food_needs_a_food_safety_certificate():
    codes = {r.code for r in requirements_for("food")}
    assert {"food-safety-certificate", "test-report", "business-registration"} <= codes


def test_handicrafts_need_no_food_safety_certificate():
    codes = {r.code for r in requirements_for("handicrafts")}
    assert "food-safety-certificate" not in codes
    assert "test-report" not in codes
    assert {"business-registration", "product-label"} <= codes


def test_tourism_has_no_label():
    assert "product-label" not in {r.code for r in requirements_for("tourism")}


def test_nothing_given_everything_missing():
    missing = missing_items(spec=spec(), branch="food", items={})
    reasons = {m.key: m.reason for m in missing}
    assert reasons["doc:food-safety-certificate"] == "document"
    assert reasons[criterion_key("A1.1")] == "answer"
    assert reasons[criterion_key("A1.2")] == "answer"
    # documents first, then criteria in the spec's order
    assert [m.key for m in missing][-2:] == ["crit:A1.1", "crit:A1.2"]


def test_complete_dossier_misses_nothing():
    items = documents_done(
        **{
            "crit:A1.1": ItemState(option="b", explanation="Hợp đồng", evidence_count=1),
            "crit:A1.2": ItemState(option="a"),
        }
    )
    assert missing_items(spec=spec(), branch="food", items=items) == []


def test_answer_with_points_needs_evidence_and_explanation():
    items = documents_done(
        **{
            "crit:A1.1": ItemState(option="b", explanation="Hợp đồng", evidence_count=0),
            "crit:A1.2": ItemState(option="b", explanation="   ", evidence_count=2),
        }
    )
    assert missing_items(spec=spec(), branch="food", items=items) == [
        Missing("crit:A1.1", "evidence"),
        Missing("crit:A1.2", "evidence"),
    ]


def test_zero_point_answer_needs_nothing_more():
    items = documents_done(**{"crit:A1.1": ItemState(option="a"), "crit:A1.2": ItemState("a")})
    assert missing_items(spec=spec(), branch="food", items=items) == []


def test_carried_over_items_need_review():
    items = documents_done(
        **{
            "doc:product-story": ItemState(evidence_count=1, needs_review=True),
            "crit:A1.1": ItemState(
                option="b", explanation="Hợp đồng", evidence_count=1, needs_review=True
            ),
            "crit:A1.2": ItemState(option="a", needs_review=True),
        }
    )
    assert missing_items(spec=spec(), branch="food", items=items) == [
        Missing("doc:product-story", "review"),
        Missing("crit:A1.1", "review"),
        Missing("crit:A1.2", "review"),
    ]


def test_document_without_evidence_is_missing_even_when_reviewed():
    items = documents_done(**{"doc:product-label": ItemState(needs_review=True)})
    missing = missing_items(spec=spec(), branch="food", items=items)
    assert Missing("doc:product-label", "document") in missing


def item(option="a", explanation="", links=(), files=()):
    return {"option": option, "explanation": explanation, "links": list(links), "files": files}


def test_diff_added_removed_changed():
    before = {"crit:A1.1": item("a"), "crit:A1.2": item("b", "cũ"), "doc:x": item("")}
    after = {
        "crit:A1.1": item("a"),
        "crit:A1.2": item("c", "mới", links=["https://a.vn"]),
        "doc:y": item(""),
    }
    changes = snapshot_diff(before, after)
    assert [(c.key, c.kind) for c in changes] == [
        ("crit:A1.2", "changed"),
        ("doc:x", "removed"),
        ("doc:y", "added"),
    ]
    changed = changes[0]
    assert changed.fields == ("explanation", "links", "option")
    assert (changed.before["option"], changed.after["option"]) == ("b", "c")
    assert changes[1].after is None and changes[2].before is None


def test_diff_of_unchanged_is_empty():
    snapshot = {"crit:A1.1": item("a", "giải thích", ["https://a.vn"])}
    assert snapshot_diff(snapshot, {k: dict(v) for k, v in snapshot.items()}) == []


values = st.fixed_dictionaries(
    {
        "option": st.sampled_from(["", "a", "b"]),
        "explanation": st.text(max_size=5),
        "links": st.lists(st.sampled_from(["https://a.vn", "https://b.vn"]), max_size=2),
    }
)
snapshots = st.dictionaries(st.sampled_from(["doc:a", "doc:b", "crit:A1.1", "crit:B2.1"]), values)


@given(snapshots)
def test_diff_with_itself_is_empty(a):
    assert snapshot_diff(a, a) == []


@given(snapshots, snapshots)
def test_diff_lists_exactly_the_keys_that_differ(a, b):
    keys = [c.key for c in snapshot_diff(a, b)]
    assert keys == sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
    for change in snapshot_diff(a, b):
        if change.kind == "changed":
            assert change.fields
            assert all(a[change.key][f] != b[change.key][f] for f in change.fields)
