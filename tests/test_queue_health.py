"""The job queue in /healthz and /metrics: late work is reported, an idle queue is healthy."""

from django.db import connection

from newswire import health


def defer_job(minutes_ago: int, queue: str = "pushes") -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO procrastinate_jobs (queue_name, task_name, status, scheduled_at) "
            "VALUES (%s, 'newswire.tasks.push', 'todo', now() - make_interval(mins => %s))",
            [queue, minutes_ago],
        )


def test_an_idle_queue_is_healthy(client, db):
    health.check_queue()
    assert client.get("/healthz").json()["checks"]["queue"]["ok"] is True


def test_work_waiting_past_its_time_makes_the_queue_unhealthy_but_readers_are_served(client, db):
    defer_job(minutes_ago=1)
    assert client.get("/healthz").json()["checks"]["queue"]["ok"] is True, "a job due a minute ago is not late"
    defer_job(minutes_ago=10)
    response = client.get("/healthz")
    queue = response.json()["checks"]["queue"]
    assert queue["ok"] is False and "1 jobs waiting" in queue["error"]
    assert response.status_code == 200, "readers are still served while the queue lags"


def test_queue_depth_counts_waiting_jobs_by_queue(db):
    defer_job(minutes_ago=0)
    defer_job(minutes_ago=0)
    defer_job(minutes_ago=0, queue="reindex")
    assert health.queue_depth() == {"pushes": 2, "reindex": 1}
