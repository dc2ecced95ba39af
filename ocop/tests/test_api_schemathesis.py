"""Schemathesis against the API's own OpenAPI schema (/api/openapi.json), in process.

Every operation is called with generated inputs, valid and invalid, by an anonymous client and
by Lâm Đồng's provincial officer; no answer may be a server error, and every answer must be
one the schema declares: its status code, its content type, its body's schema.

The records the calls find are built once for the module (a programme of Lâm Đồng up to an
issued decision, a batch and a stamp run), inside a transaction rolled back at the end; each
test runs in a savepoint of its own. Part of the generated path parameters, query values and
body ids are replaced by the ids of those records, so that the answers are not only 404.
"""

import os

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import Client
from django.utils import timezone
from django.utils.crypto import get_random_string
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis import checks

from conftest import HA_NOI, LAM_DONG, World, world_build
from ocop.catalog import services as catalog_services
from ocop.certificates import services as certificate_services
from ocop.certificates.tests.conftest import closed_results, decision_data
from ocop.dossiers import rules
from ocop.dossiers import selectors as dossier_selectors
from ocop.dossiers import services as dossier_services
from ocop.dossiers.tests.conftest import make_product
from ocop.evaluation.tests.builders import accepted_dossier, agenda, fresh_produce, pre_assess
from ocop.ideas.models import IdeaStatus
from ocop.ideas.tests.conftest import make_idea
from ocop.plans.tests.conftest import make_plan
from ocop.traceability import services as trace_services
from ocop.traceability.tests.conftest import GTIN, batch_data, generated_run
from ocop.wsgi import application

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]
BOUNDED = settings(
    # Per operation and caller, besides the coverage phase's own cases; set
    # SCHEMATHESIS_EXAMPLES=200 (say) for a deeper search.
    max_examples=int(os.environ.get("SCHEMATHESIS_EXAMPLES", "10")),
    deadline=None,
    # One programme for the module, one savepoint per test: the fixtures are meant to be
    # shared by the examples.
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)

# Names of path parameters, query values and body fields → the ids of records that exist;
# filled by the `programme` fixture before any case is drawn.
KNOWN: dict[str, list] = {}
ALIASES = {
    "code": "province",
    "province": "province",
    "commune": "commune",
    "producer": "producer_id",
    "product": "product_id",
    "product_group": "product_group_id",
    "group": "product_group_id",
}


def _known(name: str) -> list:
    return KNOWN.get(ALIASES.get(name, name), [])


def _with_known(values):
    """Either the generated values, or the same with one known id in place of one of them."""
    if not isinstance(values, dict):
        return st.just(values)
    names = [name for name in values if _known(name)]
    if not names:
        return st.just(values)
    replaced = st.sampled_from(names).flatmap(
        lambda name: st.sampled_from(_known(name)).map(lambda v: {**values, name: v})
    )
    return st.one_of(st.just(values), replaced)


def flatmap_path_parameters(context, path_parameters):
    return _with_known(path_parameters)


def flatmap_query(context, query):
    return _with_known(query)


def flatmap_body(context, body):
    return _with_known(body)


def _schema(*, coverage: bool = True):
    """The schema as the application serves it, with the hooks above; without `coverage`,
    only the fuzzing phase's bounded examples (the coverage phase's cases are unbounded)."""
    loaded = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
    for hook in (flatmap_path_parameters, flatmap_query, flatmap_body):
        loaded.hook(hook)
    if not coverage:
        loaded.config.phases.update(phases=["examples", "fuzzing"])
    return loaded


def _needs_session(ctx) -> bool:
    return bool(ctx.operation.definition.raw.get("security"))


schema = _schema()
public = schema.exclude(func=_needs_session)
# Refused before their inputs are read: every case of the coverage phase would be the same.
session_only = _schema(coverage=False).include(func=_needs_session)


