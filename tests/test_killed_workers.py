"""A worker killed with SIGKILL in the middle of a save, a move or an import leaves nothing
half-written: no story changed without its revision, no move without its Transition, no half
of an imported file.

Real processes, real kills: a gunicorn worker serving the admin (a save is a POST to the story's
change form, a move a POST to its move address) and `manage.py import_wire`. A trigger installed
for the test makes the worker's transaction wait on an advisory lock the test holds, at the moment
it has written the story *and* its revision (and, for a move, its Transition) but not committed;
the test checks in `pg_locks` that those writes are there, kills the process, lets the database
notice, and reads what is left.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils.crypto import get_random_string

from articles import revisions
from articles.models import Article, Attribution, Byline, Revision, Source, SourceProposal, Status, Tag, Transition

from .admin_forms import change_form_data
from .factories import ArticleFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "articles" / "demo" / "wire-telescope-russia-withdrawal.txt"
PATIENCE = 90  # seconds; eight engineers share two cores, and a cold worker imports Django first


def child_environment(tmp_path: Path) -> dict[str, str]:
    db = connection.settings_dict
    password = f":{urllib.parse.quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "DATABASE_POOL": "0",
        "SECRET_KEY": settings.SECRET_KEY,
        "DEBUG": "0",
        "HTTPS": "0",
        "NEWSROOM_ENV_FILE": "",
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def poll(condition, what: str):
    """Wait for `condition()` to be truthy (it asks PostgreSQL or the OS; no fixed sleep)."""
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.05)
    raise AssertionError(f"gave up waiting: {what}")


def children_of(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.fixture(scope="module")
def gunicorn(django_db_setup, tmp_path_factory):
    """One gunicorn master with one worker, on the test database; it replaces a killed worker."""
    port = free_port()
    log = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
    with log.open("w") as output:
        master = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "newsroom.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--timeout",
                "300",
                "--no-control-socket",
            ],
            cwd=ROOT,
            env=child_environment(tmp_path_factory.mktemp("gunicorn-media")),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        poll(lambda: master.poll() is not None or children_of(master.pid), "gunicorn to start its worker")
        assert master.poll() is None, log.read_text()
        yield master, f"http://127.0.0.1:{port}"
    finally:
        master.terminate()
        master.wait(30)


@pytest.fixture
def pause_once_written():
    """Install the pause; returns a function that arms it for a set of tables."""
    installed = []

    def arm(*tables: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                """
                CREATE OR REPLACE FUNCTION newsroom_test_pause() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    seen text := coalesce(current_setting('newsroom_test.seen', true), '');
                BEGIN
                    IF position(TG_TABLE_NAME || ';' IN seen) = 0 THEN
                        seen := seen || TG_TABLE_NAME || ';';
                        PERFORM set_config('newsroom_test.seen', seen, true);
                    END IF;
                    IF (SELECT bool_and(position(t || ';' IN seen) > 0) FROM unnest(TG_ARGV) AS t) THEN
                        PERFORM pg_advisory_xact_lock(hashtext('newsroom_test_pause'));
                    END IF;
                    RETURN NULL;
                END $$
                """
            )
            arguments = ", ".join(f"'{table}'" for table in tables)
            for table in tables:
                cursor.execute(
                    f"CREATE TRIGGER newsroom_test_pause AFTER INSERT OR UPDATE ON {table} "
                    f"FOR EACH ROW EXECUTE FUNCTION newsroom_test_pause({arguments})"
                )
                installed.append(table)
            cursor.execute("SELECT pg_advisory_lock(hashtext('newsroom_test_pause'))")

    yield arm
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock_all()")
        for table in installed:
            cursor.execute(f"DROP TRIGGER IF EXISTS newsroom_test_pause ON {table}")
        cursor.execute("DROP FUNCTION IF EXISTS newsroom_test_pause()")


def paused_backend() -> int | None:
    """The PostgreSQL backend waiting at the pause, if any."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND wait_event = 'advisory' AND pid <> pg_backend_pid()"
        )
        row = cursor.fetchone()
    return row[0] if row else None


def tables_written_by(backend: int) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            "WHERE l.pid = %s AND l.mode = 'RowExclusiveLock' AND c.relkind = 'r'",
            [backend],
        )
        return {row[0] for row in cursor.fetchall()}


