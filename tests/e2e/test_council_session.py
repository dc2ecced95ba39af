"""A council session on phones: three members score a dossier, one is more than the
allowed spread apart and re-scores after the discussion, the chair closes the result, and
the minutes come out as a PDF."""

import subprocess

import pytest

from ocop.dossiers.selectors import dossier_spec
from ocop.evaluation import services
from ocop.evaluation.models import Assignment, AssignmentStatus
from ocop.evaluation.tests.builders import (
    accepted_dossier,
    agenda,
    answers_for,
    fresh_produce,
    make_panel,
    pre_assess,
)
from tests.e2e.conftest import ARTIFACTS

PASSWORD = "Mật-khẩu-hội-đồng-2026"


@pytest.fixture
def session_day(transactional_db, world):
    dossier = accepted_dossier(world, fresh_produce())
    pre_assess(world, dossier)
    panel = make_panel(world, attend=False)
    chair, first, second = panel.chair, panel.members[0], panel.members[1]
    # Three of the four scoring members are present, the chair among them: a quorum.
    services.attendance_set(
        actor=panel.officer,
        session=panel.session,
        present_seats=[panel.seats[u] for u in (chair, first, second)],
    )
    assignment = agenda(world, panel, dossier)
    for user in (chair, first, second, panel.officer):
        user.set_password(PASSWORD)
        user.save()
    return panel, assignment


def log_in(page, base, user):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(f"{base}/")


def score(page, base, assignment, answers, shot, name):
    page.goto(f"{base}/evaluation/")
    page.locator(f"a[href='/evaluation/assignments/{assignment.pk}/']").click()
    # Open every criterion, as a member taps through them.
    closed = page.locator("form.sheet details.item:not([open]) > summary")
    while closed.count():
        closed.first.click()
    for code, option in answers.items():
        page.check(f"input[name='a-{code}'][value='{option}']")
    shot(page, name)
    page.locator("button[name=submit]").click()
    page.locator(".message.success").wait_for()


def test_three_members_score_rescore_and_close(live_server, page_for, shot, session_day):
    panel, assignment = session_day
    base = live_server.url
    spec = dossier_spec(dossier=assignment.dossier)
    chair, first, second = panel.chair, panel.members[0], panel.members[1]
    pages = {}
    for user in (chair, first, second):
        pages[user] = page_for()
        log_in(pages[user], base, user)

    score(
        pages[first], base, assignment, answers_for(spec, 92), shot, "council-1-member-sheet-phone"
    )
    # Before submitting, the chair sees who has submitted, not what.
    pages[chair].goto(f"{base}/evaluation/assignments/{assignment.pk}/")
    assert pages[chair].locator("text=92").count() == 0
    score(
        pages[chair], base, assignment, answers_for(spec, 91), shot, "council-2-chair-sheet-phone"
    )
    score(
        pages[second], base, assignment, answers_for(spec, 70, stars=4), shot, "council-3-low-phone"
    )

    # 21 points apart: over the allowed 10. The chair asks the low scorer to score again.
    chair_page = pages[chair]
    chair_page.reload()
    assert chair_page.locator(".badge.status-rejected").first.is_visible()
    shot(chair_page, "council-4-spread-flagged-phone")
    seat = panel.seats[second]
    chair_page.check(f"input[name=seats][value='{seat.pk}']")
    chair_page.fill("input[name=note]", "Thống nhất lại tiêu chí bao bì")
    chair_page.locator("form[action$='/rescore/'] button").click()
    # Closing now is refused: the member has not scored again.
    chair_page.locator("form[action$='/close/'] button").click()
    assert chair_page.locator(".message.error").first.is_visible()

    score(pages[second], base, assignment, answers_for(spec, 88), shot, "council-5-rescore-phone")
    chair_page.reload()
    chair_page.locator("form[action$='/close/'] button").click()
    chair_page.locator(".message.success").wait_for()
    shot(chair_page, "council-6-closed-phone")
    closed = Assignment.objects.get(pk=assignment.pk)
    assert closed.status == AssignmentStatus.CLOSED
    assert str(closed.score) == "90.33"  # (92 + 91 + 88) / 3
    assert closed.stars == 4  # the province ranks up to 4 stars ...
    assert closed.forwarded  # ... and sends 90 points and more to the central council

    # The minutes, as the officer downloads them.
    response = chair_page.request.get(f"{base}/evaluation/sessions/{panel.session.pk}/minutes.pdf")
    assert response.status == 200
    assert response.body().startswith(b"%PDF")
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / "council-minutes.pdf"
    pdf.write_bytes(response.body())
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "70",
            "-f",
            "1",
            "-l",
            "1",
            str(pdf),
            str(ARTIFACTS / "council-minutes"),
        ],
        check=True,
    )
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "90,33" in text and "4 sao" in text
