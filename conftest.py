"""A small, realistic world for the tests: real units of two provinces, a person for each
role, and producers in and out of each person's area."""

import os
from dataclasses import dataclass

import pytest
from hypothesis import settings as hypothesis_settings

from ocop.accounts.models import Membership, Role, User
from ocop.consultants.models import Consultancy
from ocop.evaluation.models import Council, Level
from ocop.geo.models import Commune
from ocop.geo.services import units_load
from ocop.producers.models import Producer, ProducerStatus, ProducerType

# Property-based tests: random examples on a developer's machine, which is how they find new
# bugs; the same examples on every CI run (HYPOTHESIS_PROFILE=ci in .ci/run), so that a
# result there is the commit's, not the draw's.
hypothesis_settings.register_profile("ci", derandomize=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

PASSWORD = "a-Long-test-passphrase-2026"
LAM_DONG, HA_NOI = 68, 1


def make_user(name: str, role: Role | None = None, *, password: str | None = None, **scope):
    """A user holding `role` within `scope`. Without a password, log in with force_login
    (hashing with argon2 on purpose costs time, which a dozen users per test would add up)."""
    user = User.objects.create_user(
        email=f"{name}@test.ocop.vn", password=password, full_name=name.replace("_", " ").title()
    )
    if role:
        Membership.objects.create(user=user, role=role, **scope)
    return user


def make_producer(commune: Commune, name: str, tax_code: str, **extra) -> Producer:
    fields = {
        "legal_name": name,
        "producer_type": ProducerType.COOPERATIVE,
        "tax_code": tax_code,
        "representative_name": "Nguyễn Văn An",
        "commune": commune,
        "status": ProducerStatus.ACTIVE,
        **extra,
    }
    producer = Producer(**fields)
    producer.full_clean()
    producer.save()
    return producer


@dataclass
class World:
    commune_a: Commune  # Xã Lạc Dương, Lâm Đồng
    commune_b: Commune  # Xã Đơn Dương, Lâm Đồng
    commune_c: Commune  # Xã Bát Tràng, Hà Nội
    producer_a: Producer
    producer_b: Producer
    producer_c: Producer
    users: dict[str, User]


@pytest.fixture
def world(db) -> World:
    return world_build()


def world_build() -> World:
    """The world's records, for a fixture of another scope (the API's schemathesis run)."""
    units_load(province_codes={LAM_DONG, HA_NOI})
    a = Commune.objects.get(province_id=LAM_DONG, name="Xã Lạc Dương")
    b = Commune.objects.get(province_id=LAM_DONG, name="Xã Đơn Dương")
    c = Commune.objects.get(province_id=HA_NOI, name="Xã Bát Tràng")
    pa = make_producer(a, "Hợp tác xã Cà phê Lang Biang", "0100233488")
    pb = make_producer(b, "Công ty TNHH Rau củ Đơn Dương", "0314409058", producer_type="enterprise")
    pc = make_producer(c, "Hợp tác xã Gốm sứ Bát Tràng", "0101234565")
    council = Council.objects.create(
        name="Hội đồng tỉnh Lâm Đồng",
        level=Level.PROVINCE,
        province_id=LAM_DONG,
        term_start="2025-07-06",
    )
    consultancy = Consultancy.objects.create(name="Tư vấn Xanh", commune=a)
    users = {
        "administrator": make_user("administrator", Role.ADMINISTRATOR),
        "central_officer": make_user("central_officer", Role.CENTRAL_OFFICER),
        "provincial_officer": make_user(
            "provincial_officer", Role.PROVINCIAL_OFFICER, province_id=LAM_DONG
        ),
        "other_provincial_officer": make_user(
            "other_provincial_officer", Role.PROVINCIAL_OFFICER, province_id=HA_NOI
        ),
        "commune_officer": make_user("commune_officer", Role.COMMUNE_OFFICER, commune=a),
        "other_commune_officer": make_user(
            "other_commune_officer", Role.COMMUNE_OFFICER, commune=b
        ),
        "producer_member": make_user("producer_member", Role.PRODUCER_MEMBER, producer=pa),
        "other_producer_member": make_user(
            "other_producer_member", Role.PRODUCER_MEMBER, producer=pb
        ),
        "council_member": make_user("council_member", Role.COUNCIL_MEMBER, council=council),
        "council_secretary": make_user(
            "council_secretary", Role.COUNCIL_SECRETARY, council=council
        ),
        "consultant": make_user("consultant", Role.CONSULTANT, consultancy=consultancy),
        "no_role": make_user("no_role"),
    }
    return World(a, b, c, pa, pb, pc, users)


@pytest.fixture
def client_as(client):
    """client_as(user) → the test client logged in as that user."""

    def login(user: User):
        client.force_login(user)
        return client

    return login


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgresql` run only on PostgreSQL (.ci/run's second pass); on SQLite
    they are reported as skipped with the reason, never silently."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return
    skip = pytest.mark.skip(reason="PostgreSQL-only behaviour: .ci/run runs it on PostgreSQL")
    for item in items:
        if "postgresql" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with empty caches: the rolled-back records of the test before sent
    no signal, so nothing they were counted or built into may be served (dashboards'
    figures, rate-limit counters, criteria specs)."""
    from django.core.cache import cache

    from ocop.criteria import selectors

    cache.clear()
    selectors._specs.clear()
