import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ocop.catalog.tests.conftest import catalogue  # noqa: F401 (fixture)
from ocop.certificates.models import Certificate
from ocop.programme import progress, selectors, services
from ocop.programme.models import Metric, PlanStatus

TARGETS = {Metric.PRODUCTS: 10, Metric.PRODUCTS_4: 4, Metric.PRODUCERS: 5, Metric.PRODUCTS_5: None}


def draft(world, role="provincial_officer", **data):
    fields = {
        "title": "Đề án OCOP tỉnh Lâm Đồng 2026–2030",
        "start_year": 2026,
        "end_year": 2030,
        "province": world.commune_a.province,
        "commune": None,
        **data,
    }
    return services.plan_save(actor=world.users[role], data=fields, targets=dict(TARGETS))


def test_progress_counts_the_register(world, catalogue):  # noqa: F811
    plan = draft(world)
    rows = {r.metric: r for r in progress.plan_progress(plan)}
    assert set(rows) == {Metric.PRODUCTS, Metric.PRODUCTS_4, Metric.PRODUCERS}
    live = [
        c
        for c in Certificate.objects.select_related("producer__commune")
        if c.producer.commune.province_id == 68 and c.state == "valid"
    ]
    assert rows[Metric.PRODUCTS].reached == len({c.product_id for c in live}) == 4
    assert rows[Metric.PRODUCTS_4].reached == len({c.product_id for c in live if c.stars >= 4})
    assert rows[Metric.PRODUCERS].reached == len({c.producer_id for c in live})
    assert rows[Metric.PRODUCTS].percent == 40


def test_only_the_area_s_officers_draft_its_plan(world):
    with pytest.raises(PermissionDenied):
        draft(world, role="other_provincial_officer")
    with pytest.raises(PermissionDenied):
        draft(world, role="commune_officer")  # a province's plan is the province's
    commune_plan = draft(world, role="commune_officer", commune=world.commune_a, title="Xã")
    assert (commune_plan.level, commune_plan.province_id) == ("commune", 68)
    with pytest.raises(PermissionDenied):
        draft(world, role="provincial_officer", province=None, title="Quốc gia")
    national = draft(world, role="central_officer", province=None, title="Quốc gia")
    assert national.level == "nation"


def test_period_and_approval(world):
    with pytest.raises(ValidationError):
        draft(world, start_year=2030, end_year=2026)
    plan = draft(world)
    with pytest.raises(ValidationError):
        services.plan_approve(
            actor=world.users["provincial_officer"], plan=plan, number="", date=None
        )
    services.plan_approve(
        actor=world.users["provincial_officer"],
        plan=plan,
        number="1234/QĐ-UBND",
        date=datetime.date(2026, 3, 1),
    )
    plan.refresh_from_db()
    assert (plan.status, plan.decision_number) == (PlanStatus.APPROVED, "1234/QĐ-UBND")
    with pytest.raises(ValidationError):
        services.plan_save(
            actor=world.users["provincial_officer"], data={"title": "x"}, targets={}, plan=plan
        )


def test_national_view_of_approved_plans(world):
    plan = draft(world)
    overview = selectors.provinces_with_plans(year=2026)
    assert not any(o.plan for o in overview)
    services.plan_approve(
        actor=world.users["provincial_officer"],
        plan=plan,
        number="1/QĐ",
        date=datetime.date(2026, 1, 5),
    )
    overview = selectors.provinces_with_plans(year=2026)
    assert [o.province.pk for o in overview if o.plan] == [68]
    assert not any(o.plan for o in selectors.provinces_with_plans(year=2031))


def test_visibility(world):
    plan = draft(world)
    national = draft(world, role="central_officer", province=None, title="Quốc gia")
    assert set(selectors.plan_visible(user=world.users["commune_officer"])) == {plan, national}
    assert set(selectors.plan_visible(user=world.users["other_provincial_officer"])) == {national}
    assert not selectors.plan_visible(user=world.users["producer_member"]).exists()


def test_pages(world, client_as, catalogue):  # noqa: F811
    client = client_as(world.users["provincial_officer"])
    data = {
        "title": "Kế hoạch OCOP 2027",
        "start_year": 2027,
        "end_year": 2027,
        "province": 68,
        "target_products": 12,
        "target_producers": "",
    }
    response = client.post("/chuong-trinh/moi/", data)
    assert response.status_code == 302
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Kế hoạch OCOP 2027" in page and "4</strong> / 12" in page
    from ocop.geo.models import Province

    central = client_as(world.users["central_officer"])
    listing = central.get("/chuong-trinh/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"0 of {Province.objects.count()} provinces have an approved plan" in listing


def test_the_nation_s_officers_see_every_plan(world):
    plan = draft(world)
    national = draft(world, role="central_officer", province=None, title="Quốc gia")
    assert set(selectors.plan_visible(user=world.users["central_officer"])) == {plan, national}
    assert set(selectors.plan_visible(user=world.users["administrator"])) == {plan, national}
