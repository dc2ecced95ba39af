import pytest
from django.urls import reverse

from ocop.audit.selectors import audit_history
from ocop.producers.models import Producer, ProducerStatus


def test_list_needs_login(client, world):
    response = client.get(reverse("producers:list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_list_shows_only_the_area(client_as, world):
    response = client_as(world.users["provincial_officer"]).get(reverse("producers:list"))
    assert response.status_code == 200
    names = {p.legal_name for p in response.context["page"].object_list}
    assert names == {world.producer_a.legal_name, world.producer_b.legal_name}


def test_roles_without_producer_reach_get_403(client_as, world):
    response = client_as(world.users["council_member"]).get(reverse("producers:list"))
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("lang biang", {"Hợp tác xã Cà phê Lang Biang"}),
        ("ca phe", {"Hợp tác xã Cà phê Lang Biang"}),
        ("RAU CỦ", {"Công ty TNHH Rau củ Đơn Dương"}),
        ("don duong", {"Công ty TNHH Rau củ Đơn Dương"}),
        ("0314409058", {"Công ty TNHH Rau củ Đơn Dương"}),
        ("gốm", {"Hợp tác xã Gốm sứ Bát Tràng"}),
        ("nothing like this", set()),
    ],
)
def test_search_folds_diacritics(client_as, world, query, expected):
    response = client_as(world.users["administrator"]).get(reverse("producers:list"), {"q": query})
    assert {p.legal_name for p in response.context["page"].object_list} == expected


def test_filters_and_htmx_partial(client_as, world):
    world.producer_b.status = ProducerStatus.PENDING
    world.producer_b.save()
    client = client_as(world.users["administrator"])
    response = client.get(reverse("producers:list"), {"status": "pending"}, HTTP_HX_REQUEST="true")
    assert [t.name for t in response.templates][0] == "producers/_results.html"
    assert [p.pk for p in response.context["page"].object_list] == [world.producer_b.pk]
    response = client.get(reverse("producers:list"), {"province": 1})
    assert [p.pk for p in response.context["page"].object_list] == [world.producer_c.pk]


def test_list_paginates(client_as, world, settings):
    settings.PAGE_SIZE = 2
    response = client_as(world.users["administrator"]).get(reverse("producers:list"), {"page": 2})
    assert response.context["page"].number == 2
    assert len(response.context["page"].object_list) == 1


def test_empty_list_says_so(client_as, world):
    response = client_as(world.users["administrator"]).get(reverse("producers:list"), {"q": "zzz"})
    assert response.context["page"].paginator.count == 0
    assert b'class="card empty"' in response.content


def test_other_area_producer_is_not_found(client_as, world):
    client = client_as(world.users["commune_officer"])
    assert client.get(reverse("producers:detail", args=[world.producer_a.pk])).status_code == 200
    assert client.get(reverse("producers:detail", args=[world.producer_c.pk])).status_code == 404
    assert client.get(reverse("producers:history", args=[world.producer_c.pk])).status_code == 404
    assert client.get(reverse("producers:edit", args=[world.producer_c.pk])).status_code == 404


def test_central_officer_reads_but_cannot_edit(client_as, world):
    client = client_as(world.users["central_officer"])
    assert client.get(reverse("producers:detail", args=[world.producer_c.pk])).status_code == 200
    assert client.get(reverse("producers:edit", args=[world.producer_c.pk])).status_code == 403
    assert client.get(reverse("producers:create")).status_code == 403


def form_data(world, **overrides):
    data = {
        "legal_name": "Tổ hợp tác Dệt thổ cẩm K'Ho",
        "producer_type": "cooperative_group",
        "tax_code": "",
        "representative_name": "K'Hương",
        "province": world.commune_a.province_id,
        "commune": world.commune_a.pk,
        "worker_count": "15",
        "female_worker_count": "14",
    }
    data.update(overrides)
    return data


def test_officer_creates_producer_in_own_commune(client_as, world):
    client = client_as(world.users["commune_officer"])
    form = client.get(reverse("producers:create")).context["form"]
    assert list(form.fields["commune"].queryset) == [world.commune_a]
    response = client.post(reverse("producers:create"), form_data(world))
    producer = Producer.objects.get(legal_name="Tổ hợp tác Dệt thổ cẩm K'Ho")
    assert response.status_code == 302
    assert response["Location"] == producer.get_absolute_url()
    assert producer.status == ProducerStatus.ACTIVE


def test_officer_cannot_post_a_commune_outside_the_area(client_as, world):
    client = client_as(world.users["commune_officer"])
    response = client.post(
        reverse("producers:create"), form_data(world, commune=world.commune_b.pk)
    )
    assert response.status_code == 200
    assert "commune" in response.context["form"].errors
    assert not Producer.objects.filter(legal_name="Tổ hợp tác Dệt thổ cẩm K'Ho").exists()


