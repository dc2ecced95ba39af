import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from ocop.criteria.models import Criterion
from ocop.criteria.selectors import criteria_spec_forget
from ocop.documents.models import Document
from ocop.dossiers import selectors, services
from ocop.dossiers.models import (
    DOSSIER_FLOW,
    Dossier,
    DossierItem,
    DossierStatus,
    DossierVersion,
    ReviewComment,
)
from ocop.workflow import transition_allowed

from .conftest import LINK, SET_CODE, best_option, fill, make_product, pdf, submitted

S = DossierStatus


def test_create_uses_the_groups_criteria_set(dossier, producer):
    assert dossier.criteria_set.code == SET_CODE
    assert (dossier.status, dossier.version, dossier.created_by) == (S.DRAFT, 0, producer)
    assert dossier.carried_from is None


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("producer_member", True),
        ("administrator", True),
        ("other_producer_member", False),
        ("commune_officer", False),  # DOSSIER_EDIT is the producer's own
        ("provincial_officer", False),
        ("central_officer", False),
        ("no_role", False),
    ],
)
def test_create_permission(world, product, role, allowed):
    user = world.users[role]
    if allowed:
        assert services.dossier_create(actor=user, product=product).product == product
    else:
        with pytest.raises(PermissionDenied):
            services.dossier_create(actor=user, product=product)
        assert not Dossier.objects.exists()


def test_one_dossier_in_progress_per_product(dossier, product, producer):
    with pytest.raises(ValidationError):
        services.dossier_create(actor=producer, product=product)
    assert Dossier.objects.count() == 1


def test_answer_refuses_an_unknown_option(dossier, producer):
    with pytest.raises(ValidationError):
        services.item_answer(actor=producer, dossier=dossier, criterion="A1.1", option="z")
    assert not DossierItem.objects.exists()


def test_answer_refuses_an_unknown_criterion(dossier, producer):
    with pytest.raises(ValidationError):
        services.item_answer(actor=producer, dossier=dossier, criterion="Z9.9", option="a")


def test_answer_is_saved(dossier, producer):
    item = services.item_answer(
        actor=producer, dossier=dossier, criterion="A1.1", option="c", explanation="  100%  "
    )
    assert (item.key, item.option, item.explanation) == ("crit:A1.1", "c", "100%")


def test_officer_may_not_answer(dossier, officer):
    with pytest.raises(PermissionDenied):
        services.item_answer(actor=officer, dossier=dossier, criterion="A1.1", option="a")


def test_link_must_be_a_web_address(dossier, producer):
    with pytest.raises(ValidationError):
        services.item_add_link(
            actor=producer, dossier=dossier, key="doc:product-story", url="javascript:alert(1)"
        )


def test_incomplete_dossier_is_not_submitted(dossier, producer):
    services.item_answer(actor=producer, dossier=dossier, criterion="A1.1", option="c")
    with pytest.raises(ValidationError) as exc:
        services.dossier_submit(actor=producer, dossier=dossier)
    assert exc.value.code == "incomplete"
    dossier.refresh_from_db()
    assert (dossier.status, dossier.version) == (S.DRAFT, 0)
    assert not DossierVersion.objects.exists()


def test_submit_freezes_version_one(dossier, producer):
    dossier = submitted(dossier, producer)
    assert (dossier.status, dossier.version) == (S.SUBMITTED, 1)
    version = dossier.versions.get()
    assert (version.number, version.submitted_by) == (1, producer)
    spec = selectors.dossier_spec(dossier=dossier)
    assert set(version.snapshot) == {i.key for i in dossier.items.all()}
    first = spec.criteria()[0]
    assert version.snapshot[f"crit:{first.code}"] == {
        "option": best_option(first).code,
        "explanation": "Có hồ sơ chứng minh kèm theo.",
        "links": [LINK],
        "files": [],
    }
    assert version.self_score["criteria_set"] == SET_CODE
    assert version.self_score["total"] == 100
    assert version.self_score["complete"] is True


def test_submitted_dossier_cannot_be_changed(dossier, producer):
    dossier = submitted(dossier, producer)
    with pytest.raises(ValidationError):
        services.item_answer(actor=producer, dossier=dossier, criterion="A1.1", option="a")
    with pytest.raises(ValidationError):
        services.item_add_link(actor=producer, dossier=dossier, key="doc:product-story", url=LINK)
    with pytest.raises(ValidationError):
        services.dossier_submit(actor=producer, dossier=dossier)
    assert dossier.versions.count() == 1


def test_return_needs_a_reason(dossier, producer, officer):
    dossier = submitted(dossier, producer)
    with pytest.raises(ValidationError):
        services.dossier_return(actor=officer, dossier=dossier, reason=" ", comments={})
    dossier.refresh_from_db()
    assert dossier.status == S.SUBMITTED
    assert not ReviewComment.objects.exists()


def test_return_refuses_unknown_items(dossier, producer, officer):
    dossier = submitted(dossier, producer)
    with pytest.raises(ValidationError):
        services.dossier_return(
            actor=officer, dossier=dossier, reason="Thiếu", comments={"crit:Z9.9": "?"}
        )
    dossier.refresh_from_db()
    assert dossier.status == S.SUBMITTED


