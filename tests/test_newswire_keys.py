"""API keys: shown once, stored as a digest, revocable, their last use recorded."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from newswire import keys
from newswire.models import ApiKey

from .factories import SubscriberFactory

pytestmark = pytest.mark.django_db


def status(client, key) -> int:
    return client.get("/api/v1/items", HTTP_AUTHORIZATION=f"Bearer {key}").status_code


def test_a_key_is_stored_only_as_its_digest(client):
    row, key = keys.make_key(SubscriberFactory(), "موقع الصحيفة")
    stored = ApiKey.objects.filter(pk=row.pk).values()[0]
    assert key not in str(stored), "the key itself must not be stored"
    assert stored["digest"] == keys.digest(key) and key.startswith(stored["prefix"])
    assert status(client, key) == 200
    assert status(client, key[:-1] + ("A" if key[-1] != "A" else "B")) == 401


def test_a_revoked_key_stops_working_at_once_and_others_keep_working(client):
    outlet = SubscriberFactory()
    old, old_key = keys.make_key(outlet, "2025")
    _new, new_key = keys.make_key(outlet, "2026")
    keys.revoke(old)
    assert status(client, old_key) == 401
    assert status(client, new_key) == 200, "a subscriber rotates keys without downtime"


def test_an_inactive_subscribers_keys_are_refused(client):
    outlet = SubscriberFactory()
    _row, key = keys.make_key(outlet, "test")
    outlet.is_active = False
    outlet.save()
    assert status(client, key) == 401


def test_the_last_use_of_a_key_is_recorded(client):
    row, key = keys.make_key(SubscriberFactory(), "test")
    assert row.last_used_at is None
    status(client, key)
    row.refresh_from_db()
    assert row.last_used_at is not None


def test_create_api_key_prints_a_working_key_alone_on_its_last_line(client):
    SubscriberFactory(name="صحيفة تجريبية")
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_key", "صحيفة تجريبية", stdout=out, stderr=err)
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 1 and lines[-1].startswith(keys.PREFIX)
    assert status(client, lines[-1]) == 200
    assert "shown this once" in err.getvalue()


def test_create_api_key_names_the_subscribers_when_the_name_is_wrong():
    SubscriberFactory(name="صحيفة تجريبية")
    with pytest.raises(CommandError, match="صحيفة تجريبية"):
        call_command("create_api_key", "صحيفة أخرى", stdout=io.StringIO())


def test_the_admin_shows_a_new_key_once_and_never_again(client, chief):
    outlet = SubscriberFactory()
    client.force_login(chief)
    response = client.post(reverse("admin:newswire_apikey_add"), {"subscriber": outlet.pk, "name": "الموقع"})
    assert response.status_code == 200
    row = ApiKey.objects.get(subscriber=outlet)
    key = response.context["key"]
    assert keys.digest(key) == row.digest and key in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    for url in (
        reverse("admin:newswire_apikey_change", args=[row.pk]),
        reverse("admin:newswire_subscriber_change", args=[outlet.pk]),
        reverse("admin:newswire_apikey_changelist"),
    ):
        page = client.get(url)
        assert page.status_code == 200 and key not in page.content.decode(), url


def test_revoking_from_the_admin(client, chief):
    row, key = keys.make_key(SubscriberFactory(), "test")
    client.force_login(chief)
    client.post(reverse("admin:newswire_apikey_changelist"), {"action": "revoke", "_selected_action": [row.pk]})
    assert status(client, key) == 401


def test_only_chief_editors_manage_subscribers_and_keys(client, editor, journalist, chief):
    for person, allowed in ((journalist, False), (editor, False), (chief, True)):
        client.force_login(person)
        for name in ("subscriber", "product", "apikey", "delivery"):
            code = client.get(reverse(f"admin:newswire_{name}_changelist")).status_code
            assert (code == 200) == allowed, f"{person.username} on {name}: {code}"


def test_making_and_revoking_a_key_is_in_the_audit_trail(chief):
    from audit.models import Entry

    outlet = SubscriberFactory()
    row, _key = keys.make_key(outlet, "موقع الصحيفة", by=chief)
    keys.revoke(row, by=chief)
    keys.revoke(row, by=chief)
    made, revoked = Entry.objects.get(action="api_key_made"), Entry.objects.get(action="api_key_revoked")
    assert made.actor_id == revoked.actor_id == chief.pk
    assert made.details["key"] == row.prefix and made.object_id == str(outlet.pk)
    # The key itself is shown once and never stored, the trail included.
    assert _key not in str(made.details)
