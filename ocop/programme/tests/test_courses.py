import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ocop.programme import selectors, services
from ocop.reports import figures

DAY = datetime.date(2026, 10, 20)


def plan_course(world, role="provincial_officer", **data):
    fields = {
        "title": "Tập huấn xây dựng hồ sơ OCOP",
        "topic": "Bộ tiêu chí, minh chứng, câu chuyện sản phẩm",
        "starts_on": DAY,
        "ends_on": DAY,
        "place": "Hội trường UBND xã Lạc Dương",
        "online": False,
        "organiser": "Sở Nông nghiệp và Môi trường",
        "trainers": "",
        "province": world.commune_a.province,
        "commune": world.commune_a,
        **data,
    }
    return services.course_save(actor=world.users[role], data=fields)


def test_course_registration_attendance_and_feedback(world):
    course = plan_course(world)
    member, officer = world.users["producer_member"], world.users["commune_officer"]
    services.course_register(actor=member, course=course, producer=world.producer_a)
    services.course_register(actor=officer, course=course)
    services.course_register(actor=member, course=course, producer=world.producer_a)  # twice
    assert course.registrations.count() == 2
    with pytest.raises(ValidationError):
        services.course_feedback(actor=member, course=course, rating=5)  # not attended yet
    with pytest.raises(PermissionDenied):
        services.attendance_set(actor=member, course=course, present_user_ids=[member.pk])
    services.attendance_set(actor=officer, course=course, present_user_ids=[member.pk])
    services.course_feedback(actor=member, course=course, rating=5, feedback="Rất bổ ích")
    reach = dict(
        map(tuple, figures.training_reach(figures.Area(province=course.province), 2026).rows)
    )
    assert list(reach.values()) == [1, 2, 1, 1]
    assert figures.training_reach(figures.Area(province=world.commune_c.province), 2026).total == 0


def test_only_the_area_s_officers_plan_courses(world):
    with pytest.raises(PermissionDenied):
        plan_course(world, role="other_provincial_officer")
    with pytest.raises(PermissionDenied):
        plan_course(world, role="producer_member")
    with pytest.raises(ValidationError):
        plan_course(world, ends_on=DAY - datetime.timedelta(days=1))


def test_who_sees_the_courses(world):
    course = plan_course(world)
    assert list(selectors.course_visible(user=world.users["producer_member"])) == [course]
    assert list(selectors.course_visible(user=world.users["commune_officer"])) == [course]
    assert not selectors.course_visible(user=world.users["other_producer_member"]).exists() or (
        world.producer_b.commune.province_id == course.province_id
    )
    assert not selectors.course_visible(user=world.users["other_provincial_officer"]).exists()


def test_course_pages(world, client_as):
    officer = client_as(world.users["provincial_officer"])
    response = officer.post(
        "/chuong-trinh/tap-huan/moi/",
        {
            "title": "Tập huấn truy xuất nguồn gốc",
            "starts_on": "2026-11-02",
            "ends_on": "2026-11-03",
            "organiser": "Sở",
            "province": 68,
            "online": "on",
        },
    )
    assert response.status_code == 302
    detail = response["Location"]
    member = client_as(world.users["producer_member"])
    member.post(detail + "dang-ky/")
    officer = client_as(world.users["provincial_officer"])
    officer.post(detail + "diem-danh/", {"present": [world.users["producer_member"].pk]})
    member = client_as(world.users["producer_member"])
    member.post(detail + "danh-gia/", {"rating": 4, "feedback": "Hay"})
    officer = client_as(world.users["provincial_officer"])
    text = officer.get(detail, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1 attended" in text and "4★" in text and "“Hay”" in text


def test_the_nation_s_officers_see_every_course(world):
    course = plan_course(world)
    assert list(selectors.course_visible(user=world.users["central_officer"])) == [course]
