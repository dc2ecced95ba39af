"""The guidance library: who adds documents where, what everyone reads, what a refused file
leaves behind (nothing), and the handouts of a course."""

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ocop.documents.models import Document
from ocop.programme import selectors, services
from ocop.programme.models import GuidanceDocument

from .test_courses import plan_course

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(48) + b"PE\x00\x00"


@pytest.fixture(autouse=True)
def _english():
    """The messages compared below are the English ones, whatever ran before (alone, this
    file ran in Vietnamese and failed)."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def pdf(name="huong-dan.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def add(world, role="provincial_officer", file=None, **data):
    fields = {
        "title": "Hướng dẫn xây dựng hồ sơ sản phẩm OCOP",
        "summary": "Các bước chuẩn bị minh chứng theo Bộ tiêu chí",
        "topic": "dossier",
        "province": world.commune_a.province,
        "published": True,
        **data,
    }
    return services.guidance_save(actor=world.users[role], data=fields, file=file or pdf())


def stored(root: Path) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()]


def test_officers_publish_in_their_area_only(world):
    guidance = add(world)
    assert selectors.guidance_files([guidance])[guidance.pk].kind == "pdf"
    with pytest.raises(PermissionDenied):
        add(world, role="other_provincial_officer")
    with pytest.raises(PermissionDenied):
        add(world, role="producer_member")
    with pytest.raises(PermissionDenied):
        add(world, role="commune_officer")  # a commune officer publishes for the commune
    commune = add(world, role="commune_officer", commune=world.commune_a, province=None)
    assert commune.province == world.commune_a.province  # the commune's province is kept
    national = add(world, role="central_officer", province=None)
    assert national.area_label == "The whole country"
    with pytest.raises(PermissionDenied):  # nor change another area's document
        services.guidance_save(
            actor=world.users["other_provincial_officer"], data={"title": "x"}, guidance=guidance
        )


def test_a_refused_file_leaves_no_record_and_no_file(world, media):
    with pytest.raises(ValidationError) as error:
        add(world, file=SimpleUploadedFile("huong-dan.pdf", EXE))
    assert "not accepted" in str(error.value)
    with pytest.raises(ValidationError):
        services.guidance_save(
            actor=world.users["provincial_officer"],
            data={"title": "Không tệp", "topic": "dossier", "province": world.commune_a.province},
        )
    assert not GuidanceDocument.objects.exists()
    assert not Document.objects.exists()
    assert stored(media) == []


def test_a_new_file_replaces_the_old_and_removal_removes_both(
    world, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        guidance = add(world)
    first = selectors.guidance_files([guidance])[guidance.pk]
    with django_capture_on_commit_callbacks(execute=True):
        services.guidance_save(
            actor=world.users["provincial_officer"],
            data={"title": "Hướng dẫn (bản 2026)"},
            file=pdf("ban-moi.pdf", PDF + b"%2026\n"),
            guidance=guidance,
        )
    files = Document.objects.all()
    assert [d.original_name for d in files] == ["ban-moi.pdf"] and files[0].pk != first.pk
    assert len(stored(media)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.guidance_delete(actor=world.users["provincial_officer"], guidance=guidance)
    assert not GuidanceDocument.objects.exists() and not Document.objects.exists()
    assert stored(media) == []


def test_the_library_filters_by_province_topic_and_words(world):
    lam_dong = add(world, title="Sổ tay đóng gói và nhãn mác", topic="packaging")
    national = add(world, role="central_officer", province=None, title="Quy trình OCOP 2026")
    ha_noi = add(
        world,
        role="other_provincial_officer",
        province=world.commune_c.province,
        title="Hướng dẫn hồ sơ Hà Nội",
    )
    draft = add(world, title="Bản nháp", published=False)
    assert set(selectors.guidance_library()) == {lam_dong, national, ha_noi}
    assert set(selectors.guidance_library(province=world.commune_a.province)) == {
        lam_dong,
        national,
    }
    assert list(selectors.guidance_library(topic="packaging")) == [lam_dong]
    assert list(selectors.guidance_library(query="nhan mac dong goi")) == [lam_dong]  # folded
    assert list(selectors.guidance_library(query="HÀ NỘI")) == [ha_noi]
    assert draft not in selectors.guidance_library()


def test_who_reads_a_document_that_is_not_published(world, client, client_as):
    course = plan_course(world)
    handout = add(world, title="Bài giảng ngày 1", published=False, course=course)
    assert handout.commune == course.commune  # the course's area
    url = reverse("programme:guidance_file", args=[handout.pk, "bai-giang.pdf"])
    assert client.get(url).status_code == 404  # anonymous
    assert client_as(world.users["other_provincial_officer"]).get(url).status_code == 404
    response = client_as(world.users["producer_member"]).get(url)  # sees the course
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Cache-Control"] == "private"
    page = client_as(world.users["provincial_officer"]).get(course.get_absolute_url())
    assert "Bài giảng ngày 1" in page.content.decode()


def test_the_public_library_pages(world, client):
    guidance = add(world)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get(reverse("programme:library"), {"q": "ho so", "province": "68"})
    body = page.content.decode()
    assert page.status_code == 200 and guidance.title in body
    assert "Add a document" not in body  # anonymous
    detail = client.get(guidance.get_absolute_url())
    assert detail.status_code == 200 and "Remove" not in detail.content.decode()
    officer = Client(HTTP_ACCEPT_LANGUAGE="en")
    officer.force_login(world.users["provincial_officer"])
    assert "Add a document" in officer.get(reverse("programme:library")).content.decode()
    assert "Remove" in officer.get(guidance.get_absolute_url()).content.decode()
    download = client.get(reverse("programme:guidance_file", args=[guidance.pk, "x.pdf"]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    empty = client.get(reverse("programme:library"), {"q": "không có tài liệu này"})
    assert "No document matches these filters." in empty.content.decode()
    odd = client.get(reverse("programme:library"), {"province": "abc", "topic": "<x>", "page": "9"})
    assert odd.status_code == 200 and guidance.title in odd.content.decode()  # ignored, page 1


def test_an_officer_adds_a_handout_from_the_course_page(world, client_as):
    course = plan_course(world)
    client = client_as(world.users["provincial_officer"])
    form = client.get(reverse("programme:guidance_create"), {"course": course.pk})
    assert form.context["form"].initial["course"] == course
    response = client.post(
        reverse("programme:guidance_create"),
        {
            "title": "Mẫu phiếu đăng ký",
            "topic": "dossier",
            "course": course.pk,
            "published": "",
            "file": SimpleUploadedFile("phieu.exe", EXE),
        },
    )
    assert response.status_code == 200  # refused, the form again with the reason
    assert response.context["form"].errors["file"]
    assert not GuidanceDocument.objects.exists()
    response = client.post(
        reverse("programme:guidance_create"),
        {"title": "Mẫu phiếu đăng ký", "topic": "dossier", "course": course.pk, "file": pdf()},
    )
    assert response.status_code == 302 and response["Location"] == course.get_absolute_url()
    handout = GuidanceDocument.objects.get()
    assert handout.course == course and not handout.published
    other = client_as(world.users["other_provincial_officer"])
    assert other.post(reverse("programme:guidance_delete", args=[handout.pk])).status_code == 404
