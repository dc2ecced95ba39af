import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from stdnum import ean

from ocop.audit.selectors import audit_history
from ocop.ideas.models import IdeaStatus
from ocop.products import selectors, services
from ocop.products.models import Product

from .conftest import make_idea, make_plan, make_product

GTIN = "893456313816" + ean.calc_check_digit("893456313816")


def record(group, **overrides):
    data = {
        "name": "Cà phê Arabica rang xay Lang Biang",
        "product_group": group,
        "description": "Cà phê Arabica rang mộc",
        "story": "Trồng dưới chân núi Lang Biang",
        "packaging": "hộp 200 g; túi 500 g",
        "gtin": GTIN,
        "shelf_life": "12 tháng",
        "raw_material_area": "15 ha tại xã Lạc Dương",
    }
    data.update(overrides)
    return data


def test_member_records_a_product_without_an_idea(world, group):
    member = world.users["producer_member"]
    product = services.product_create(actor=member, producer=world.producer_a, data=record(group))
    assert product.idea is None
    assert product.created_by == member
    assert product.search_text == "ca phe arabica rang xay lang biang " + GTIN
    event = audit_history(target=product).get()
    assert event.action == "product.create"
    assert event.changes["gtin"] == [None, GTIN]


def test_criteria_set_follows_the_group(world, group):
    product = make_product(world.producer_a, group)
    assert product.criteria_set.code == "qd148-food-coffee-tea"


@pytest.mark.parametrize(
    ("role", "producer", "allowed"),
    [
        ("producer_member", "producer_a", True),
        ("producer_member", "producer_b", False),
        ("commune_officer", "producer_a", True),
        ("commune_officer", "producer_b", False),
        ("provincial_officer", "producer_b", True),
        ("provincial_officer", "producer_c", False),
        ("central_officer", "producer_a", False),
        ("council_member", "producer_a", False),
        ("administrator", "producer_c", True),
    ],
)
def test_who_may_create(world, group, role, producer, allowed):
    actor, target = world.users[role], getattr(world, producer)
    if allowed:
        services.product_create(actor=actor, producer=target, data=record(group))
    else:
        with pytest.raises(PermissionDenied):
            services.product_create(actor=actor, producer=target, data=record(group))
        assert not Product.objects.exists()


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("producer_member", True),
        ("other_producer_member", False),
        ("commune_officer", True),
        ("other_commune_officer", False),
        ("central_officer", False),
        ("other_provincial_officer", False),
    ],
)
def test_who_may_update(world, group, role, allowed):
    product = make_product(world.producer_a, group)
    actor = world.users[role]
    if allowed:
        services.product_update(actor=actor, product=product, data={"shelf_life": "18 tháng"})
        event = audit_history(target=product).get()
        assert event.changes == {"shelf_life": ["", "18 tháng"]}
    else:
        with pytest.raises(PermissionDenied):
            services.product_update(actor=actor, product=product, data={"shelf_life": "18 tháng"})


def test_update_without_change_writes_no_event(world, group):
    product = make_product(world.producer_a, group)
    services.product_update(
        actor=world.users["producer_member"], product=product, data={"name": product.name}
    )
    assert not audit_history(target=product).exists()


def test_product_from_an_accepted_idea_and_its_plan(world, group):
    idea = make_idea(world.producer_a, group)
    plan = make_plan(idea)
    product = services.product_create(
        actor=world.users["producer_member"],
        producer=world.producer_a,
        data=record(group, plan=plan),
    )
    assert (product.idea, product.plan) == (idea, plan)  # the plan's idea is filled in


@pytest.mark.parametrize("status", [IdeaStatus.DRAFT, IdeaStatus.SUBMITTED, IdeaStatus.DECLINED])
def test_idea_must_be_accepted(world, group, status):
    idea = make_idea(world.producer_a, group, status=status)
    with pytest.raises(ValidationError) as info:
        services.product_create(
            actor=world.users["producer_member"],
            producer=world.producer_a,
            data=record(group, idea=idea),
        )
    assert "idea" in info.value.message_dict


def test_idea_of_another_producer_is_refused(world, group):
    idea = make_idea(world.producer_b, group)
    with pytest.raises(ValidationError) as info:
        services.product_create(
            actor=world.users["commune_officer"],
            producer=world.producer_a,
            data=record(group, idea=idea),
        )
    assert info.value.message_dict["idea"] == ["This idea belongs to another producer."]


def test_plan_of_another_producer_or_idea_is_refused(world, group):
    own_idea = make_idea(world.producer_a, group)
    other_own_idea = make_idea(world.producer_a, group, name="Trà atiso")
    foreign_plan = make_plan(make_idea(world.producer_b, group))
    actor = world.users["administrator"]
    with pytest.raises(ValidationError) as info:
        services.product_create(
            actor=actor, producer=world.producer_a, data=record(group, plan=foreign_plan)
        )
    assert "plan" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        services.product_create(
            actor=actor,
            producer=world.producer_a,
            data=record(group, idea=own_idea, plan=make_plan(other_own_idea)),
        )
    assert info.value.message_dict["plan"] == ["This business plan is for another idea."]


def test_gtin_is_unique_and_checked(world, group):
    actor = world.users["administrator"]
    services.product_create(actor=actor, producer=world.producer_a, data=record(group))
    with pytest.raises(ValidationError) as info:
        services.product_create(actor=actor, producer=world.producer_b, data=record(group))
    assert info.value.message_dict["gtin"] == ["Another product already carries this barcode."]
    bad = GTIN[:-1] + str((int(GTIN[-1]) + 1) % 10)
    with pytest.raises(ValidationError) as info:
        services.product_create(
            actor=actor, producer=world.producer_b, data=record(group, gtin=bad)
        )
    assert info.value.error_dict["gtin"][0].code == "gtin_checksum"


def test_empty_gtins_do_not_collide(world, group):
    actor = world.users["administrator"]
    for producer in (world.producer_a, world.producer_b):
        services.product_create(actor=actor, producer=producer, data=record(group, gtin=""))
    assert Product.objects.filter(gtin__isnull=True).count() == 2


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("producer_member", {"A"}),
        ("commune_officer", {"A"}),
        ("other_commune_officer", {"B"}),
        ("provincial_officer", {"A", "B"}),
        ("other_provincial_officer", {"C"}),
        ("central_officer", {"A", "B", "C"}),
        ("council_member", set()),
        ("no_role", set()),
    ],
)
def test_list_is_scoped(world, group, role, expected):
    for letter in "ABC":
        product = make_product(getattr(world, f"producer_{letter.lower()}"), group)
        product.name = letter
        product.save()
    names = {p.name for p in selectors.product_list(user=world.users[role])}
    assert names == expected


def test_list_filters(world, group, other_group):
    make_product(world.producer_a, group, gtin=GTIN)
    spice = make_product(world.producer_b, other_group)
    spice.name = "Muối tiêu Đơn Dương"
    spice.save()
    admin = world.users["administrator"]

    def names(**filters):
        qs = selectors.product_list(user=admin, filters=selectors.ProductFilters(**filters))
        return [p.name for p in qs]

    assert names(q="muoi TIEU") == ["Muối tiêu Đơn Dương"]
    assert names(q=GTIN[:6]) == ["Cà phê rang xay"]
    assert names(producer=world.producer_b.pk) == ["Muối tiêu Đơn Dương"]
    assert names(product_group=group.pk) == ["Cà phê rang xay"]
