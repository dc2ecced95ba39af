"""Every figure equals a count made independently, in Python, from the records."""

import datetime
import io
from collections import Counter

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from ocop.catalog.tests.conftest import catalogue  # noqa: F401 (fixture)
from ocop.certificates.models import Certificate
from ocop.certificates.tests.conftest import results  # noqa: F401 (fixture)
from ocop.dossiers.models import Dossier
from ocop.ideas.models import ProductIdea
from ocop.reports import figures
from ocop.reports.figures import Area

TODAY = timezone.localdate()
YEAR = TODAY.year


def live(c: Certificate) -> bool:
    return c.status == "valid" and c.superseded_by_id is None and c.expires_on >= TODAY


def in_area(c, area: Area) -> bool:
    commune = c.producer.commune
    if area.commune:
        return commune.pk == area.commune.pk
    if area.province:
        return commune.province_id == area.province.pk
    return True


def areas(world):
    return [
        Area(),
        Area(province=world.commune_a.province),
        Area(province=world.commune_a.province, commune=world.commune_a),
        Area(province=world.commune_c.province),
    ]


def certificates():
    return list(Certificate.objects.select_related("producer__commune", "product__product_group"))


def test_recognised_by_stars_group_and_place(world, catalogue):  # noqa: F811
    for area in areas(world):
        mine = [c for c in certificates() if live(c) and in_area(c, area)]
        stars = Counter(c.stars for c in mine)
        got = figures.recognised_by_stars(area, TODAY).rows
        assert got == [[f"{s}★", stars.get(s, 0)] for s in (3, 4, 5)], area.label
        groups = Counter(c.product.product_group.name_vi for c in mine)
        assert dict(map(tuple, figures.recognised_by_group(area, TODAY).rows)) == groups
        key = (
            (lambda c: c.producer.commune.name)
            if area.province
            else (lambda c: c.producer.commune.province.name)
        )
        places = Counter(key(c) for c in mine)
        assert dict(map(tuple, figures.recognised_by_place(area, TODAY).rows)) == places


def test_expired_and_revoked_are_not_counted(world, catalogue):  # noqa: F811
    nation = Area()
    before = figures.recognised_by_stars(nation, TODAY)
    Certificate.objects.filter(pk=catalogue["shan"].certificate_id).update(status="revoked")
    after = figures.recognised_by_stars(nation, TODAY)
    assert before.total - after.total == 1
    assert after.total == sum(1 for c in certificates() if live(c))


def test_certificates_by_year(world, catalogue):  # noqa: F811
    for area in areas(world):
        table = Counter((c.issued_on.year, c.stars) for c in certificates() if in_area(c, area))
        years = sorted({y for y, _ in table})
        expected = [
            [y, table[(y, 3)], table[(y, 4)], table[(y, 5)], sum(table[(y, s)] for s in (3, 4, 5))]
            for y in years
        ]
        assert figures.certificates_by_year(area).rows == expected


def test_funnel(world, catalogue):  # noqa: F811
    from ocop.criteria.models import ProductGroup

    group = ProductGroup.objects.first()
    for producer, n in ((world.producer_a, 3), (world.producer_b, 1), (world.producer_c, 2)):
        for i in range(n):
            ProductIdea.objects.create(
                producer=producer,
                product_name=f"Ý tưởng {i}",
                product_group=group,
                year=YEAR,
                raw_material_source="x",
                local_identity="y",
            )
    ProductIdea.objects.create(
        producer=world.producer_a, product_name="Cũ", product_group=group, year=YEAR - 1,
        raw_material_source="x", local_identity="y",
    )  # fmt: skip
    for area in areas(world):
        ideas = sum(
            1
            for i in ProductIdea.objects.select_related("producer__commune")
            if i.year == YEAR and in_area(i, area)
        )
        dossiers = sum(
            1
            for d in Dossier.objects.select_related("product__producer__commune")
            if d.year == YEAR and in_area(d.product, area)
        )
        issued = sum(1 for c in certificates() if c.issued_on.year == YEAR and in_area(c, area))
        rows = dict(map(tuple, figures.funnel(area, YEAR).rows))
        assert list(rows.values())[0] == ideas, area.label
        assert list(rows.values())[2] == dossiers
        assert list(rows.values())[4] == issued


