"""The rendition jobs an upload queued, and running them in this process as a worker would."""

from procrastinate.contrib.django.models import ProcrastinateJob

from articles import tasks


def queued_rendition_jobs() -> list[dict]:
    """The arguments of every rendition job waiting in procrastinate's table, oldest first."""
    jobs = ProcrastinateJob.objects.filter(task_name=tasks.make_renditions.name, status="todo").order_by("id")
    return [job.args for job in jobs]


def run_rendition_jobs() -> int:
    """Run every waiting rendition job (the table keeps them: run each once per test); returns how many."""
    jobs = queued_rendition_jobs()
    for arguments in jobs:
        tasks.make_renditions(**arguments)
    return len(jobs)
