import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ocop.audit.selectors import audit_history
from ocop.ideas.models import IdeaStatus
from ocop.ideas.tests.conftest import make_idea
from ocop.plans.models import BusinessPlan, PlanStatus

from .conftest import make_plan

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
FORM = {"objectives": "Đạt 4 sao năm 2027", "investment_total": "350000000"}


def test_list_is_scoped(client_as, world, group, idea):
    make_plan(idea)
    make_plan(make_idea(world.producer_c, group, status=IdeaStatus.ACCEPTED))
    response = client_as(world.users["provincial_officer"]).get(reverse("plans:list"))
    assert [p.idea for p in response.context["page"].object_list] == [idea]
    assert client_as(world.users["council_member"]).get(reverse("plans:list")).status_code == 403


def test_create(client_as, world, idea):
    member = world.users["producer_member"]
    client = client_as(member)
    assert client.get(reverse("plans:create", args=[idea.pk])).status_code == 200
    response = client.post(reverse("plans:create", args=[idea.pk]), FORM)
    plan = BusinessPlan.objects.get()
    assert response["Location"] == plan.get_absolute_url()
    assert (plan.created_by, plan.investment_total) == (member, 350_000_000)
    response = client.post(reverse("plans:create", args=[idea.pk]), FORM)  # a second time
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert BusinessPlan.objects.count() == 1


def test_create_refused(client_as, world, group, idea):
    url = reverse("plans:create", args=[idea.pk])
    assert client_as(world.users["provincial_officer"]).get(url).status_code == 403
    assert client_as(world.users["other_commune_officer"]).get(url).status_code == 404
    draft = make_idea(world.producer_a, group, product_name="Trà atiso")
    response = client_as(world.users["producer_member"]).post(
        reverse("plans:create", args=[draft.pk]), FORM
    )
    assert response.context["form"].non_field_errors()
    assert not BusinessPlan.objects.exists()


def test_end_before_start_is_a_form_error(client_as, world, idea):
    data = {**FORM, "start_date": "2026-06-01", "end_date": "2026-01-01"}
    response = client_as(world.users["producer_member"]).post(
        reverse("plans:create", args=[idea.pk]), data
    )
    assert "end_date" in response.context["form"].errors
    assert not BusinessPlan.objects.exists()


@pytest.mark.parametrize(
    ("role", "status", "buttons", "can_edit"),
    [
        ("producer_member", PlanStatus.DRAFT, ["submit"], True),
        ("producer_member", PlanStatus.SUBMITTED, [], False),
        ("provincial_officer", PlanStatus.SUBMITTED, ["approve", "return"], False),
        ("commune_officer", PlanStatus.SUBMITTED, ["approve", "return"], False),
        ("central_officer", PlanStatus.SUBMITTED, [], False),
    ],
)
def test_detail_offers_only_permitted_steps(
    client_as, world, idea, role, status, buttons, can_edit
):
    plan = make_plan(idea, status=status)
    response = client_as(world.users[role]).get(reverse("plans:detail", args=[plan.pk]))
    assert sorted(t.name for t in response.context["transitions"]) == buttons
    assert response.context["can_edit"] == can_edit
    assert (response.context["attachment_form"] is not None) == can_edit


def test_edit_and_refusal_after_submit(client_as, world, idea):
    plan = make_plan(idea)
    client = client_as(world.users["producer_member"])
    client.post(reverse("plans:edit", args=[plan.pk]), {**FORM, "markets": "Đà Lạt"})
    plan.refresh_from_db()
    assert plan.markets == "Đà Lạt"
    plan.status = PlanStatus.SUBMITTED
    plan.save()
    response = client.get(reverse("plans:edit", args=[plan.pk]))
    assert response["Location"] == plan.get_absolute_url()
    client.post(reverse("plans:edit", args=[plan.pk]), {**FORM, "markets": "Huế"})
    plan.refresh_from_db()
    assert plan.markets == "Đà Lạt"
    assert (
        client_as(world.users["provincial_officer"])
        .get(reverse("plans:edit", args=[plan.pk]))
        .status_code
        == 403
    )