def test_return_with_comments(dossier, producer, officer):
    dossier = submitted(dossier, producer)
    dossier = services.dossier_return(
        actor=officer,
        dossier=dossier,
        reason="Cần bổ sung",
        comments={"crit:A1.1": "Ghi rõ tỷ lệ", "crit:A1.2": "  ", "doc:product-story": ""},
    )
    assert dossier.status == S.RETURNED
    comment = ReviewComment.objects.get()
    assert (comment.item_key, comment.text, comment.version, comment.author) == (
        "crit:A1.1",
        "Ghi rõ tỷ lệ",
        1,
        officer,
    )
    assert comment.resolved_in is None


def test_after_return_only_commented_items_change_then_version_two(dossier, producer, officer):
    dossier = submitted(dossier, producer)
    dossier = services.dossier_return(
        actor=officer, dossier=dossier, reason="Cần bổ sung", comments={"crit:A1.1": "Rõ hơn"}
    )
    with pytest.raises(ValidationError):
        services.item_answer(actor=producer, dossier=dossier, criterion="A1.2", option="a")
    with pytest.raises(ValidationError):
        services.item_add_link(
            actor=producer, dossier=dossier, key="doc:product-story", url="https://x.vn"
        )
    services.item_answer(
        actor=producer, dossier=dossier, criterion="A1.1", option="b", explanation="Khoảng 60%"
    )
    dossier = services.dossier_submit(actor=producer, dossier=dossier)
    assert (dossier.status, dossier.version) == (S.SUBMITTED, 2)
    assert list(ReviewComment.objects.values_list("resolved_in", flat=True)) == [2]
    changes = selectors.version_diff(dossier=dossier, number=2)
    assert [(c.key, c.kind, c.fields) for c in changes] == [
        ("crit:A1.1", "changed", ("explanation", "option"))
    ]
    assert dossier.versions.get(number=2).self_score["total"] == 98


def test_return_without_item_comments_leaves_everything_editable(dossier, producer, officer):
    dossier = submitted(dossier, producer)
    dossier = services.dossier_return(actor=officer, dossier=dossier, reason="Xem lại", comments={})
    services.item_answer(actor=producer, dossier=dossier, criterion="A1.2", option="a")


def test_version_one_diff_lists_everything(dossier, producer):
    dossier = submitted(dossier, producer)
    changes = selectors.version_diff(dossier=dossier, number=1)
    assert {c.kind for c in changes} == {"added"}
    assert len(changes) == dossier.items.count()
    with pytest.raises(DossierVersion.DoesNotExist):
        selectors.version_diff(dossier=dossier, number=2)


def test_accept_by_officer_in_area(dossier, producer, officer):
    dossier = services.dossier_accept(actor=officer, dossier=submitted(dossier, producer))
    assert dossier.status == S.ACCEPTED


@pytest.mark.parametrize("role", ["other_commune_officer", "other_provincial_officer"])
def test_officer_out_of_area_may_not_review(world, dossier, producer, role):
    dossier = submitted(dossier, producer)
    user = world.users[role]
    with pytest.raises(PermissionDenied):
        services.dossier_accept(actor=user, dossier=dossier)
    with pytest.raises(PermissionDenied):
        services.dossier_return(actor=user, dossier=dossier, reason="Không", comments={})
    dossier.refresh_from_db()
    assert dossier.status == S.SUBMITTED


def test_accept_only_from_submitted(dossier, officer):
    with pytest.raises(ValidationError):
        services.dossier_accept(actor=officer, dossier=dossier)


# Who may take each step of DOSSIER_FLOW on a dossier of producer A (commune A, Lâm Đồng).
ROLES = [
    "administrator",
    "central_officer",
    "provincial_officer",
    "other_provincial_officer",
    "commune_officer",
    "other_commune_officer",
    "producer_member",
    "other_producer_member",
    "council_member",
    "consultant",
    "no_role",
]
ALLOWED = {
    "submit": {"administrator", "producer_member"},
    "return": {"administrator", "provincial_officer", "commune_officer"},
    "accept": {"administrator", "provincial_officer", "commune_officer"},
}
PERFORM = {
    "submit": lambda user, d: services.dossier_submit(actor=user, dossier=d),
    "return": lambda user, d: services.dossier_return(
        actor=user, dossier=d, reason="Bổ sung", comments={"crit:A1.1": "Rõ hơn"}
    ),
    "accept": lambda user, d: services.dossier_accept(actor=user, dossier=d),
}


class Rollback(Exception):
    pass


@pytest.mark.parametrize("name", ["submit", "return", "accept"])
def test_flow_by_role_and_area(world, dossier, producer, name):
    transition = DOSSIER_FLOW.get(name)
    dossier = fill(dossier, producer)
    if name != "submit":
        dossier = services.dossier_submit(actor=producer, dossier=dossier)
    assert dossier.status in transition.sources
    assert set(ALLOWED) == set(DOSSIER_FLOW.transitions)
    for role in ROLES:
        user = world.users[role]
        allowed = role in ALLOWED[name]
        assert transition_allowed(user=user, table=DOSSIER_FLOW, record=dossier, name=name) is (
            allowed
        ), role
        if allowed:
            with pytest.raises(Rollback), transaction.atomic():
                assert PERFORM[name](user, dossier).status == transition.target
                raise Rollback
        else:
            with pytest.raises(PermissionDenied):
                PERFORM[name](user, dossier)
        dossier.refresh_from_db()
        assert dossier.status in transition.sources, role