def _build() -> World:
    world = world_build()
    member = world.users["producer_member"]
    panel, results = closed_results(world)  # two closed results: 4★ and 3★
    group = fresh_produce()
    open_dossier = accepted_dossier(world, group, "Atiso Đà Lạt")
    pre_assess(world, open_dossier)
    open_assignment = agenda(world, panel, open_dossier)
    officer = world.users["provincial_officer"]
    draft = certificate_services.decision_draft(
        actor=officer, session_or_assignments=results[0].session, data=decision_data()
    )
    decision = certificate_services.decision_issue(actor=officer, decision=draft)
    certificate = decision.certificates.get(stars=4)
    certificate.product.gtin = GTIN
    certificate.product.save()
    catalog_services.listings_rebuild()
    batch = trace_services.batch_create(
        actor=member, product=certificate.product, data=batch_data()
    )
    run = generated_run(member, batch)
    draft_dossier = dossier_services.dossier_create(
        actor=member, product=make_product(world.producer_a, group, "Dâu tây Đơn Dương")
    )
    draft_idea = make_idea(world.producer_a, group)
    accepted = make_idea(world.producer_a, group, status=IdeaStatus.ACCEPTED, product_name="Trà")
    plan = make_plan(accepted)
    certificates = list(decision.certificates.all())
    spec = dossier_selectors.dossier_spec(dossier=draft_dossier)
    branch = dossier_selectors.dossier_branch(dossier=draft_dossier)
    KNOWN.update(
        {
            "province": [LAM_DONG, HA_NOI],
            "commune": [world.commune_a.pk, world.commune_c.pk],
            "producer_id": [world.producer_a.pk, world.producer_c.pk],
            "product_id": [c.product_id for c in certificates] + [draft_dossier.product_id],
            "product_group_id": [group.pk],
            "idea_id": [draft_idea.pk, accepted.pk],
            "plan_id": [plan.pk],
            "dossier_id": [draft_dossier.pk, open_assignment.dossier_id],
            "key": [
                *(rules.criterion_key(c.code) for c in list(spec.criteria())[:2]),
                *(r.key for r in rules.requirements_for(branch)[:1]),
            ],
            "assignment_id": [results[0].pk, open_assignment.pk],
            "session_id": [panel.session.pk],
            "decision_id": [decision.pk],
            "number": [c.number for c in certificates],
            "batch_id": [batch.pk],
            "run_id": [run.pk],
            "year": [timezone.localdate().year],
            "name": ["submit", "accept", "return", "approve"],
        }
    )
    return world


@pytest.fixture(scope="module")
def programme(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        try:
            world = _build()
            yield world
        finally:
            transaction.set_rollback(True)
            KNOWN.clear()


@pytest.fixture
def in_process(programme, db):
    """Requests reach the WSGI application in this thread and its open transaction, as with
    Django's test client: the connection must not be closed at the end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield programme
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _csrf() -> dict:
    """A CSRF cookie and the same token in the header, as the platform's pages send with
    their writes: the calls are then refused for who makes them, not for a missing token."""
    token = get_random_string(32)
    return {"cookies": {django_settings.CSRF_COOKIE_NAME: token}, "headers": {"X-CSRFToken": token}}


@pytest.fixture
def anonymous(in_process) -> dict:
    return _csrf()


@pytest.fixture
def officer(in_process) -> dict:
    """Signed in as Lâm Đồng's provincial officer: the session's cookie."""
    client = Client()
    client.force_login(in_process.users["provincial_officer"])
    sent = _csrf()
    sent["cookies"][django_settings.SESSION_COOKIE_NAME] = client.cookies[
        django_settings.SESSION_COOKIE_NAME
    ].value
    return sent


@public.parametrize()
@BOUNDED
def test_anonymous(case, anonymous):
    case.call_and_validate(checks=CHECKS, **anonymous)


@session_only.parametrize()
@BOUNDED
def test_anonymous_needs_a_session(case, anonymous):
    response = case.call_and_validate(checks=CHECKS, **anonymous)
    assert response.status_code == 401


@schema.parametrize()
@BOUNDED
def test_provincial_officer(case, officer):
    case.call_and_validate(checks=CHECKS, **officer)
