import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ocop.accounts.permissions import Action, can
from ocop.consultants import selectors, services
from ocop.consultants.models import Consultancy, EngagementStatus
from ocop.producers.selectors import producer_visible


@pytest.fixture
def consultancy(world):
    return Consultancy.objects.get(name="Tư vấn Xanh")


def engage(world, consultancy, producer=None, **kwargs):
    return services.engagement_create(
        actor=world.users["producer_member"],
        producer=producer or world.producer_a,
        consultancy=consultancy,
        kinds=kwargs.pop("kinds", ["dossier", "packaging"]),
        **kwargs,
    )


def test_consultants_see_only_the_producers_that_engaged_them(world, consultancy):
    consultant = world.users["consultant"]
    assert not can(consultant, Action.PRODUCER_VIEW, world.producer_a)
    assert not producer_visible(user=consultant).exists()
    engagement = engage(world, consultancy)
    consultant = type(consultant).objects.get(pk=consultant.pk)  # a new request
    assert can(consultant, Action.PRODUCER_VIEW, world.producer_a)
    assert not can(consultant, Action.PRODUCER_VIEW, world.producer_b)
    assert list(producer_visible(user=consultant)) == [world.producer_a]
    assert not can(consultant, Action.PRODUCER_CHANGE, world.producer_a)  # read only
    services.engagement_end(
        actor=world.users["producer_member"], engagement=engagement, rating=4, comment="Tốt"
    )
    consultant = type(consultant).objects.get(pk=consultant.pk)
    assert not can(consultant, Action.PRODUCER_VIEW, world.producer_a)
    assert list(selectors.engagement_visible(user=consultant)) == [engagement]  # its history


def test_only_the_producer_engages_and_rates(world, consultancy):
    with pytest.raises(PermissionDenied):
        engage(world, consultancy, producer=world.producer_b)
    with pytest.raises(ValidationError):
        engage(world, consultancy, kinds=[])
    engagement = engage(world, consultancy)
    with pytest.raises(ValidationError):
        engage(world, consultancy)  # already working together
    with pytest.raises(PermissionDenied):
        services.engagement_end(actor=world.users["consultant"], engagement=engagement, rating=5)
    with pytest.raises(ValidationError):
        services.engagement_end(
            actor=world.users["producer_member"], engagement=engagement, rating=9
        )
    ended = services.engagement_end(
        actor=world.users["producer_member"], engagement=engagement, rating=5
    )
    assert (ended.status, ended.rating) == (EngagementStatus.ENDED, 5)


def test_consultants_log_their_activity(world, consultancy):
    engagement = engage(world, consultancy)
    services.activity_add(
        actor=world.users["consultant"], engagement=engagement, day=None, note="Sửa nhãn"
    )
    with pytest.raises(PermissionDenied):
        services.activity_add(
            actor=world.users["other_producer_member"], engagement=engagement, day=None, note="x"
        )
    with pytest.raises(ValidationError):
        services.activity_add(
            actor=world.users["consultant"], engagement=engagement, day=None, note=" "
        )
    assert engagement.activity.count() == 1


def test_pages(world, client_as, consultancy):
    member = client_as(world.users["producer_member"])
    response = member.post(
        "/tu-van/moi/",
        {"producer": world.producer_a.pk, "consultancy": consultancy.pk, "kinds": ["dossier"]},
    )
    assert response.status_code == 302
    detail = response["Location"]
    consultant = client_as(world.users["consultant"])
    consultant.post(detail + "hoat-dong/", {"day": "2026-11-30", "note": "Hoàn thiện hồ sơ"})
    text = consultant.get(detail).content.decode()
    assert "Hoàn thiện hồ sơ" in text
    assert client_as(world.users["other_producer_member"]).get(detail).status_code == 404
    member = client_as(world.users["producer_member"])
    member.post(detail + "ket-thuc/", {"rating": 4, "comment": "Nhiệt tình"})
    assert "4★" in member.get("/tu-van/").content.decode()
