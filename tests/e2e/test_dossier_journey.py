"""Steps 2 to 5 on a phone: a producer registers an idea, the commune accepts it, the
producer adds the product and assembles its dossier, the officer returns one item, the
producer fixes it and submits again.

To keep the run short, most self-assessment answers are filled through the same service the
page calls; the journey answers criteria and adds evidence through the page itself.
"""

import re

import pytest

from conftest import make_producer, make_user
from ocop.accounts.models import Role
from ocop.criteria.models import ProductGroup
from ocop.criteria.services import criteria_load
from ocop.dossiers import rules, selectors, services
from ocop.dossiers.models import Dossier, DossierStatus
from ocop.geo.models import Commune
from ocop.geo.services import units_load
from ocop.ideas.models import IdeaStatus, ProductIdea
from tests.e2e.conftest import DESKTOP

PASSWORD = "Mật-khẩu-thử-2026"


@pytest.fixture
def people(transactional_db):
    units_load(province_codes={68})
    criteria_load()
    commune = Commune.objects.get(province_id=68, name="Xã Lạc Dương")
    producer = make_producer(commune, "Hợp tác xã Cà phê Lang Biang", "0100233488")
    member = make_user("member", Role.PRODUCER_MEMBER, password=PASSWORD, producer=producer)
    officer = make_user("officer", Role.COMMUNE_OFFICER, password=PASSWORD, commune=commune)
    return member, officer


def honey_group():
    return ProductGroup.objects.get(
        branch__decision__code="qd148-2023", code="honey-other-farm-food"
    )


def log_in(page, base, user):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(f"{base}/")


def fill_rest_by_service(member, dossier, keep: set[str]):
    spec = selectors.dossier_spec(dossier=dossier)
    for req in rules.requirements_for(selectors.dossier_branch(dossier=dossier)):
        if req.key not in keep:
            services.item_add_link(
                actor=member, dossier=dossier, key=req.key, url=f"https://example.vn/{req.code}.pdf"
            )
    for criterion in spec.criteria():
        key = rules.criterion_key(criterion.code)
        if key in keep:
            continue
        best = max(criterion.options, key=lambda o: o.points)
        services.item_answer(
            actor=member,
            dossier=dossier,
            criterion=criterion.code,
            option=best.code,
            explanation="Biên bản và hình ảnh kèm theo.",
        )
        services.item_add_link(
            actor=member, dossier=dossier, key=key, url=f"https://example.vn/{criterion.code}"
        )


