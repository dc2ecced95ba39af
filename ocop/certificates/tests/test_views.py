import io

from django.urls import reverse
from openpyxl import load_workbook

from ocop.certificates import services
from ocop.certificates.models import Certificate, CertificateStatus, DecisionStatus
from ocop.documents.models import Document

from .conftest import decision_data

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def verify(client, number, suffix="/"):
    return client.get(f"/chung-nhan/{number}{suffix}", **EN)


def test_verification_page_is_public_and_shows_the_register_entry(client, issued):
    c = issued.certificates.get(stars=4)
    response = verify(client, c.number)
    assert response.status_code == 200
    text = response.content.decode()
    for value in (
        c.number,
        c.product.name,
        c.producer.legal_name,
        "Xã Lạc Dương",
        "Lâm Đồng",
        issued.number,
        "Valid",
    ):
        assert value in text


def test_verification_page_shows_nothing_private(client, issued, results):
    c = issued.certificates.get(stars=4)
    text = verify(client, c.number).content.decode()
    assessment = results[1][0]
    for sheet in assessment.result_sheets.values():
        assert sheet["member"] not in text  # no member's name
    assert "75.00" not in text and "75,00" not in text  # no score
    names = list(Document.objects.values_list("original_name", flat=True))
    assert "/documents/" not in text  # no link to any document
    for name in names:
        assert name not in text
    assert c.producer.tax_code not in text
    data = verify(client, c.number, ".json").json()
    assert "score" not in str(data) and c.producer.tax_code not in str(data)
    assert data["state"] == "valid" and data["stars"] == 4
    assert data["producer"] == {
        "name": c.producer.legal_name,
        "commune": "Xã Lạc Dương",
        "province": c.producer.commune.province.name,
    }
    assert data["decision"]["number"] == issued.number


def test_revoked_and_superseded_show_on_the_page(client, world, issued):
    c = issued.certificates.get(stars=4)
    services.certificate_revoke(
        actor=world.users["provincial_officer"], certificate=c, reason="Vi phạm"
    )
    assert "revoked" in verify(client, c.number).content.decode()
    assert verify(client, c.number, ".json").json()["state"] == "revoked"
    other = issued.certificates.get(stars=3)
    Certificate.objects.filter(pk=other.pk).update(superseded_by=c)
    assert "replaced by a newer one" in verify(client, other.number).content.decode()


def test_unknown_number_is_a_friendly_404(client, db):
    response = verify(client, "68-2026-999999")
    assert response.status_code == 404
    assert "not in the register" in response.content.decode()
    assert verify(client, "68-2026-999999", ".json").status_code == 404


def test_officer_pages(client_as, world, issued):
    client = client_as(world.users["provincial_officer"])
    c = issued.certificates.first()
    for url in (
        reverse("certificates:decisions"),
        reverse("certificates:decision", args=[issued.pk]),
        reverse("certificates:certificates"),
        reverse("certificates:certificate", args=[c.number]),
    ):
        assert client.get(url).status_code == 200, url
    response = client.get(reverse("certificates:certificates"), {"q": c.number})
    assert list(response.context["certificates"]) == [c]
    response = client.get(reverse("certificates:certificates"), {"state": "revoked"})
    assert list(response.context["certificates"]) == []
    pdf = client.get(reverse("certificates:pdf", args=[c.number]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_other_province_sees_no_certificate(client_as, world, issued):
    client = client_as(world.users["other_provincial_officer"])
    c = issued.certificates.first()
    assert client.get(reverse("certificates:certificate", args=[c.number])).status_code == 404
    assert client.get(reverse("certificates:decision", args=[issued.pk])).status_code == 404
    response = client.get(reverse("certificates:certificates"))
    assert list(response.context["certificates"]) == []


def test_officer_pages_need_a_login(client, issued):
    response = client.get(reverse("certificates:certificates"))
    assert response.status_code == 302


def test_draft_and_issue_through_the_pages(client_as, world, results):
    panel, (a4, a3) = results
    client = client_as(world.users["provincial_officer"])
    url = reverse("certificates:decision_draft", args=[panel.session.pk])
    assert client.get(url).status_code == 200
    data = {**decision_data(), "assignments": [a4.pk]}
    response = client.post(url, data)
    assert response.status_code == 302
    decision = a4.decision_item.decision
    assert [i.assignment_id for i in decision.items.all()] == [a4.pk]
    response = client.post(reverse("certificates:decision_issue", args=[decision.pk]))
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.ISSUED
    assert decision.certificates.count() == 1


def test_out_of_area_officer_cannot_issue_through_the_page(client_as, world, results):
    officer = world.users["provincial_officer"]
    decision = services.decision_draft(
        actor=officer, session_or_assignments=results[0].session, data=decision_data()
    )
    client = client_as(world.users["other_provincial_officer"])
    response = client.post(reverse("certificates:decision_issue", args=[decision.pk]))
    assert response.status_code in (403, 404)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DRAFT
    draft_url = reverse("certificates:decision_draft", args=[results[0].session.pk])
    assert client.get(draft_url).status_code in (403, 404)


def test_revoke_through_the_page(client_as, world, issued):
    client = client_as(world.users["provincial_officer"])
    c = issued.certificates.first()
    url = reverse("certificates:revoke", args=[c.number])
    client.post(url, {"reason": ""})
    c.refresh_from_db()
    assert c.status == CertificateStatus.VALID
    client.post(url, {"reason": "Không duy trì chất lượng"})
    c.refresh_from_db()
    assert c.status == CertificateStatus.REVOKED and c.revoke_reason


def test_excel_export(client_as, world, issued):
    client = client_as(world.users["provincial_officer"])
    response = client.get(reverse("certificates:export"), **EN)
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("Certificate number", "Product", "Producer")
    by_number = {r[0]: r for r in rows[1:]}
    assert set(by_number) == set(issued.certificates.values_list("number", flat=True))
    for c in issued.certificates.select_related("item", "producer__commune__province"):
        row = by_number[c.number]
        assert row[1] == c.product.name
        assert row[2] == c.producer.legal_name
        assert row[3] == "Cooperative (HTX)"
        assert row[4] == "Xã Lạc Dương"
        assert row[5] == c.producer.commune.province.name
        assert row[6] == c.product.product_group.name_vi
        assert row[7] == c.stars
        assert row[8] == float(c.item.score)
        assert row[9] == issued.number
        assert row[10].date() == issued.date
        assert row[11].date() == c.expires_on
    assert sorted((r[7], r[8]) for r in rows[1:]) == [(3, 60.0), (4, 75.0)]


def test_product_page_shows_its_star_class_and_certificates(client_as, world, issued):
    c = issued.certificates.get(stars=4)
    client = client_as(world.users["producer_member"])
    text = client.get(f"/products/{c.product_id}/", **EN).content.decode()
    assert "4★" in text and c.number in text and "Valid" in text
    services.certificate_revoke(
        actor=world.users["provincial_officer"], certificate=c, reason="Vi phạm"
    )
    text = client.get(f"/products/{c.product_id}/", **EN).content.decode()
    assert "Not recognised" in text and "Revoked" in text