def test_expiring_within_six_months(world, catalogue):  # noqa: F811
    soon = catalogue["atiso"].certificate
    Certificate.objects.filter(pk=soon.pk).update(expires_on=TODAY + datetime.timedelta(days=30))
    later = catalogue["arabica"].certificate
    Certificate.objects.filter(pk=later.pk).update(expires_on=TODAY + datetime.timedelta(days=300))
    rows = figures.expiring(Area(), TODAY).rows
    numbers = [r[0] for r in rows]
    assert soon.number in numbers and later.number not in numbers
    expected = sorted(
        c.number
        for c in certificates()
        if live(c) and c.expires_on <= TODAY + datetime.timedelta(days=figures.EXPIRY_WINDOW_DAYS)
    )
    assert sorted(numbers) == expected


def test_scores_and_throughput_count_closed_real_results(world, results):  # noqa: F811
    # Two results closed today by a Lâm Đồng council (75 and 60 points), none in a trial.
    area = Area(province=world.commune_a.province)
    scores = dict(map(tuple, figures.score_distribution(area, YEAR).rows))
    assert (scores["70–79"], scores["60–69"]) == (1, 1) and sum(scores.values()) == 2
    months = dict(map(tuple, figures.evaluation_throughput(area, YEAR).rows))
    assert months[TODAY.month] == 2 and sum(months.values()) == 2
    other = Area(province=world.commune_c.province)
    assert figures.evaluation_throughput(other, YEAR).total == 0


@pytest.mark.parametrize(
    ("role", "ask", "expected"),
    [
        ("central_officer", {"province": 1}, "Thành phố Hà Nội"),
        ("central_officer", {}, "The whole country"),
        ("provincial_officer", {"province": 1}, "Tỉnh Lâm Đồng"),  # not another province
        ("provincial_officer", {"commune": "a"}, "Xã Lạc Dương, Tỉnh Lâm Đồng"),
        ("commune_officer", {"province": 68}, "Xã Lạc Dương, Tỉnh Lâm Đồng"),  # their commune
        ("commune_officer", {"commune": "c"}, "Xã Lạc Dương, Tỉnh Lâm Đồng"),
    ],
)
def test_the_area_stays_within_the_scope(world, role, ask, expected):
    from django.utils import translation

    communes = {"a": world.commune_a.pk, "c": world.commune_c.pk}
    ask = {k: communes.get(v, v) for k, v in ask.items()}
    with translation.override("en"):
        assert figures.area_for(world.users[role], **ask).label == expected


@pytest.mark.parametrize("role", ["producer_member", "council_member", "no_role"])
def test_no_dashboard_for_others(world, client_as, role):
    assert figures.area_for(world.users[role]) is None
    assert client_as(world.users[role]).get("/bao-cao/").status_code == 403


