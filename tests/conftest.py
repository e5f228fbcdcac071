"""Shared fixtures: the named role users (journalist, editor, chief), the cache table, and an
empty job queue after tests that commit."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings

from .factories import UserFactory
from .second_factor import verify_session


@pytest.fixture(scope="session", autouse=True)
def fast_passwords():
    # Factories give every staff member a password; hashing them properly is slow and beside the
    # point of every test (login protection is tested with these hashes too).
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # The database cache's table is not made by migrations. Cache writes inside a test's
    # transaction roll back with it, so tests start with an empty cache.
    with django_db_blocker.unblock():
        call_command("createcachetable", verbosity=0)


@pytest.fixture(autouse=True)
def verified_force_login(monkeypatch):
    """`client.force_login(user)` yields a session verified by a second factor, as a real sign-in
    with the code would: the admin refuses editors and chief editors without one. Tests of
    two-factor sign-in itself go through the login pages instead (tests/second_factor.py)."""
    force_login = Client.force_login

    def force_verified_login(client, user, backend=None):
        force_login(client, user, backend)
        verify_session(client, user)

    monkeypatch.setattr(Client, "force_login", force_verified_login)


@pytest.fixture
def journalist(db):
    return UserFactory(username="journalist", role="Journalists", display_name_ar="سارة الحلبي")


@pytest.fixture
def other_journalist(db):
    return UserFactory(username="journalist2", role="Journalists", display_name_ar="رامي يوسف")


@pytest.fixture
def editor(db):
    return UserFactory(username="editor", role="Editors", display_name_ar="عمر الخطيب")


@pytest.fixture
def chief(db):
    return UserFactory(username="chief", role="Chief editors", display_name_ar="ليلى النجار")


@pytest.fixture
def role_users(journalist, editor, chief):
    return {"journalist": journalist, "editor": editor, "chief": chief}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files and renditions go to a temporary folder, never the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def empty_job_queue_after_commits(request, django_db_blocker):
    """Jobs that a transactional test commits (an upload's rendition job, a publish's pushes) stay in
    procrastinate's tables, which Django's flush leaves alone: empty them after such a test, so the
    next one finds only its own jobs."""
    yield
    marker = request.node.get_closest_marker("django_db")
    committed = marker is not None and marker.kwargs.get("transaction")
    if committed or {"transactional_db", "live_server"} & set(request.fixturenames):
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE procrastinate_jobs, procrastinate_events, procrastinate_periodic_defers, "
                "procrastinate_workers CASCADE"
            )
