import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ocop.accounts.models import Membership, Role, User
from ocop.audit.models import AuditEvent
from ocop.audit.selectors import audit_history
from ocop.producers import services
from ocop.producers.models import Producer, ProducerStatus


def record(world, **overrides):
    data = {
        "legal_name": "Hợp tác xã Nông nghiệp Lạc Dương",
        "producer_type": "cooperative",
        "tax_code": "5800123458",
        "representative_name": "K'Bình",
        "commune": world.commune_a,
        "worker_count": 12,
        "female_worker_count": 7,
        "ethnic_minority_worker_count": 9,
    }
    data.update(overrides)
    return data


def test_officer_registers_a_producer_confirmed_at_once(world):
    officer = world.users["commune_officer"]
    producer = services.producer_create(actor=officer, data=record(world))
    assert producer.status == ProducerStatus.ACTIVE
    assert producer.confirmed_by == officer
    event = audit_history(target=producer).get()
    assert event.action == "producer.create"
    assert event.actor == officer
    assert event.changes["legal_name"] == [None, "Hợp tác xã Nông nghiệp Lạc Dương"]


def test_officer_cannot_register_outside_the_area(world):
    with pytest.raises(PermissionDenied):
        services.producer_create(
            actor=world.users["commune_officer"], data=record(world, commune=world.commune_b)
        )
    assert not Producer.objects.filter(tax_code="5800123458").exists()


def test_invalid_record_is_refused_and_nothing_is_written(world):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.producer_create(
            actor=world.users["commune_officer"],
            data=record(world, tax_code="", female_worker_count=40),
        )
    assert set(exc.value.message_dict) == {"tax_code", "female_worker_count"}
    assert AuditEvent.objects.count() == before
    assert not Producer.objects.filter(legal_name="Hợp tác xã Nông nghiệp Lạc Dương").exists()


def test_duplicate_tax_code_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.producer_create(
            actor=world.users["administrator"], data=record(world, tax_code="0100233488")
        )
    assert exc.value.error_dict["tax_code"][0].code == "unique"


def test_household_may_have_no_tax_code(world):
    producer = services.producer_create(
        actor=world.users["commune_officer"],
        data=record(world, producer_type="household", tax_code=""),
    )
    assert producer.tax_code is None


def test_self_registration_makes_user_producer_and_membership(world):
    user, producer = services.producer_register_self(
        user_data={
            "full_name": "K'Thị Mai",
            "phone": "+84 912 345 678",
            "password": "x-y-z-123456",
        },
        data=record(world),
    )
    assert user.phone == "0912345678"
    assert user.check_password("x-y-z-123456")
    assert producer.status == ProducerStatus.PENDING
    assert Membership.objects.filter(
        user=user, role=Role.PRODUCER_MEMBER, producer=producer
    ).exists()
    assert audit_history(target=producer).get().action == "producer.register"


def test_self_registration_fails_whole(world):
    """A bad producer record leaves no orphan user behind."""
    with pytest.raises(ValidationError):
        services.producer_register_self(
            user_data={"full_name": "A", "email": "a@b.vn", "password": "x-y-z-123456"},
            data=record(world, tax_code="0100233480"),
        )
    assert not User.objects.filter(email="a@b.vn").exists()


def test_commune_officer_confirms_a_pending_producer(world):
    _user, producer = services.producer_register_self(
        user_data={"full_name": "A", "email": "a@b.vn", "password": "x-y-z-123456"},
        data=record(world),
    )
    officer = world.users["commune_officer"]
    services.producer_confirm(actor=officer, producer=producer, note="Đã kiểm tra tại xã")
    producer.refresh_from_db()
    assert producer.status == ProducerStatus.ACTIVE
    assert producer.confirmed_by == officer
    event = audit_history(target=producer).first()
    assert (event.action, event.note) == ("producer.confirm", "Đã kiểm tra tại xã")


def test_confirming_twice_is_refused(world):
    with pytest.raises(ValidationError):
        services.producer_confirm(actor=world.users["commune_officer"], producer=world.producer_a)


def test_other_commune_cannot_confirm(world):
    world.producer_a.status = ProducerStatus.PENDING
    world.producer_a.save()
    with pytest.raises(PermissionDenied):
        services.producer_confirm(
            actor=world.users["other_commune_officer"], producer=world.producer_a
        )
    with pytest.raises(PermissionDenied):
        services.producer_confirm(actor=world.users["producer_member"], producer=world.producer_a)


def test_reject_needs_a_reason(world):
    world.producer_a.status = ProducerStatus.PENDING
    world.producer_a.save()
    officer = world.users["commune_officer"]
    with pytest.raises(ValidationError):
        services.producer_reject(actor=officer, producer=world.producer_a, reason="  ")
    services.producer_reject(actor=officer, producer=world.producer_a, reason="Không hoạt động")
    world.producer_a.refresh_from_db()
    assert world.producer_a.status == ProducerStatus.REJECTED
    assert world.producer_a.status_note == "Không hoạt động"


def test_update_records_only_what_changed(world):
    member = world.users["producer_member"]
    services.producer_update(
        actor=member,
        producer=world.producer_a,
        data={"phone": "0263 382 2000", "legal_name": world.producer_a.legal_name},
    )
    event = audit_history(target=world.producer_a).get()
    assert event.action == "producer.update"
    assert event.changes == {"phone": ["", "0263 382 2000"]}
    # Saving the same values again records nothing.
    services.producer_update(
        actor=member, producer=world.producer_a, data={"phone": "0263 382 2000"}
    )
    assert audit_history(target=world.producer_a).count() == 1


def test_member_cannot_move_producer_out_of_reach(world):
    with pytest.raises(PermissionDenied):
        services.producer_update(
            actor=world.users["producer_member"],
            producer=world.producer_a,
            data={"commune": world.commune_c},
        )
    world.producer_a.refresh_from_db()
    assert world.producer_a.commune == world.commune_a


def test_history_shows_field_labels(world):
    services.producer_update(
        actor=world.users["provincial_officer"],
        producer=world.producer_a,
        data={"worker_count": 30},
    )
    event = audit_history(target=world.producer_a).get()
    label = Producer._meta.get_field("worker_count").verbose_name
    assert event.changes_display() == [(label, None, 30)]


def test_search_text_follows_the_name(world):
    world.producer_a.legal_name = "Hợp tác xã Đặc sản Đắk Nông"
    world.producer_a.save()
    world.producer_a.refresh_from_db()
    assert "hop tac xa dac san dak nong" in world.producer_a.search_text
