import csv
import io
import json

import pytest
from django.urls import reverse

from ocop.catalog import services
from ocop.catalog.models import Inquiry, TradeEvent
from ocop.certificates.models import Certificate

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_home_shows_the_best_and_the_newest(client, catalogue):
    response = client.get(reverse("catalog:home"), **EN)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Chè Shan Tuyết Tà Xùa" in text and "Ấm chén gốm men lam" in text  # 5★
    assert "9 products recognised" in text
    assert "Chè búp Cầu Đất cũ" not in text  # expired
    assert "<svg" in text and "Quần đảo Hoàng Sa" in text and "Quần đảo Trường Sa" in text
    assert "Tỉnh Lâm Đồng: 4" in text  # the map's tooltip


def test_home_shows_a_revocation_once_committed(
    client, catalogue, django_capture_on_commit_callbacks
):
    """The showcases and counts are kept in the cache until a listing changes."""
    client.get(reverse("catalog:home"), **EN)
    shan = Certificate.objects.get(pk=catalogue["shan"].certificate_id)
    shan.status = "revoked"
    shan.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.listing_refresh(product=shan.product)
    text = client.get(reverse("catalog:home"), **EN).content.decode()
    assert '<strong class="name">Chè Shan Tuyết Tà Xùa</strong>' not in text
    assert '<strong class="name">Ấm chén gốm men lam</strong>' in text
    assert "8 products recognised" in text


def test_search_page_with_facets(client, catalogue):
    response = client.get(reverse("catalog:search"), {"q": "ca phe", "province": 68}, **EN)
    text = response.content.decode()
    assert "Cà phê Arabica Cầu Đất" in text and "Ca cao lên men" not in text
    assert "province=66" in text  # the other province's facet link stays
    assert "4 products" in text


def test_search_partial_for_htmx(client, catalogue):
    response = client.get(reverse("catalog:search"), {"q": "atiso"}, HTTP_HX_REQUEST="true")
    assert "<html" not in response.content.decode()
    assert "Trà atiso Đà Lạt" in response.content.decode()


def test_bad_filters_do_not_break_the_page(client, catalogue):
    response = client.get(reverse("catalog:search"), {"province": "abc", "stars": 9, "q": "tra"})
    assert response.status_code == 200


def test_product_page(client, catalogue):
    listing = catalogue["shan"]
    response = client.get(listing.get_absolute_url(), **EN)
    text = response.content.decode()
    assert response.status_code == 200
    assert "Chè cổ thụ hái trên đỉnh Tà Xùa." in text
    assert listing.certificate.number in text and "Valid" in text
    assert 'property="og:title"' in text and 'rel="canonical"' in text
    ld = text.split('<script type="application/ld+json">')[1].split("</script>")[0]
    data = json.loads(ld)
    assert (data["@type"], data["name"], data["award"]) == ("Product", listing.name, "OCOP 5 sao")
    assert data["manufacturer"]["address"]["addressRegion"] == listing.province.name
    assert "Trà xanh Tà Xùa" in text  # a related product
    assert listing.producer.tax_code not in text


def test_old_slug_redirects_and_unlisted_is_404(client, catalogue):
    listing = catalogue["shan"]
    wrong = reverse("catalog:product", kwargs={"slug": "ten-cu", "pk": listing.product_id})
    response = client.get(wrong)
    assert response.status_code == 301 and response["Location"] == listing.get_absolute_url()
    expired = catalogue["expired"]
    assert client.get(expired.get_absolute_url()).status_code == 404


def test_revocation_removes_the_product_at_once(client, world, catalogue):
    from ocop.certificates.services import certificate_revoke

    listing = catalogue["arabica"]
    certificate_revoke(
        actor=world.users["provincial_officer"],
        certificate=Certificate.objects.get(pk=listing.certificate_id),
        reason="Vi phạm ghi nhãn",
    )
    assert client.get(listing.get_absolute_url()).status_code == 404
    text = client.get(reverse("catalog:search"), {"q": "arabica"}, **EN).content.decode()
    assert "Cà phê Arabica Cầu Đất" not in text


