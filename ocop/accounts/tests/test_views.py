import re

import pytest
from django.core import mail
from django.db import IntegrityError
from django.urls import reverse

from conftest import make_user
from ocop.accounts.models import Membership, Role, User
from ocop.accounts.services import membership_grant, membership_revoke
from ocop.audit.selectors import audit_history

PASSWORD = "Mật-khẩu-dài-2026"


@pytest.fixture
def person(world):
    user = make_user("person", Role.COMMUNE_OFFICER, password=PASSWORD, commune=world.commune_a)
    user.phone = "0912345678"
    user.save()
    return user


@pytest.mark.parametrize(
    "login", ["person@test.ocop.vn", "PERSON@test.ocop.vn", "0912 345 678", "+84912345678"]
)
def test_login_with_email_or_phone(client, person, login):
    response = client.post(reverse("accounts:login"), {"username": login, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("accounts:account")).context["user"] == person


@pytest.mark.parametrize("login", ["person@test.ocop.vn", "0999999999", "not a phone"])
def test_wrong_login_is_refused_with_one_message(client, person, login):
    response = client.post(reverse("accounts:login"), {"username": login, "password": "wrong"})
    assert response.status_code == 200
    assert (
        response.context["form"]
        .errors["__all__"][0]
        .startswith(str(response.context["form"].error_messages["invalid_login"])[:20])
    )


def test_inactive_user_cannot_log_in(client, person):
    person.is_active = False
    person.save()
    response = client.post(
        reverse("accounts:login"), {"username": person.email, "password": PASSWORD}
    )
    assert response.status_code == 200


def test_logout_is_a_post(client, person):
    client.force_login(person)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("accounts:account")).status_code == 302


def test_account_page_lists_memberships(client, person, world):
    client.force_login(person)
    response = client.get(reverse("accounts:account"))
    assert [m.role for m in response.context["memberships"]] == [Role.COMMUNE_OFFICER]
    assert "Xã Lạc Dương" in response.content.decode()


def test_password_change(client, person):
    client.force_login(person)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Một-mật-khẩu-mới-9",
            "new_password2": "Một-mật-khẩu-mới-9",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password("Một-mật-khẩu-mới-9")


def test_password_reset_by_email(client, person):
    response = client.post(reverse("accounts:password_reset"), {"email": "person@test.ocop.vn"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(
        r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body
    ).group(1)
    form_url = client.get(link).url  # Django swaps the token for a session and redirects
    response = client.post(
        form_url, {"new_password1": "Một-mật-khẩu-mới-9", "new_password2": "Một-mật-khẩu-mới-9"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password("Một-mật-khẩu-mới-9")


def test_password_reset_does_not_reveal_accounts(client, person):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@test.ocop.vn"})
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_membership_scope_must_fit_the_role(world):
    user = make_user("x")
    with pytest.raises(IntegrityError):
        Membership.objects.create(user=user, role=Role.COMMUNE_OFFICER, province_id=68)


def test_role_changes_are_audited(world):
    admin, user = world.users["administrator"], make_user("y")
    membership = membership_grant(
        actor=admin, user=user, role=Role.COMMUNE_OFFICER, commune=world.commune_c
    )
    membership_revoke(actor=admin, membership=membership)
    actions = [e.action for e in audit_history(target=user)]
    assert actions == ["role.revoke", "role.grant"]
    assert not user.memberships.exists()


def test_user_needs_email_or_phone(db):
    with pytest.raises(ValueError):
        User.objects.create_user(email=None, phone=None, password="x", full_name="Nobody")


def test_navigation_shows_only_what_the_role_may_use(client, world):
    client.force_login(world.users["council_member"])
    keys = [key for _l, _u, key in client.get(reverse("home")).context["nav_items"]]
    assert keys == [
        "home",
        "dossiers",
        "evaluation",
        "catalog",
        "criteria",
        "library",
    ]  # their agenda
    client.force_login(world.users["commune_officer"])
    keys = [key for _l, _u, key in client.get(reverse("home")).context["nav_items"]]
    assert keys == [
        "home",
        "producers",
        "ideas",
        "plans",
        "products",
        "dossiers",
        "certificates",
        "traceability",
        "reports",
        "consultants",
        "catalog",
        "inbox",
        "criteria",
        "library",
    ]
