"""Two editors saving the same story at the same moment: exactly one wins, the other is told.

Real concurrent transactions on two database connections (one per thread), not a simulation.
"""

import threading

import pytest
from django.db import connection, connections, transaction

from articles import editing, revisions
from articles.models import Article

from .factories import ArticleFactory


def wait_until_blocked_on_a_lock(timeout: float = 10.0) -> bool:
    """True once another session of this database waits for a row lock."""
    import time

    deadline = time.monotonic() + timeout
    with connections["default"].cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.02)  # polling PostgreSQL, not waiting for time to pass
    return False


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_one_wins_one_is_told(editor, chief):
    article = ArticleFactory(headline_ar="العنوان الأصلي", created_by=editor)
    revisions.save_revision(article, None)
    loaded = article.version
    first_saved = threading.Event()
    release_first = threading.Event()
    outcome = {}

    def save(name: str, by, headline: str, hold: bool):
        try:
            with transaction.atomic():
                edit = editing.Edit(fields={"headline_ar": headline})
                editing.save_edit(Article(pk=article.pk), by, edit, loaded_version=loaded, note=name)
                if hold:
                    # The first save has written under the row lock and keeps its transaction open.
                    first_saved.set()
                    release_first.wait(10)
            outcome[name] = "saved"
        except revisions.EditConflict as conflict:
            outcome[name] = f"conflict:{conflict.current.version}"
        finally:
            connection.close()

    first = threading.Thread(target=save, args=("first", editor, "عنوان المحرر الأول", True))
    second = threading.Thread(target=save, args=("second", chief, "عنوان المحرر الثاني", False))
    first.start()
    assert first_saved.wait(10)
    second.start()
    # Both transactions are open now: the second waits for the first's row lock.
    assert wait_until_blocked_on_a_lock(), "the second save never waited for the first"
    release_first.set()
    first.join(15)
    second.join(15)

    assert outcome == {"first": "saved", "second": f"conflict:{loaded + 1}"}
    article.refresh_from_db()
    assert article.headline_ar == "عنوان المحرر الأول"
    assert article.version == loaded + 1
