"""Staff accounts: login protection and who may hand out which rights."""

import pytest
from django.urls import reverse

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def login(client, username, password):
    return client.post(reverse("admin:login"), {"username": username, "password": password})


def test_repeated_wrong_passwords_lock_the_account_for_a_while(client, editor):
    for _attempt in range(5):
        assert login(client, "editor", "wrong-password").status_code == 200
    response = login(client, "editor", "correct-horse-battery")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "١٥ دقيقة" in response.content.decode() or "15" in response.content.decode()


def test_a_successful_login_clears_the_count(client, editor):
    for _attempt in range(3):
        login(client, "editor", "wrong-password")
    assert login(client, "editor", "correct-horse-battery").status_code == 302
    client.logout()
    for _attempt in range(3):
        login(client, "editor", "wrong-password")
    assert login(client, "editor", "correct-horse-battery").status_code == 302


def test_chief_editor_manages_roles_but_cannot_make_superusers(client, chief):
    colleague = UserFactory(role="Journalists")
    client.force_login(chief)
    page = client.get(reverse("admin:accounts_user_change", args=[colleague.pk]))
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert "groups" in form.fields
    assert "is_superuser" not in form.fields and "user_permissions" not in form.fields


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