def test_invalid_form_keeps_what_was_typed(client_as, world):
    client = client_as(world.users["commune_officer"])
    response = client.post(
        reverse("producers:create"),
        form_data(world, producer_type="enterprise", tax_code="0100233480"),
    )
    form = response.context["form"]
    assert form.errors["tax_code"][0]
    assert form["legal_name"].value() == "Tổ hợp tác Dệt thổ cẩm K'Ho"


def test_branch_tax_code_with_dash_is_accepted(client_as, world):
    client = client_as(world.users["commune_officer"])
    client.post(reverse("producers:create"), form_data(world, tax_code="0314409058-002"))
    assert (
        Producer.objects.get(legal_name="Tổ hợp tác Dệt thổ cẩm K'Ho").tax_code == "0314409058002"
    )


def test_member_edits_own_producer(client_as, world):
    client = client_as(world.users["producer_member"])
    data = form_data(world, legal_name=world.producer_a.legal_name, producer_type="cooperative")
    data["tax_code"] = world.producer_a.tax_code
    data["phone"] = "0912345678"
    response = client.post(reverse("producers:edit", args=[world.producer_a.pk]), data)
    assert response.status_code == 302
    world.producer_a.refresh_from_db()
    assert world.producer_a.phone == "0912345678"
    assert audit_history(target=world.producer_a).first().actor == world.users["producer_member"]


def test_confirm_and_reject_through_the_page(client_as, world):
    world.producer_a.status = ProducerStatus.PENDING
    world.producer_a.save()
    client = client_as(world.users["commune_officer"])
    url = reverse("producers:decide", args=[world.producer_a.pk])
    assert client.get(url).status_code == 405
    client.post(url, {"decision": "confirm", "note": "OK"})
    world.producer_a.refresh_from_db()
    assert world.producer_a.status == ProducerStatus.ACTIVE
    response = client.post(url, {"decision": "reject", "note": "late"}, follow=True)
    assert response.status_code == 200
    world.producer_a.refresh_from_db()
    assert world.producer_a.status == ProducerStatus.ACTIVE  # refused: not pending any more


def test_member_cannot_confirm_own_producer(client_as, world):
    world.producer_a.status = ProducerStatus.PENDING
    world.producer_a.save()
    client = client_as(world.users["producer_member"])
    response = client.post(
        reverse("producers:decide", args=[world.producer_a.pk]), {"decision": "confirm"}
    )
    assert response.status_code == 403


def test_self_registration(client, world):
    data = form_data(
        world,
        full_name="K'Thị Mai",
        login_email="",
        login_phone="0912 345 678",
        password1="Cà-phê-Lang-Biang-2026",
        password2="Cà-phê-Lang-Biang-2026",
    )
    response = client.post(reverse("producers:register"), data)
    producer = Producer.objects.get(legal_name="Tổ hợp tác Dệt thổ cẩm K'Ho")
    assert response.status_code == 302
    assert producer.status == ProducerStatus.PENDING
    # Logged in as the new member, who sees the record.
    assert client.get(producer.get_absolute_url()).status_code == 200


def test_self_registration_errors(client, world):
    world.users["no_role"].phone = "0912345678"
    world.users["no_role"].save()
    data = form_data(
        world,
        full_name="A",
        login_email="",
        login_phone="0912345678",
        password1="abc",
        password2="abd",
    )
    response = client.post(reverse("producers:register"), data)
    errors = response.context["form"].errors
    assert set(errors) >= {"login_phone", "password2"}
    data.update(login_phone="", password2="abc")
    errors = client.post(reverse("producers:register"), data).context["form"].errors
    assert "login_email" in errors and "password1" in errors


def test_commune_options_follow_the_province(client, world):
    response = client.get(reverse("geo:commune_options"), {"province": 1})
    assert "Xã Bát Tràng" in response.content.decode()
    assert "Xã Lạc Dương" not in response.content.decode()
    assert client.get(reverse("geo:commune_options"), {"province": "x"}).status_code == 200


def test_history_page(client_as, world):
    client = client_as(world.users["provincial_officer"])
    client.post(
        reverse("producers:edit", args=[world.producer_a.pk]),
        {
            **form_data(world, legal_name="HTX Cà phê Lang Biang mới", producer_type="cooperative"),
            "tax_code": world.producer_a.tax_code,
        },
    )
    response = client.get(reverse("producers:history", args=[world.producer_a.pk]))
    content = response.content.decode()
    assert "HTX Cà phê Lang Biang mới" in content
    assert "Hợp tác xã Cà phê Lang Biang" in content
