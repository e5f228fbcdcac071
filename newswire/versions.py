"""Versions of a story for subscribers: issued by the newsroom's moves, released in commit order.

`on_story_moved` runs inside the move's transaction (`articles.signals.story_moved`). A move that
issues a version (publish, update, kill: `Move.issues_version`) stores the story as a ninjs item
per language. A version is *released* when subscribers may have it: at once, or for a story
scheduled for later, by a job at its time. Releasing gives it the next `sequence` number, under a
lock held until the transaction commits, so numbers are handed out in commit order and the API's
cursor never passes over a version that commits later; and it queues its pushes. An embargoed
version is released at once (marked embargoed) and pushed again when the embargo lifts.
"""

from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from articles.models import Article, Status
from articles.visibility import language_q
from newsroom import jobs

from . import ninjs
from .models import ItemVersion, PubStatus

# Any constant: the key of the transaction-level advisory lock that orders sequence numbers.
SEQUENCE_LOCK = 0x6E657773  # "news"
LANGUAGES = [code for code, _name in settings.LANGUAGES]


def on_story_moved(sender, article: Article, move, transition, **kwargs) -> None:
    if move.issues_version:
        issue(article, move.name, note=transition.comment)
    # Any move may change when a published story falls due (publish, reschedule): make sure a
    # release is waiting for its time.
    _schedule_release(article)


def _languages(ids: list[int]) -> dict[int, list[str]]:
    """The languages each story has text in (the one definition in `articles.visibility`)."""
    found = {pk: [] for pk in ids}
    for code in LANGUAGES:
        for pk in Article.objects.filter(language_q(code), pk__in=ids).values_list("pk", flat=True):
            found[pk].append(code)
    return found


def issue(article: Article, event: str, note: str = "") -> list[ItemVersion]:
    """Store the story's current `wire_version` as items, and release them if they are due.

    Call inside the move's transaction, with the story's row locked. A kill notice goes in every
    language subscribers were sent, at once; other versions in every language the story has.
    """
    story = ninjs.story_queryset().get(pk=article.pk)
    if story.status == Status.KILLED:
        pubstatus = PubStatus.CANCELED
        languages = list(
            ItemVersion.objects.filter(article=story, sequence__isnull=False)
            .order_by("language")
            .values_list("language", flat=True)
            .distinct()
        )
    else:
        pubstatus = PubStatus.USABLE
        languages = _languages([story.pk])[story.pk]
    rows = ItemVersion.objects.bulk_create(
        ItemVersion(
            article=story,
            version=story.wire_version,
            language=language,
            pubstatus=pubstatus,
            event=event,
            item=ninjs.build(
                story,
                language,
                version=story.wire_version,
                pubstatus=pubstatus,
                issued_at=story.issued_at,
                note=note,
            ),
            issued_at=story.issued_at,
        )
        for language in languages
    )
    due = [row for row in rows if _is_due(row)]
    if due:
        release(due)
    if pubstatus == PubStatus.USABLE and story.embargo_until and story.embargo_until > timezone.now():
        from . import tasks

        jobs.defer(
            tasks.lift_embargo,
            schedule_at=story.embargo_until,
            article_id=story.pk,
            version=story.wire_version,
        )
    return rows


def _is_due(row: ItemVersion) -> bool:
    if row.pubstatus == PubStatus.CANCELED:
        return True
    return Article.objects.deliverable(row.language).filter(pk=row.article_id).exists()


def release(rows: list[ItemVersion]) -> None:
    """Queue the pushes of these versions, then number them for the API.

    Call inside the transaction that makes them deliverable, as its last writes: the sequence
    lock is held until that transaction ends.
    """
    from . import push

    for row in rows:
        push.queue(row, row.event)
    _number(rows)


