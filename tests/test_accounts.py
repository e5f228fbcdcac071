"""Sign-in protection (django-axes): a lock holds one account from one client address; the address
comes from X-Forwarded-For only through a trusted proxy; chief editors see and lift locks."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from accounts.addresses import client_address
from accounts.models import SignInLock
from audit.models import Entry

from .second_factor import sign_in

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


def attempt(client, username, password, address="203.0.113.7", forwarded=None):
    extra = {"REMOTE_ADDR": address}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("admin:login"), {"username": username, "password": password}, **extra)


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == reverse("admin:index")


def test_five_wrong_passwords_lock_that_account_from_that_address(client, journalist):
    for _attempt in range(4):
        assert attempt(client, "journalist", "wrong-password").status_code == 200
    locked = attempt(client, "journalist", "wrong-password")
    assert locked.status_code == 429
    response = attempt(client, "journalist", PASSWORD)
    assert response.status_code == 429 and "_auth_user_id" not in client.session
    page = response.content.decode()
    assert "١٥ دقيقة" in page or "15 دقيقة" in page, "the page says how long the lock lasts, in Arabic"
    assert 'value="journalist"' in page, "the typed username is kept"


def test_the_same_account_still_signs_in_from_another_address(client, journalist):
    for _attempt in range(5):
        attempt(client, "journalist", "wrong-password", address="198.51.100.66")
    assert signed_in(attempt(client, "journalist", PASSWORD, address="203.0.113.7"))


def test_other_accounts_still_sign_in_from_the_locked_address(client, journalist, other_journalist):
    for _attempt in range(5):
        attempt(client, "journalist", "wrong-password")
    assert signed_in(attempt(client, "journalist2", PASSWORD))


def test_a_successful_sign_in_clears_the_count(client, journalist):
    for _attempt in range(3):
        attempt(client, "journalist", "wrong-password")
    assert signed_in(attempt(client, "journalist", PASSWORD))
    client.logout()
    for _attempt in range(3):
        attempt(client, "journalist", "wrong-password")
    assert signed_in(attempt(client, "journalist", PASSWORD))


def test_without_a_trusted_proxy_a_forged_forwarded_address_is_ignored(client, journalist):
    # An attacker rotating X-Forwarded-For does not escape the lock on their real address.
    for n in range(5):
        attempt(client, "journalist", "wrong-password", forwarded=f"10.0.0.{n}")
    assert attempt(client, "journalist", PASSWORD, forwarded="10.0.0.99").status_code == 429


def test_behind_a_trusted_proxy_each_client_is_locked_apart(client, journalist, settings):
    settings.TRUSTED_PROXIES = ["192.0.2.10"]
    # Every request comes from the proxy; the attacker's address is what the proxy appended.
    for _attempt in range(5):
        attempt(client, "journalist", "wrong-password", address="192.0.2.10", forwarded="198.51.100.66")
    assert attempt(client, "journalist", PASSWORD, address="192.0.2.10", forwarded="198.51.100.66").status_code == 429
    # The real journalist, behind the same proxy, is not locked out.
    assert signed_in(attempt(client, "journalist", PASSWORD, address="192.0.2.10", forwarded="203.0.113.7"))


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        ([], "203.0.113.7", "1.2.3.4", "203.0.113.7"),
        (["192.0.2.10"], "192.0.2.10", "1.2.3.4, 198.51.100.66", "198.51.100.66"),
        (["192.0.2.0/24"], "192.0.2.10", "198.51.100.66, 192.0.2.11", "198.51.100.66"),
        (["192.0.2.10"], "203.0.113.7", "198.51.100.66", "203.0.113.7"),
        (["192.0.2.10"], "192.0.2.10", "not-an-address", "192.0.2.10"),
        (["192.0.2.10"], "192.0.2.10", "", "192.0.2.10"),
    ],
)
def test_client_address_believes_only_trusted_proxies(settings, proxies, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_failed_sign_ins_and_the_lock_are_in_the_audit_trail(client, journalist):
    for _attempt in range(5):
        attempt(client, "journalist", "wrong-password")
    failed = Entry.objects.filter(action="login_failed", object_id=str(journalist.pk))
    assert failed.count() == 5 and {e.address for e in failed} == {"203.0.113.7"}
    assert Entry.objects.filter(action="locked_out", details__username="journalist").exists()


def test_chief_editors_see_current_locks_in_arabic_and_lift_them(client, journalist, chief):
    for _attempt in range(5):
        attempt(client, "journalist", "wrong-password")
    client.force_login(chief)
    page = client.get(reverse("admin:accounts_signinlock_changelist")).content.decode()
    assert "journalist" in page and "203.0.113.7" in page
    assert "مقفل حتى" in page
    lock = SignInLock.objects.get(username="journalist")
    response = client.post(
        reverse("admin:accounts_signinlock_changelist"), {"action": "lift", "_selected_action": [lock.pk]}
    )
    assert response.status_code == 302
    assert not SignInLock.objects.exists()
    assert Entry.objects.filter(action="lock_lifted", actor_id=chief.pk, details__username="journalist").exists()
    client.logout()
    assert signed_in(attempt(client, "journalist", PASSWORD))


def test_editors_cannot_see_or_lift_locks(client, editor, journalist):
    for _attempt in range(5):
        attempt(client, "journalist", "wrong-password")
    client.force_login(editor)
    assert client.get(reverse("admin:accounts_signinlock_changelist")).status_code == 403
    lock = SignInLock.objects.get()
    client.post(reverse("admin:accounts_signinlock_changelist"), {"action": "lift", "_selected_action": [lock.pk]})
    assert SignInLock.objects.filter(pk=lock.pk).exists()


def test_a_member_of_staff_without_a_role_is_told_the_truth(client):
    # A person whose account cannot sign in is told so, not that the password is wrong.
    from .factories import UserFactory

    UserFactory(username="no-role", is_staff=False)
    page = sign_in(client, "no-role", PASSWORD).content.decode()
    assert "_auth_user_id" not in client.session
    assert "ليس لهذا الحساب دور" in page


def test_every_staff_member_can_switch_their_admin_to_english(client, journalist):
    client.force_login(journalist)
    index = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin-preferences") in index
    response = client.post(reverse("admin-preferences"), {"admin_language": "en"})
    assert response.status_code == 302
    journalist.refresh_from_db()
    assert journalist.admin_language == "en"
    assert '<html lang="en" dir="ltr">' in client.get(reverse("admin:index")).content.decode()


def test_preferences_refuse_an_unknown_language(client, journalist):
    client.force_login(journalist)
    response = client.post(reverse("admin-preferences"), {"admin_language": "xx"})
    assert response.status_code == 200 and response.context["form"].errors
    journalist.refresh_from_db()
    assert journalist.admin_language == "ar"