def test_dashboard_page_files_and_api(world, client_as, catalogue):  # noqa: F811
    client = client_as(world.users["provincial_officer"])
    page = client.get("/bao-cao/", {"year": YEAR}, HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert page.status_code == 200 and text.count("<svg") >= 5
    area = Area(province=world.commune_a.province)
    stars = figures.recognised_by_stars(area, TODAY)
    csv = client.get("/bao-cao/stars.csv").content.decode()
    assert csv.splitlines()[1:] == [f"{label},{n}" for label, n in stars.rows]
    book = load_workbook(io.BytesIO(client.get("/bao-cao/bao-cao.xlsx").content))
    assert len(book.sheetnames) == 9
    sheet = book[book.sheetnames[0]]
    assert [sheet.cell(row=7 + i, column=2).value for i in range(3)] == [n for _l, n in stars.rows]
    assert sheet["B2"].value == "Tỉnh Lâm Đồng"
    pdf = client.get("/bao-cao/tom-tat.pdf")
    assert pdf.content.startswith(b"%PDF")
    body = client.get("/api/reports/figures", {"province": 1}).json()
    assert body["area"] == "Tỉnh Lâm Đồng"  # the province officer's own, not Hà Nội
    got = next(f for f in body["figures"] if f["key"] == "stars")
    assert got["rows"] == [[label, n] for label, n in stars.rows] and got["total"] == stars.total


def test_public_figures_for_anyone(world, client, catalogue):  # noqa: F811
    for area, params in [
        (Area(), {}),
        (Area(province=world.commune_a.province), {"province": world.commune_a.province_id}),
        (
            Area(province=world.commune_a.province, commune=world.commune_a),
            {"commune": world.commune_a.pk},
        ),
    ]:
        body = client.get("/api/reports/public", params).json()
        assert body["area"] == area.label
        got = {f["key"]: f for f in body["figures"]}
        assert set(got) == {"stars", "groups", "places", "years"}  # no scores, no funnel
        stars = Counter(c.stars for c in certificates() if live(c) and in_area(c, area))
        assert got["stars"]["rows"] == [[f"{s}★", stars[s]] for s in (3, 4, 5)]
        issued = Counter(c.issued_on.year for c in certificates() if in_area(c, area))
        assert {r[0]: r[-1] for r in got["years"]["rows"]} == dict(issued)
    assert client.get("/api/reports/public", {"province": 999}).status_code == 404
    assert client.get("/api/reports/figures").status_code == 401  # the rest is not public


def test_dashboard_links_to_the_councils_score_analytics(world, client_as):
    from ocop.evaluation.models import Council

    council = Council.objects.get()
    page = client_as(world.users["provincial_officer"]).get("/bao-cao/", {"year": YEAR})
    url = f"/evaluation/councils/{council.pk}/analytics/?since={YEAR}-01-01&amp;until={YEAR}-12-31"
    assert url in page.content.decode()
    assert (
        client_as(world.users["provincial_officer"]).get(url.replace("&amp;", "&")).status_code
        == 200
    )
    other = client_as(world.users["other_provincial_officer"]).get("/bao-cao/")
    assert f"/evaluation/councils/{council.pk}/analytics/" not in other.content.decode()


def test_charts_are_drawn_once_per_content(monkeypatch):
    from django.core.cache import cache

    from ocop.reports import charts

    cache.clear()
    drawn = []
    real = charts._draw
    monkeypatch.setattr(charts, "_draw", lambda f, **kw: drawn.append(f.rows) or real(f, **kw))
    figure = figures.Figure("stars", "Sao", ["Hạng", "Số"], [["3★", 4], ["4★", 2], ["5★", 1]])
    first = charts.svg(figure)
    assert first.startswith("<svg") and charts.svg(figure) == first
    assert len(drawn) == 1  # the second came from the cache
    changed = figures.Figure("stars", "Sao", ["Hạng", "Số"], [["3★", 5], ["4★", 2], ["5★", 1]])
    assert charts.svg(changed) != first and len(drawn) == 2  # new figures draw anew


def _stars(figures_list):
    return next(f for f in figures_list if f.key == "stars")


def test_figures_are_counted_once_then_served_from_the_cache(
    world,
    catalogue,  # noqa: F811
    django_assert_num_queries,
):
    nation = Area()
    counted = figures.all_figures(nation, YEAR, TODAY)
    with django_assert_num_queries(0):
        again = figures.all_figures(nation, YEAR, TODAY)
    assert again == counted
    # Another area, year or language is counted on its own.
    province = Area(province=world.commune_a.province)
    assert _stars(figures.all_figures(province, YEAR, TODAY)).total <= _stars(counted).total
    from django.utils import translation

    with translation.override("en"):
        english = figures.all_figures(nation, YEAR, TODAY)
    assert _stars(english).title == "Recognised products by star class"
    assert _stars(english).rows == _stars(counted).rows


def test_a_committed_change_counts_anew(
    world,
    catalogue,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    nation = Area()
    before = _stars(figures.all_figures(nation, YEAR, TODAY)).total
    certificate = Certificate.objects.get(pk=catalogue["shan"].certificate_id)
    certificate.status = "revoked"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        certificate.save()
    # Not committed yet: still the figures of what is committed.
    assert _stars(figures.all_figures(nation, YEAR, TODAY)).total == before
    for callback in callbacks:
        callback()
    assert _stars(figures.all_figures(nation, YEAR, TODAY)).total == before - 1


def test_figures_changed_counts_anew_once_committed(
    world,
    catalogue,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    """For the writes that send no signal (the import's bulk inserts: see imports' tests)."""
    nation = Area()
    figures.all_figures(nation, YEAR, TODAY)
    Certificate.objects.filter(pk=catalogue["shan"].certificate_id).update(status="revoked")
    cached = _stars(figures.all_figures(nation, YEAR, TODAY)).total  # an update: unseen
    with django_capture_on_commit_callbacks(execute=True):
        figures.figures_changed()
    assert _stars(figures.all_figures(nation, YEAR, TODAY)).total == cached - 1