def kill_at_the_pause(process_pid: int, tables: set[str]) -> None:
    """SIGKILL `process_pid` while its transaction waits at the pause, then let PostgreSQL end it."""
    backend = poll(paused_backend, f"the worker to write {sorted(tables)} and reach the pause")
    assert tables <= tables_written_by(backend), "the worker was not mid-way when it would be killed"
    os.kill(process_pid, signal.SIGKILL)
    poll(lambda: not alive(process_pid), "the killed process to die")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(hashtext('newsroom_test_pause'))")
    # The backend finishes its statement, finds its client gone, and rolls back.
    poll(lambda: session_ended(backend), "PostgreSQL to end the killed worker's session")


def session_ended(backend: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [backend])
        return cursor.fetchone() is None


def post_in_background(url: str, data: dict, session: str) -> threading.Thread:
    """POST as a logged-in browser would, from a thread (the answer never comes: the worker dies)."""
    csrf = get_random_string(32)
    body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": csrf}, doseq=True).encode()
    request = urllib.request.Request(url, data=body, method="POST")  # noqa: S310 (the test's own server)
    request.add_header("Cookie", f"sessionid={session}; csrftoken={csrf}")
    request.add_header("Content-Type", "application/x-www-form-urlencoded")

    def send():
        with contextlib.suppress(OSError):
            urllib.request.urlopen(request, timeout=PATIENCE).read()  # noqa: S310 (the test's own server)

    thread = threading.Thread(target=send, daemon=True)
    thread.start()
    return thread


def logged_in(user) -> tuple[Client, str]:
    client = Client()
    client.force_login(user)
    return client, client.cookies[settings.SESSION_COOKIE_NAME].value


def the_worker(master) -> int:
    return poll(lambda: children_of(master.pid), "gunicorn to have a worker")[0]


def test_a_worker_killed_mid_save_leaves_the_story_and_its_revisions_as_they_were(gunicorn, pause_once_written, editor):
    master, base = gunicorn
    story = ArticleFactory(headline_ar="العنوان قبل التعديل", body_ar="<p>النص قبل التعديل</p>")
    revisions.save_revision(story, editor)
    before = Article.objects.values().get(pk=story.pk)
    revisions_before = Revision.objects.filter(article=story).count()

    client, session = logged_in(editor)
    change_url = f"/admin/articles/article/{story.pk}/change/"
    data = change_form_data(client.get(change_url))
    data.update(headline_ar="عنوان لن يحفظ", body_ar="<p>نص لن يحفظ</p>")
    pause_once_written("articles_article", "articles_revision")
    worker = the_worker(master)
    post = post_in_background(base + change_url, data, session)

    kill_at_the_pause(worker, {"articles_article", "articles_revision"})
    post.join(PATIENCE)
    assert Article.objects.values().get(pk=story.pk) == before
    assert Revision.objects.filter(article=story).count() == revisions_before


def test_a_worker_killed_mid_move_leaves_no_move_without_its_transition(gunicorn, pause_once_written, editor):
    master, base = gunicorn
    story = ArticleFactory(status=Status.SUBMITTED, headline_ar="خبر ينتظر المراجعة")
    revisions.save_revision(story, editor)
    revisions_before = Revision.objects.filter(article=story).count()

    _client, session = logged_in(editor)
    pause_once_written("articles_article", "articles_transition", "articles_revision")
    worker = the_worker(master)
    post = post_in_background(f"{base}/admin/articles/article/{story.pk}/move/", {"workflow_move": "publish"}, session)

    kill_at_the_pause(worker, {"articles_article", "articles_transition", "articles_revision"})
    post.join(PATIENCE)
    story.refresh_from_db()
    assert story.status == Status.SUBMITTED and story.first_published_at is None
    assert not Transition.objects.filter(article=story).exists()
    assert Revision.objects.filter(article=story).count() == revisions_before
    assert not Article.objects.public().filter(pk=story.pk).exists()


def test_an_import_killed_mid_file_leaves_no_half_imported_story(pause_once_written, tmp_path):
    journalist = UserFactory(username="importer", role="Journalists")
    SectionFactory(slug="syria", name_ar="سوريا")
    counted = [Article, Attribution, Byline, Revision, Source, SourceProposal, Tag]
    before = {model.__name__: model.objects.count() for model in counted}

    pause_once_written("articles_article", "articles_revision")
    importer = subprocess.Popen(
        [sys.executable, "manage.py", "import_wire", str(SAMPLE), "--user", journalist.username, "--section", "syria"],
        cwd=ROOT,
        env=child_environment(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # A bulk import proposes the sources the registry lacks, on the draft, to be confirmed.
        kill_at_the_pause(importer.pid, {"articles_article", "articles_revision", "articles_sourceproposal"})
        assert importer.wait(PATIENCE) == -signal.SIGKILL
    finally:
        if importer.poll() is None:
            importer.kill()
    assert {model.__name__: model.objects.count() for model in counted} == before