def test_idea_to_resubmitted_dossier(live_server, page_for, shot, people):
    member, officer = people
    base = live_server.url
    producer_page = page_for()
    log_in(producer_page, base, member)

    # 1. The producer registers an idea and submits it.
    producer_page.goto(f"{base}/ideas/new/")
    producer_page.fill("input[name=product_name]", "Mật ong hoa cà phê Lang Biang")
    producer_page.select_option("select[name=product_group]", str(honey_group().pk))
    producer_page.fill("textarea[name=raw_material_source]", "Đàn ong nuôi dưới tán cà phê")
    producer_page.fill("textarea[name=local_identity]", "Cao nguyên Lang Biang")
    shot(producer_page, "journey-01-idea-form-phone")
    producer_page.locator("main form button[type=submit]").click()
    producer_page.locator("form.transition button[value=submit]").click()
    idea = ProductIdea.objects.get(product_name="Mật ong hoa cà phê Lang Biang")
    assert idea.status == IdeaStatus.SUBMITTED
    shot(producer_page, "journey-02-idea-submitted-phone")

    # 2. The commune officer accepts it from the work queue.
    officer_page = page_for()
    log_in(officer_page, base, officer)
    officer_page.locator("a.stat[data-queue=ideas]").click()
    officer_page.get_by_role("link", name="Mật ong hoa cà phê Lang Biang").click()
    shot(officer_page, "journey-03-idea-review-phone")
    officer_page.locator("form.transition button[value=accept]").click()
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.ACCEPTED

    # 3. The producer adds the product from the accepted idea.
    producer_page.goto(f"{base}/products/new/")
    producer_page.fill("input[name=name]", "Mật ong hoa cà phê Lang Biang")
    producer_page.select_option("select[name=product_group]", str(honey_group().pk))
    producer_page.select_option("select[name=idea]", str(idea.pk))
    producer_page.locator("main form button[type=submit]").click()
    producer_page.wait_for_url(re.compile(r"/products/\d+/$"))
    shot(producer_page, "journey-04-product-phone")

    # 4. ... opens the dossier, answers criteria and adds evidence on the page.
    producer_page.goto(f"{base}/dossiers/new/")
    producer_page.locator("main form button[type=submit]").click()
    shot(producer_page, "journey-04b-dossier-create-phone")
    producer_page.wait_for_url(re.compile(r"/dossiers/\d+/$"))
    dossier = Dossier.objects.get(product__name="Mật ong hoa cà phê Lang Biang")
    spec = selectors.dossier_spec(dossier=dossier)
    first, second = spec.criteria()[0], spec.criteria()[1]
    by_page = {rules.criterion_key(first.code), rules.criterion_key(second.code)}
    fill_rest_by_service(member, dossier, keep=by_page | {"doc:product-story"})
    producer_page.reload()
    assert producer_page.locator("ul.missing li").count() == 3
    for criterion in (first, second):
        item = producer_page.locator(f"details#crit-{criterion.code.replace('.', '-')}")
        item.locator("summary").click()
        best = max(criterion.options, key=lambda o: o.points)
        item.locator(f"input[name=option][value='{best.code}']").check()
        item.locator("textarea[name=explanation]").fill("Hợp đồng liên kết với 25 hộ.")
        item.locator("form", has=producer_page.locator("input[name=option]")).locator(
            "button[type=submit]"
        ).click()
        item = producer_page.locator(f"details#crit-{criterion.code.replace('.', '-')}")
        item.locator("summary").click() if not item.get_attribute("open") else None
        item.locator("input[name=url]").fill(f"https://example.vn/{criterion.code}-hop-dong.pdf")
        item.locator("input[name=url]").press("Enter")
        shot(producer_page, f"journey-05-criterion-{criterion.code}-phone")
    story = producer_page.locator("details#doc-product-story")
    story.locator("summary").click()
    story.locator("input[name=url]").fill("https://example.vn/cau-chuyen.pdf")
    story.locator("input[name=url]").press("Enter")
    assert producer_page.locator("ul.missing").count() == 0
    shot(producer_page, "journey-06-dossier-complete-phone")
    producer_page.locator("form[action$='/submit/'] button").click()
    dossier.refresh_from_db()
    assert (dossier.status, dossier.version) == (DossierStatus.SUBMITTED, 1)

    # 5. The officer returns it with a comment on one item.
    officer_page.goto(f"{base}/")
    officer_page.locator("a.stat[data-queue=dossiers]").click()
    officer_page.get_by_role("link", name="Mật ong hoa cà phê Lang Biang").click()
    officer_page.locator(f"a[href$='/dossiers/{dossier.pk}/review/']").click()
    officer_page.fill(
        f"textarea[name='comment-crit:{first.code}']", "Hợp đồng chưa có xác nhận của xã."
    )
    officer_page.fill("textarea[name=reason]", "Bổ sung một minh chứng.")
    shot(officer_page, "journey-07-review-phone")
    officer_page.locator("button[value=return]").click()
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RETURNED

    # 6. The producer changes only that item and submits again.
    producer_page.goto(f"{base}/dossiers/{dossier.pk}/")
    commented = producer_page.locator(f"details#crit-{first.code.replace('.', '-')}")
    assert commented.get_attribute("open") is not None
    other = producer_page.locator(f"details#crit-{second.code.replace('.', '-')}")
    assert other.locator("input[name=url]").count() == 0  # not editable now
    commented.locator("input[name=url]").fill("https://example.vn/hop-dong-co-xac-nhan.pdf")
    commented.locator("input[name=url]").press("Enter")
    shot(producer_page, "journey-08-fixed-phone")
    producer_page.locator("form[action$='/submit/'] button").click()
    dossier.refresh_from_db()
    assert (dossier.status, dossier.version) == (DossierStatus.SUBMITTED, 2)

    producer_page.set_viewport_size(DESKTOP)
    producer_page.goto(f"{base}/dossiers/{dossier.pk}/versions/2/")
    rows = producer_page.locator("table.list tbody tr")
    assert rows.count() == 1
    assert first.code in rows.first.inner_text()
    shot(producer_page, "journey-09-version-diff-desktop")