def test_contacts_only_when_published(client, catalogue):
    listing = catalogue["dac_san"]
    producer = listing.producer
    producer.phone = "0912345678"
    producer.save()
    url = listing.get_producer_url()
    assert "0912345678" not in client.get(url).content.decode()
    producer.publish_contacts = True
    producer.save()
    assert "0912345678" in client.get(url).content.decode()
    assert "0912345678" in client.get(listing.get_absolute_url()).content.decode()


def test_producer_and_province_pages(client, catalogue):
    listing = catalogue["atiso"]
    text = client.get(listing.get_producer_url(), **EN).content.decode()
    assert "4 recognised products" in text and "Dâu tây Lạc Dương" in text
    text = client.get(reverse("catalog:province", args=["lam-dong"]), **EN).content.decode()
    assert "OCOP products of Tỉnh Lâm Đồng" in text and "Trà atiso Đà Lạt" in text
    assert client.get(reverse("catalog:province", args=["atlantis"])).status_code == 404


def test_an_inquiry_reaches_the_producer(client, client_as, world, catalogue):
    listing = catalogue["arabica"]  # producer A: world's producer member
    url = reverse("catalog:inquiry", args=[listing.product_id])
    data = {
        "buyer_name": "Lê Thu",
        "organisation": "Siêu thị Xanh",
        "email": "thu@example.vn",
        "quantity": "200 hộp",
        "destination": "Hà Nội",
        "message": "Xin báo giá sỉ.",
        "website": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    inquiry = Inquiry.objects.get()
    assert (inquiry.producer, inquiry.quantity) == (listing.producer, "200 hộp")
    inbox = client_as(world.users["producer_member"]).get(reverse("catalog:inbox"), **EN)
    assert "Xin báo giá sỉ." in inbox.content.decode()
    inquiry.refresh_from_db()
    assert inquiry.read_at is not None
    officer = client_as(world.users["provincial_officer"]).get(reverse("catalog:inbox"), **EN)
    text = officer.content.decode()
    assert listing.producer.legal_name in text and "Xin báo giá sỉ." not in text  # counts only


def test_inquiry_needs_a_way_to_answer(client, catalogue):
    url = reverse("catalog:inquiry", args=[catalogue["arabica"].product_id])
    response = client.post(url, {"buyer_name": "A", "message": "Giá?"}, **EN)
    assert response.status_code == 422
    assert "Give an email or a phone number" in response.content.decode()
    assert not Inquiry.objects.exists()


def test_honeypot_and_rate_limit(client, catalogue):
    url = reverse("catalog:inquiry", args=[catalogue["arabica"].product_id])
    data = {"buyer_name": "Bot", "email": "b@example.vn", "message": "Buy now", "website": "x"}
    assert client.post(url, data).status_code == 302  # the robot is not told
    assert not Inquiry.objects.exists()
    data["website"] = ""
    for _ in range(services.INQUIRIES_PER_HOUR):
        assert client.post(url, data).status_code == 302
    refused = client.post(url, data, **EN)
    assert refused.status_code == 422 and "try again later" in refused.content.decode()
    assert Inquiry.objects.count() == services.INQUIRIES_PER_HOUR


def test_open_data(client, catalogue):
    response = client.get(reverse("catalog:open_data_csv"))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()[1:])))
    assert len(rows) == 9
    row = next(r for r in rows if r["product"] == "Chè Shan Tuyết Tà Xùa")
    assert (row["stars"], row["certificate_number"]) == ("5", catalogue["shan"].certificate.number)
    assert "tax" not in ",".join(rows[0])
    data = client.get(reverse("catalog:open_data_json")).json()
    assert len(data["products"]) == 9 and "CC BY 4.0" in data["licence"]


def test_catalogue_api(client, catalogue):
    body = client.get("/api/catalog/products", {"q": "dac san dak nong"}).json()
    assert body["count"] == 2 and body["items"][0]["name"] == "Đặc sản Đắk Nông hạt mắc ca"
    one = client.get(f"/api/catalog/products/{catalogue['shan'].product_id}").json()
    assert one["stars"] == 5 and one["province_code"] == 8
    facets = client.get("/api/catalog/facets", {"stars": 5}).json()
    assert {f["value"] for f in facets["province"]} == {8, 1}
    assert client.get(f"/api/catalog/products/{catalogue['expired'].product_id}").status_code == 404


