"""The audit log is hash-chained: changing, removing or inserting an entry is found by
`ocop_audit verify`, which names the first broken entry."""

import io

import pytest
from django.core.management import CommandError, call_command

from ocop.audit.models import AuditChain, AuditEvent
from ocop.audit.selectors import chain_verify
from ocop.audit.services import audit_record


def write(world, n=5):
    officer = world.users["provincial_officer"]
    for i in range(n):
        audit_record(
            actor=officer,
            action="producer.update",
            target=world.producer_a,
            changes={"phone": [None, f"0263 38{i:02d}"], "when": {"n": i}},
            note="ghi chú tiếng Việt",
        )


def verify() -> str:
    out = io.StringIO()
    call_command("ocop_audit", "verify", stdout=out)
    return out.getvalue()


def test_entries_are_chained_and_verify(world):
    write(world)
    entries = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    assert all(b.prev_hash == a.hash for a, b in zip(entries, entries[1:], strict=False))
    assert AuditChain.objects.get().hash == entries[-1].hash
    assert entries[-1].province_id == world.producer_a.commune.province_id
    assert "The audit log holds" in verify()


@pytest.mark.parametrize(
    "tamper, reason",
    [
        (lambda e: AuditEvent.objects.filter(pk=e.pk).update(note="sửa"), "content"),
        (lambda e: AuditEvent.objects.filter(pk=e.pk).update(changes={}), "content"),
        (lambda e: AuditEvent.objects.filter(pk=e.pk).update(action="producer.create"), "content"),
        (lambda e: AuditEvent.objects.filter(pk=e.pk).update(actor_key="999"), "content"),
        (lambda e: AuditEvent.objects.filter(pk=e.pk).delete(), "missing"),
    ],
)
def test_tampering_is_found_at_the_first_broken_entry(world, tamper, reason):
    write(world)
    third = AuditEvent.objects.get(seq=3)
    tamper(third)
    check = chain_verify()
    assert check.broken == (3, reason)
    with pytest.raises(CommandError, match="broken at entry 3"):
        verify()


def test_a_rewritten_entry_with_its_hash_recomputed_breaks_the_next_link(world):
    from ocop.audit import chain

    write(world)
    e = AuditEvent.objects.select_related("target_type").get(seq=2)
    e.note = "đã sửa"
    e.hash = chain.entry_hash(
        seq=e.seq, prev_hash=e.prev_hash, at=e.at, actor=e.actor_key, action=e.action,
        target_type="producers.producer", target_id=e.target_id, target_repr=e.target_repr,
        changes=e.changes, note=e.note,
    )  # fmt: skip
    e.save()
    assert chain_verify().broken == (3, "link")


def test_removing_the_last_entries_is_found(world):
    write(world)
    AuditEvent.objects.filter(seq__gte=4).delete()
    assert chain_verify().broken == (4, "truncated")


def test_the_officers_log_shows_their_province(world, client_as):
    write(world, 2)
    audit_record(actor=None, action="producer.update", target=world.producer_c, changes={})
    client = client_as(world.users["provincial_officer"])
    page = client.get("/nhat-ky/")
    assert page.status_code == 200
    shown = {e.target_id for e in page.context["page"].object_list}
    assert shown == {str(world.producer_a.pk)}
    central = client_as(world.users["central_officer"]).get(
        "/nhat-ky/", {"action": "producer.update"}
    )
    assert len(central.context["page"].object_list) == 3
    assert client_as(world.users["commune_officer"]).get("/nhat-ky/").status_code == 403


def test_sign_ins_are_logged(world, client):
    from conftest import PASSWORD, make_user

    user = make_user("dang_nhap", password=PASSWORD)
    client.post("/accounts/login/", {"username": user.email, "password": "wrong password"})
    client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    actions = list(AuditEvent.objects.filter(target_id=str(user.pk)).order_by("seq"))
    assert [e.action for e in actions][-2:] == ["auth.login_failed", "auth.login"]
    assert "password" not in str([e.changes for e in actions])
