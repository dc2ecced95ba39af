"""Two officers confirm the same producer at the same moment (PostgreSQL row locks)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from ocop.audit.models import AuditEvent
from ocop.producers import services
from ocop.producers.models import Producer, ProducerStatus


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_confirm_and_reject_decide_once(world):
    producer = world.producer_a
    producer.status = ProducerStatus.PENDING
    producer.save()
    officers = [world.users["commune_officer"], world.users["provincial_officer"]]
    barrier = threading.Barrier(2)
    outcomes = []

    def decide(officer, confirm):
        try:
            barrier.wait()
            if confirm:
                services.producer_confirm(actor=officer, producer=producer)
            else:
                services.producer_reject(actor=officer, producer=producer, reason="trùng lặp")
            outcomes.append("done")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(officers[0], True)),
        threading.Thread(target=decide, args=(officers[1], False)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["done", "refused"]
    decided = Producer.objects.get(pk=producer.pk).status
    assert decided in {ProducerStatus.ACTIVE, ProducerStatus.REJECTED}
    events = AuditEvent.objects.filter(action__in=["producer.confirm", "producer.reject"])
    assert events.count() == 1