def test_transition(client_as, world, idea):
    plan = make_plan(idea, status=PlanStatus.SUBMITTED)
    client = client_as(world.users["provincial_officer"])
    assert client.get(reverse("plans:transition", args=[plan.pk, "approve"])).status_code == 405
    client.post(reverse("plans:transition", args=[plan.pk, "return"]))  # no reason
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    client.post(reverse("plans:transition", args=[plan.pk, "approve"]))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    member = client_as(world.users["producer_member"])
    assert member.post(reverse("plans:transition", args=[plan.pk, "return"])).status_code == 403


def test_other_area_plan_is_not_found(client_as, world, idea):
    plan = make_plan(idea)
    client = client_as(world.users["other_commune_officer"])
    for name in ["plans:detail", "plans:edit"]:
        assert client.get(reverse(name, args=[plan.pk])).status_code == 404
    assert client.post(reverse("plans:transition", args=[plan.pk, "submit"])).status_code == 404


def test_milestones_and_support(client_as, world, idea):
    plan = make_plan(idea, status=PlanStatus.APPROVED)
    client = client_as(world.users["commune_officer"])
    response = client.get(reverse("plans:detail", args=[plan.pk]))
    assert response.context["may_implement"]
    client.post(
        reverse("plans:milestone_add", args=[plan.pk]),
        {"m-title": "Đăng ký mã vạch", "m-due_date": "2026-09-01"},
    )
    milestone = plan.milestones.get()
    client.post(reverse("plans:milestone_done", args=[plan.pk, milestone.pk]))
    milestone.refresh_from_db()
    assert milestone.done_on is not None
    client.post(
        reverse("plans:support_add", args=[plan.pk]),
        {"s-kind": "training", "s-received_on": "2026-05-01", "s-provider": "Sở NN&MT"},
    )
    assert plan.support.get().provider == "Sở NN&MT"
    assert client.post(reverse("plans:milestone_done", args=[plan.pk, 999])).status_code == 404


def test_implementation_refused_before_approval_and_to_readers(client_as, world, idea):
    plan = make_plan(idea)
    client = client_as(world.users["producer_member"])
    response = client.post(
        reverse("plans:milestone_add", args=[plan.pk]),
        {"m-title": "Đăng ký mã vạch", "m-due_date": "2026-09-01"},
        follow=True,
    )
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not plan.milestones.exists()
    plan.status = PlanStatus.APPROVED
    plan.save()
    central = client_as(world.users["central_officer"])
    data = {"s-kind": "training", "s-received_on": "2026-05-01"}
    assert central.post(reverse("plans:support_add", args=[plan.pk]), data).status_code == 403
    assert not plan.support.exists()


def test_attach_a_pdf_and_refuse_an_exe(client_as, world, idea, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    plan = make_plan(idea)
    client = client_as(world.users["producer_member"])
    pdf = SimpleUploadedFile("phuong-an.pdf", PDF, content_type="application/pdf")
    client.post(reverse("plans:attach", args=[plan.pk]), {"file": pdf})
    response = client.get(reverse("plans:detail", args=[plan.pk]))
    assert [d.original_name for d in response.context["attachments"]] == ["phuong-an.pdf"]
    assert audit_history(target=plan).filter(action="plan.attach").exists()
    exe = SimpleUploadedFile("setup.exe", b"MZ\x90\x00" + b"\x00" * 60)
    response = client.post(reverse("plans:attach", args=[plan.pk]), {"file": exe}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert response.context["attachments"].count() == 1
    assert len(list(tmp_path.rglob("*.*"))) == 1


def test_attach_refused_once_submitted(client_as, world, idea, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    plan = make_plan(idea, status=PlanStatus.SUBMITTED)
    pdf = SimpleUploadedFile("phuong-an.pdf", PDF, content_type="application/pdf")
    client_as(world.users["producer_member"]).post(
        reverse("plans:attach", args=[plan.pk]), {"file": pdf}
    )
    assert not list(tmp_path.rglob("*.pdf"))