def _number(rows: list[ItemVersion]) -> None:
    """Give these versions the next sequence numbers; the lock is held until the transaction ends."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEQUENCE_LOCK])
        cursor.execute("SELECT COALESCE(MAX(sequence), 0) FROM newswire_itemversion")
        last = cursor.fetchone()[0]
    for offset, row in enumerate(rows, start=1):
        row.sequence = last + offset
    ItemVersion.objects.bulk_update(rows, ["sequence"])


def _schedule_release(article: Article) -> None:
    """For a story published for later, a job at its time releases whatever is waiting then."""
    if article.status != Status.PUBLISHED or article.publish_at is None or article.publish_at <= timezone.now():
        return
    if ItemVersion.objects.filter(article=article, version=article.wire_version, sequence__isnull=True).exists():
        from . import tasks

        jobs.defer(tasks.release_story, schedule_at=article.publish_at, article_id=article.pk)


def release_story(article_id: int) -> int:
    """Release the story's latest versions if they are due now; returns how many were released.

    Safe to run any number of times and at any time: it releases only what is waiting and due.
    Older versions that were never released (superseded before their time) stay unreleased.
    """
    with transaction.atomic():
        article = Article.objects.select_for_update().filter(pk=article_id).first()
        if article is None:
            return 0
        waiting = list(ItemVersion.objects.filter(article=article, version=article.wire_version, sequence__isnull=True))
        due = [row for row in waiting if _is_due(row)]
        if due:
            release(due)
        elif waiting:
            # Not yet (its time moved later, or this ran early): wait for the time it has now.
            _schedule_release(article)
        return len(due)


def lift_embargo(article_id: int, version: int) -> int:
    """At an embargo's end, push the version again as "embargo-lifted" to those who may have it now."""
    from . import push

    with transaction.atomic():
        article = Article.objects.select_for_update().filter(pk=article_id).first()
        if article is None or article.wire_version != version:
            return 0  # superseded: the newer version carries its own embargo
        now = timezone.now()
        if article.embargo_until and article.embargo_until > now + timedelta(seconds=1):
            return 0  # the embargo was moved later; that edit is delivered as an update
        rows = ItemVersion.objects.filter(
            article=article, version=version, pubstatus=PubStatus.USABLE, sequence__isnull=False
        )
        lifted = [row for row in rows if Article.objects.public(row.language).filter(pk=article_id).exists()]
        for row in lifted:
            push.queue(row, "embargo-lifted")
        return len(lifted)


def backfill(batch_size: int = 500) -> int:
    """Issue version 1 of every published story that has no version yet (stories published before
    the newswire existed, or bulk-generated), in publication order, and release those that are due
    without pushing them to anyone. Returns how many stories got one."""
    made = 0
    while ids := list(
        Article.objects.filter(status=Status.PUBLISHED, wire_versions__isnull=True)
        .order_by("publish_at", "pk")
        .values_list("pk", flat=True)[:batch_size]
    ):
        with transaction.atomic():
            languages = _languages(ids)
            now = timezone.now()
            rows, later = [], []
            for story in ninjs.story_queryset().filter(pk__in=ids).order_by("publish_at", "pk"):
                story.wire_version = max(story.wire_version, 1)
                story.issued_at = story.issued_at or story.first_published_at or story.publish_at
                Article.objects.filter(pk=story.pk).update(wire_version=story.wire_version, issued_at=story.issued_at)
                for language in languages[story.pk]:
                    item = ninjs.build(
                        story,
                        language,
                        version=story.wire_version,
                        pubstatus=PubStatus.USABLE,
                        issued_at=story.issued_at,
                    )
                    rows.append(
                        ItemVersion(
                            article=story,
                            version=story.wire_version,
                            language=language,
                            event="publish",
                            item=item,
                            issued_at=story.issued_at,
                        )
                    )
                if story.publish_at > now:
                    later.append(story)
            ItemVersion.objects.bulk_create(rows)
            waiting = {story.pk for story in later}
            _number([row for row in rows if row.article_id not in waiting])
            for story in later:
                _schedule_release(story)
        made += len(ids)
    if made:
        with connection.cursor() as cursor:
            # Fresh planner statistics, or the API's first pages after a bulk load scan the table.
            cursor.execute("ANALYZE newswire_itemversion")
    return made