def test_sitemap_and_robots(client, catalogue):
    text = client.get("/sitemap.xml").content.decode()
    assert catalogue["shan"].get_absolute_url() in text
    assert "/tinh/lam-dong/" in text
    assert catalogue["expired"].get_absolute_url() not in text
    assert "Sitemap:" in client.get("/robots.txt").content.decode()


def test_map_svg(client, catalogue):
    response = client.get(reverse("catalog:map"))
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.decode().count("<path") >= 34


@pytest.fixture
def fair(world, client_as):
    officer = world.users["provincial_officer"]
    return services.trade_event_save(
        actor=officer,
        data={
            "name": "Hội chợ OCOP Lâm Đồng 2027",
            "kind": "fair",
            "starts_on": "2027-03-01",
            "ends_on": "2027-03-05",
            "place": "Quảng trường Lâm Viên, Đà Lạt",
            "province": world.commune_a.province,
            "organiser": "Sở Nông nghiệp và Môi trường",
        },
    )


def test_trade_event_journey(client, client_as, world, catalogue, fair):
    assert "Hội chợ OCOP Lâm Đồng 2027" in client.get(reverse("catalog:events")).content.decode()
    member = client_as(world.users["producer_member"])
    product = catalogue["arabica"].product
    response = member.post(
        reverse("catalog:event_apply", args=[fair.pk]),
        {"producer": world.producer_a.pk, "products": [product.pk], "note": "2 gian hàng"},
    )
    assert response.status_code == 302
    application = fair.applications.get()
    assert application.status == "pending"
    officer = client_as(world.users["provincial_officer"])
    officer.post(
        reverse("catalog:application_decide", args=[fair.pk, application.pk]), {"accept": "1"}
    )
    application.refresh_from_db()
    assert application.status == "accepted"
    client.logout()
    text = client.get(fair.get_absolute_url()).content.decode()
    assert world.producer_a.legal_name in text and "Cà phê Arabica Cầu Đất" in text


def test_only_the_province_publishes_its_events(world, fair):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.trade_event_save(
            actor=world.users["other_provincial_officer"], data={"name": "X"}, event=fair
        )
    assert TradeEvent.objects.get().name == "Hội chợ OCOP Lâm Đồng 2027"


def test_an_event_cannot_end_before_it_starts(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        services.trade_event_save(
            actor=world.users["provincial_officer"],
            data={
                "name": "Hội chợ",
                "kind": "fair",
                "starts_on": "2027-03-05",
                "ends_on": "2027-03-01",
                "place": "Đà Lạt",
                "province": world.commune_a.province,
                "organiser": "Sở",
            },
        )
    assert "ends_on" in exc.value.message_dict


def test_listed_photos_come_in_small_sizes(
    client, settings, tmp_path, world, catalogue, django_capture_on_commit_callbacks
):
    from ocop.documents.tests.test_images import jpeg
    from ocop.products import services as product_services

    settings.MEDIA_ROOT = tmp_path
    listing = catalogue["arabica"]
    with django_capture_on_commit_callbacks(execute=True):
        photo = product_services.product_photo_add(
            actor=world.users["producer_member"], product=listing.product, file=jpeg()
        )
    listing.refresh_from_db()
    assert listing.photo == photo  # the listing follows the product
    small = client.get(photo.get_public_url(), {"w": 320})
    assert small["Content-Type"] == "image/webp"
    assert len(b"".join(small.streaming_content)) < photo.size
    text = client.get(reverse("catalog:home")).content.decode()
    assert f"{photo.get_public_url()}?w=320" in text


def test_rebuild_command(catalogue, capsys):
    from django.core.management import call_command

    from ocop.catalog.models import Listing

    Listing.objects.filter(pk=catalogue["shan"].pk).delete()
    call_command("ocop_catalog", "rebuild")
    assert "10 listing(s); 9 recognised product(s) shown today." in capsys.readouterr().out
    assert Listing.objects.filter(product=catalogue["shan"].product).exists()
    assert Listing.objects.count() == 10  # the expired one is kept, hidden by its date
