"""The job queue in /healthz and /metrics (settings.HEALTH_CHECKS and QUEUE_DEPTH).

The queue is procrastinate's tables in the site's own database. It is unhealthy when work waits
past its time — jobs due more than `LATE_AFTER` ago still not taken — which is what a stopped or
swamped worker looks like: pushes to subscribers and scheduled releases would not go out. An idle
queue with no worker running is healthy: nothing is waiting.
"""

from datetime import timedelta

from django.db import DatabaseError, connection

LATE_AFTER = timedelta(minutes=5)
HEARTBEAT_WITHIN = timedelta(minutes=1)

_STATE_SQL = """
SELECT
  (SELECT count(*) FROM procrastinate_jobs j
    WHERE j.status = 'todo'
      AND coalesce(j.scheduled_at,
                   (SELECT min(e.at) FROM procrastinate_events e WHERE e.job_id = j.id AND e.type = 'deferred'))
          < now() - %s),
  (SELECT count(*) FROM procrastinate_workers WHERE last_heartbeat > now() - %s)
"""


class QueueLate(Exception):
    pass


def check_queue() -> None:
    """Return when no job waits past its time; raise `QueueLate` saying how many do."""
    from newsroom.health import check_database

    check_database()  # the queue is in the database: a known outage answers at once
    with connection.cursor() as cursor:
        cursor.execute(_STATE_SQL, [LATE_AFTER, HEARTBEAT_WITHIN])
        late, workers = cursor.fetchone()
    if late:
        raise QueueLate(
            f"{late} jobs waiting more than {int(LATE_AFTER.total_seconds() // 60)} minutes; "
            f"{workers} workers seen in the last minute"
        )


def queue_depth() -> dict[str, int]:
    """Jobs waiting, by queue; nothing while the database is unreachable (a scrape never fails)."""
    from newsroom.outage import breaker

    if breaker.is_open:
        return {}
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT queue_name, count(*) FROM procrastinate_jobs WHERE status = 'todo' GROUP BY queue_name"
            )
            return dict(cursor.fetchall())
    except DatabaseError as error:
        breaker.note(error)
        return {}
