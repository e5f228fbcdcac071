"""The job queue: procrastinate on the PostgreSQL the newsroom already runs.

`defer()` writes a job in the caller's database transaction, so a job is enqueued exactly when
the change that causes it commits: nothing lost, nothing sent that was rolled back. Workers run
`manage.py procrastinate worker` on any number of machines against the same database; they take
jobs with `SELECT … FOR UPDATE SKIP LOCKED` and wake on LISTEN/NOTIFY.

A worker killed in the middle of a job leaves it "doing"; another worker, seeing the dead one's
heartbeat stop, takes the job back (`retry_stalled_jobs`) and runs it again, so every job runs to
the end at least once. Jobs are written to be safe to run twice.
"""

import logging
from datetime import datetime

from procrastinate import manager
from procrastinate.contrib.django import app
from procrastinate.contrib.django.django_connector import DjangoConnector
from procrastinate.tasks import Task

logger = logging.getLogger(__name__)

# A worker that has not sent a heartbeat for this long is taken as dead (it sends one every 10 s).
STALLED_AFTER_SECONDS = 30


def defer(task: Task, *, schedule_at: datetime | None = None, **arguments) -> int:
    """Enqueue `task` on Django's own connection, inside the surrounding transaction.

    Inside a worker, procrastinate's app talks to the database on a connection of its own; a job
    deferred there would commit at once, before (or without) the job's own writes. Going through
    Django's connection keeps the enqueue in the caller's transaction everywhere.
    """
    deferrer = task.configure(schedule_at=schedule_at) if schedule_at else task.configure()
    deferrer.job_manager = manager.JobManager(DjangoConnector())
    return deferrer.defer(**arguments)


@app.periodic(cron="* * * * *", periodic_id="retry_stalled_jobs")
@app.task(name="newsroom.retry_stalled_jobs", queueing_lock="retry_stalled_jobs", pass_context=True)
async def retry_stalled_jobs(context, timestamp: int) -> None:
    """Give the jobs of dead workers back to the queue (procrastinate's own recipe), every minute."""
    await recover_stalled_jobs(context.app)


async def recover_stalled_jobs(job_app, seconds_since_heartbeat: float = STALLED_AFTER_SECONDS) -> int:
    stalled = await job_app.job_manager.get_stalled_jobs(seconds_since_heartbeat=seconds_since_heartbeat)
    for job in stalled:
        logger.warning("Job %s (%s) was left unfinished by a dead worker; running it again", job.id, job.task_name)
        await job_app.job_manager.retry_job(job)
    return len(stalled)