@pytest.mark.parametrize(
    ("status", "possible"),
    [
        (S.DRAFT, {"submit"}),
        (S.SUBMITTED, {"return", "accept"}),
        (S.RETURNED, {"submit"}),
        (S.ACCEPTED, set()),
    ],
)
def test_flow_steps_by_status(status, possible):
    assert {t.name for t in DOSSIER_FLOW.from_state(status)} == possible


def _accepted_with_a_file(dossier, producer, officer):
    fill(dossier, producer)
    document = services.item_add_file(
        actor=producer, dossier=dossier, key="doc:business-registration", file=pdf()
    )
    services.dossier_submit(actor=producer, dossier=dossier)
    services.dossier_accept(actor=officer, dossier=dossier)
    return document


def test_carry_over_copies_items_and_files(media, dossier, product, producer, officer):
    original = _accepted_with_a_file(dossier, producer, officer)
    new = services.dossier_create(actor=producer, product=product, purpose="upgrade")
    assert new.carried_from == dossier
    old_items = {i.key: i for i in dossier.items.all()}
    new_items = {i.key: i for i in new.items.all()}
    assert set(new_items) == set(old_items)
    for key, item in new_items.items():
        old = old_items[key]
        assert (item.option, item.explanation, item.links) == (
            old.option,
            old.explanation,
            old.links,
        )
        assert item.needs_review, key
    item = new_items["doc:business-registration"]
    (copy,) = selectors.item_documents(item=item)
    assert copy.pk != original.pk
    assert copy.owner == item
    assert (copy.sha256, copy.original_name) == (original.sha256, original.original_name)
    assert copy.file.name != original.file.name
    with copy.file.open("rb") as fh:
        assert fh.read().startswith(b"%PDF")
    assert Document.objects.count() == 2


def test_carried_over_items_must_be_reviewed_before_submit(
    media, dossier, product, producer, officer
):
    _accepted_with_a_file(dossier, producer, officer)
    new = services.dossier_create(actor=producer, product=product)
    with pytest.raises(ValidationError) as exc:
        services.dossier_submit(actor=producer, dossier=new)
    assert exc.value.code == "incomplete"
    assert {m.reason for m in selectors.dossier_missing(dossier=new)} == {"review"}
    keys = sorted(new.items.values_list("key", flat=True))
    services.item_answer(
        actor=producer, dossier=new, criterion="A1.1", option="a", explanation="Khoảng 40%"
    )
    for key in keys:
        if key != "crit:A1.1":
            services.item_mark_reviewed(actor=producer, dossier=new, key=key)
    new = services.dossier_submit(actor=producer, dossier=new)
    assert (new.status, new.version) == (S.SUBMITTED, 1)


def test_carry_over_skips_criteria_that_no_longer_exist(dossier, product, producer, officer):
    fill(dossier, producer)
    services.dossier_submit(actor=producer, dossier=dossier)
    services.dossier_accept(actor=officer, dossier=dossier)
    Criterion.objects.filter(criteria_set__code=SET_CODE, code="A1.2").delete()
    criteria_spec_forget()  # as load_criteria does once it has rewritten a set
    new = services.dossier_create(actor=producer, product=product)
    keys = set(new.items.values_list("key", flat=True))
    assert "crit:A1.2" not in keys
    assert "crit:A1.1" in keys
    assert len(keys) == dossier.items.count() - 1


def test_no_dossier_without_criteria_set(world, fresh_produce, producer):
    from ocop.criteria.models import ProductGroup

    group = ProductGroup.objects.get(code="processed-produce", branch__decision__code="qd148-2023")
    product = make_product(world.producer_a, group)
    assert product.criteria_set is None  # no data file for this group yet
    with pytest.raises(ValidationError):
        services.dossier_create(actor=producer, product=product)


def test_document_note_counts_as_a_review(dossier, product, producer, officer):
    submitted(dossier, producer)
    services.dossier_accept(actor=officer, dossier=dossier)
    new = services.dossier_create(actor=producer, product=product)
    item = services.item_explain(
        actor=producer, dossier=new, key="doc:product-story", explanation="Vẫn đúng"
    )
    assert (item.explanation, item.needs_review) == ("Vẫn đúng", False)


def test_an_item_holds_at_most_ten_links(dossier, producer):
    for n in range(services.MAX_LINKS):
        services.item_add_link(
            actor=producer, dossier=dossier, key="doc:product-story", url=f"https://a.vn/{n}"
        )
    with pytest.raises(ValidationError):
        services.item_add_link(
            actor=producer, dossier=dossier, key="doc:product-story", url="https://a.vn/x"
        )
    assert len(dossier.items.get().links) == services.MAX_LINKS
