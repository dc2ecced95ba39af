import pytest
from django.urls import reverse

from ocop.audit.selectors import audit_history
from ocop.ideas.models import IdeaStatus, ProductIdea
from ocop.producers.models import ProducerStatus

from .conftest import make_idea


def form_data(world, group, **overrides) -> dict:
    return {
        "producer": world.producer_a.pk,
        "product_name": "Cà phê Arabica Cầu Đất",
        "product_group": group.pk,
        "year": 2026,
        "raw_material_source": "Vùng trồng cà phê Lạc Dương",
        "local_identity": "Cà phê trồng trên độ cao 1.500 m",
        **overrides,
    }


def test_list_needs_login(client, world):
    response = client.get(reverse("ideas:list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("role", ["council_member", "no_role"])
def test_roles_without_view_get_403(client_as, world, role):
    assert client_as(world.users[role]).get(reverse("ideas:list")).status_code == 403


def test_a_consultant_sees_only_the_ideas_of_producers_that_engaged_it(client_as, world, group):
    from ocop.consultants.models import Consultancy
    from ocop.consultants.services import engagement_create

    make_idea(world.producer_a, group)
    client = client_as(world.users["consultant"])
    assert "Cà phê Arabica Cầu Đất" not in client.get(reverse("ideas:list")).content.decode()
    engagement_create(
        actor=world.users["producer_member"],
        producer=world.producer_a,
        consultancy=Consultancy.objects.get(name="Tư vấn Xanh"),
        kinds=["dossier"],
    )
    client = client_as(world.users["consultant"])
    assert "Cà phê Arabica Cầu Đất" in client.get(reverse("ideas:list")).content.decode()


def test_list_shows_the_area_and_the_create_button(client_as, world, group):
    make_idea(world.producer_a, group)
    make_idea(world.producer_c, group, product_name="Gốm men lam")
    response = client_as(world.users["producer_member"]).get(reverse("ideas:list"))
    assert response.status_code == 200
    assert [i.product_name for i in response.context["page"].object_list] == [
        "Cà phê Arabica Cầu Đất"
    ]
    assert response.context["can_create"]
    response = client_as(world.users["provincial_officer"]).get(reverse("ideas:list"))
    assert not response.context["can_create"]


def test_list_search_and_htmx_partial(client_as, world, group):
    make_idea(world.producer_a, group, status=IdeaStatus.SUBMITTED)
    make_idea(world.producer_b, group, product_name="Rau củ Đơn Dương", year=2025)
    client = client_as(world.users["administrator"])
    response = client.get(reverse("ideas:list"), {"q": "don duong"}, HTTP_HX_REQUEST="true")
    assert response.templates[0].name == "ideas/_results.html"
    assert [i.product_name for i in response.context["page"].object_list] == ["Rau củ Đơn Dương"]
    response = client.get(reverse("ideas:list"), {"status": "submitted", "year": 2026})
    assert response.templates[0].name == "ideas/list.html"
    assert [i.product_name for i in response.context["page"].object_list] == [
        "Cà phê Arabica Cầu Đất"
    ]


@pytest.mark.parametrize(
    ("role", "status", "buttons", "can_edit"),
    [
        ("producer_member", IdeaStatus.DRAFT, ["submit"], True),
        ("producer_member", IdeaStatus.SUBMITTED, [], False),
        ("commune_officer", IdeaStatus.SUBMITTED, ["request_changes", "accept", "decline"], False),
        ("provincial_officer", IdeaStatus.SUBMITTED, [], False),
        ("central_officer", IdeaStatus.DRAFT, [], False),
    ],
)
def test_detail_offers_only_permitted_steps(
    client_as, world, group, role, status, buttons, can_edit
):
    idea = make_idea(world.producer_a, group, status=status)
    response = client_as(world.users[role]).get(reverse("ideas:detail", args=[idea.pk]))
    assert response.status_code == 200
    assert sorted(t.name for t in response.context["transitions"]) == sorted(buttons)
    assert response.context["can_edit"] == can_edit
    for name in ["submit", "request_changes", "accept", "decline"]:
        url = reverse("ideas:transition", args=[idea.pk, name])
        assert (url in response.content.decode()) == (name in buttons)


def test_accepted_idea_links_to_the_plan_form(client_as, world, group):
    idea = make_idea(world.producer_a, group, status=IdeaStatus.ACCEPTED)
    response = client_as(world.users["producer_member"]).get(
        reverse("ideas:detail", args=[idea.pk])
    )
    assert reverse("plans:create", args=[idea.pk]) in response.content.decode()


def test_other_area_idea_is_not_found(client_as, world, group):
    idea = make_idea(world.producer_c, group)
    client = client_as(world.users["commune_officer"])
    assert client.get(reverse("ideas:detail", args=[idea.pk])).status_code == 404
    assert client.get(reverse("ideas:edit", args=[idea.pk])).status_code == 404
    response = client.post(reverse("ideas:transition", args=[idea.pk, "submit"]))
    assert response.status_code == 404
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.DRAFT


def test_create_form_preselects_the_single_producer(client_as, world, group):
    response = client_as(world.users["producer_member"]).get(reverse("ideas:create"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.fields["producer"].initial == world.producer_a.pk
    assert list(form.fields["producer"].queryset) == [world.producer_a]
    assert list(form.fields["product_group"].queryset) == [group]  # the current decision only


def test_create_form_offers_the_area_for_an_administrator(client_as, world, group):
    response = client_as(world.users["administrator"]).get(reverse("ideas:create"))
    form = response.context["form"]
    assert form.fields["producer"].initial is None
    assert form.fields["producer"].queryset.count() == 3


@pytest.mark.parametrize("role", ["provincial_officer", "central_officer", "council_member"])
def test_create_refused_without_a_producer_to_write_for(client_as, world, role):
    assert client_as(world.users[role]).get(reverse("ideas:create")).status_code == 403


def test_create_refused_for_a_pending_producer(client_as, world, group):
    world.producer_a.status = ProducerStatus.PENDING
    world.producer_a.save()
    assert client_as(world.users["producer_member"]).get(reverse("ideas:create")).status_code == 403


def test_create_saves_a_draft(client_as, world, group):
    member = world.users["producer_member"]
    response = client_as(member).post(reverse("ideas:create"), form_data(world, group))
    idea = ProductIdea.objects.get()
    assert response.status_code == 302
    assert response["Location"] == idea.get_absolute_url()
    assert (idea.status, idea.created_by, idea.producer) == (
        IdeaStatus.DRAFT,
        member,
        world.producer_a,
    )


def test_create_refuses_another_producer(client_as, world, group):
    client = client_as(world.users["producer_member"])
    response = client.post(
        reverse("ideas:create"), form_data(world, group, producer=world.producer_b.pk)
    )
    assert response.status_code == 200
    assert "producer" in response.context["form"].errors
    assert not ProductIdea.objects.exists()


def test_create_shows_missing_fields(client_as, world, group):
    client = client_as(world.users["producer_member"])
    response = client.post(reverse("ideas:create"), form_data(world, group, local_identity=""))
    assert "local_identity" in response.context["form"].errors
    assert not ProductIdea.objects.exists()


def test_edit_a_draft(client_as, world, group):
    idea = make_idea(world.producer_a, group)
    client = client_as(world.users["producer_member"])
    assert client.get(reverse("ideas:edit", args=[idea.pk])).status_code == 200
    data = form_data(world, group, product_name="Cà phê Robusta", producer=world.producer_b.pk)
    response = client.post(reverse("ideas:edit", args=[idea.pk]), data)
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.product_name == "Cà phê Robusta"
    assert idea.producer == world.producer_a  # the producer field is disabled
    assert audit_history(target=idea).get().action == "idea.update"


@pytest.mark.parametrize("status", [IdeaStatus.SUBMITTED, IdeaStatus.ACCEPTED, IdeaStatus.DECLINED])
def test_edit_refused_after_submit(client_as, world, group, status):
    idea = make_idea(world.producer_a, group, status=status)
    client = client_as(world.users["producer_member"])
    response = client.post(
        reverse("ideas:edit", args=[idea.pk]), form_data(world, group, product_name="X")
    )
    assert response.status_code == 302
    assert response["Location"] == idea.get_absolute_url()
    idea.refresh_from_db()
    assert idea.product_name == "Cà phê Arabica Cầu Đất"


def test_edit_refused_to_readers(client_as, world, group):
    idea = make_idea(world.producer_a, group)
    client = client_as(world.users["provincial_officer"])
    assert client.get(reverse("ideas:edit", args=[idea.pk])).status_code == 403


def test_transition_needs_post(client_as, world, group):
    idea = make_idea(world.producer_a, group)
    client = client_as(world.users["producer_member"])
    response = client.get(reverse("ideas:transition", args=[idea.pk, "submit"]))
    assert response.status_code == 405
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.DRAFT


def test_transition_post_moves_the_idea(client_as, world, group):
    idea = make_idea(world.producer_a, group)
    client = client_as(world.users["producer_member"])
    response = client.post(reverse("ideas:transition", args=[idea.pk, "submit"]), follow=True)
    assert response.redirect_chain[-1][0] == idea.get_absolute_url()
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.SUBMITTED
    assert [m.level_tag for m in response.context["messages"]] == ["success"]


def test_transition_without_reason_reports_the_error(client_as, world, group):
    idea = make_idea(world.producer_a, group, status=IdeaStatus.SUBMITTED)
    client = client_as(world.users["commune_officer"])
    response = client.post(reverse("ideas:transition", args=[idea.pk, "decline"]), follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.SUBMITTED
    client.post(reverse("ideas:transition", args=[idea.pk, "decline"]), {"reason": "Trùng lặp"})
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.DECLINED
    assert audit_history(target=idea).get().note == "Trùng lặp"


def test_transition_by_a_reader_is_forbidden(client_as, world, group):
    idea = make_idea(world.producer_a, group, status=IdeaStatus.SUBMITTED)
    client = client_as(world.users["provincial_officer"])
    assert client.post(reverse("ideas:transition", args=[idea.pk, "accept"])).status_code == 403
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.SUBMITTED


def test_unknown_transition_is_reported(client_as, world, group):
    idea = make_idea(world.producer_a, group)
    client = client_as(world.users["administrator"])
    response = client.post(reverse("ideas:transition", args=[idea.pk, "publish"]), follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
