"""The database connection dropped in the middle of a request, for real: while an officer's
confirmation of a producer is being written (the producer's row already updated, the audit
entry next), PostgreSQL is told from another connection to end the request's backend. The
officer gets the 503 page, nothing of the half-done change is kept, and the next request
(on a new connection) does the whole change."""

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from ocop.audit.models import AuditEvent
from ocop.audit.selectors import chain_verify
from ocop.producers import services
from ocop.producers.models import Producer, ProducerStatus


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_connection_dropped_mid_request_keeps_nothing_and_the_next_request_works(
    world, monkeypatch
):
    producer = world.producer_a
    Producer.objects.filter(pk=producer.pk).update(status=ProducerStatus.PENDING)
    officer = world.users["commune_officer"]
    record = services.audit_record
    killed = []

    def audit_after_the_connection_is_dropped(**kwargs):
        pid = connection.connection.info.backend_pid
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
                killed.append(cursor.fetchone()[0])
        finally:
            other.close()
        return record(**kwargs)

    monkeypatch.setattr(services, "audit_record", audit_after_the_connection_is_dropped)
    client = Client(raise_request_exception=False)
    client.force_login(officer)
    url = reverse("producers:decide", args=[producer.pk])
    response = client.post(url, {"decision": "confirm", "note": "đủ hồ sơ"})
    assert killed == [True]
    assert response.status_code == 503 and response["Retry-After"] == "10"

    producer.refresh_from_db()  # a new connection: the request's broken one was closed
    assert producer.status == ProducerStatus.PENDING and producer.confirmed_by is None
    assert not AuditEvent.objects.filter(action="producer.confirm").exists()

    monkeypatch.setattr(services, "audit_record", record)
    response = client.post(url, {"decision": "confirm", "note": "đủ hồ sơ"})
    assert response.status_code == 302
    producer.refresh_from_db()
    assert producer.status == ProducerStatus.ACTIVE and producer.confirmed_by == officer
    assert AuditEvent.objects.filter(action="producer.confirm").count() == 1
    assert chain_verify().broken is None
