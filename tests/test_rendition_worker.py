"""A worker killed in the middle of a rendition job: its rows roll back, its files stay behind; the
job is taken back and run again, which leaves exactly one set of renditions and no other file.

Real commits and real `manage.py procrastinate worker` processes against the test database; the
first worker's storage kills it partway through writing a rendition (`tests/dying_storage.py`).
"""

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
from asgiref.sync import sync_to_async
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from procrastinate.contrib.django import app as job_app
from procrastinate.contrib.django.models import ProcrastinateJob

from articles import images
from articles.models import Image, Rendition, rendition_folder
from newsroom import jobs

from .factories import picture_bytes

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.transactional]

ROOT = Path(__file__).resolve().parents[1]
BOUND = 120  # seconds: a ceiling for a worker to start and finish on a busy machine, never a measurement
WHOLE_FILES = 5  # what the first worker writes before it dies writing the next


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def worker(media_root: Path, *options: str, **environment: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DATABASE_POOL": "0",
        "SECRET_KEY": "test-only-secret-key-not-for-production",
        "DEBUG": "0",
        "HTTPS": "0",
        "STATIC_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "MEDIA_ROOT": str(media_root),
        **environment,
    }
    command = [sys.executable, "manage.py", "procrastinate", "worker", "--queues", "images", *options]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


async def recover() -> int:
    """What the periodic `retry_stalled_jobs` does, now; closing the connection it opened."""
    try:
        return await jobs.recover_stalled_jobs(job_app)
    finally:
        await sync_to_async(connections.close_all)()


def files_in(folder: Path) -> set[Path]:
    return {path for path in folder.iterdir() if path.is_file()} if folder.exists() else set()


def test_a_worker_killed_midway_leaves_one_set_and_no_orphan_file_once_the_job_runs_again(media_root):
    upload = SimpleUploadedFile("photo.jpg", picture_bytes(1600, 1000), content_type="image/jpeg")
    image = Image(file=images.clean_upload(upload), alt_ar="قافلة مساعدات عند معبر حدودي")
    images.save_image(image)  # commits: the job is waiting for a worker
    folder = media_root / rendition_folder(image.pk)
    first = second = None
    try:
        first = worker(
            media_root, MEDIA_STORAGE="tests.dying_storage.DiesMidway", RENDITIONS_DIE_AFTER=str(WHOLE_FILES)
        )
        first.wait(BOUND)
        assert first.returncode == -9, (
            "the worker should have died writing a rendition: " + first.stderr.read().decode()
        )
        assert not Rendition.objects.filter(image=image).exists(), "a killed job's rows roll back"
        assert len(files_in(folder)) == WHOLE_FILES + 1, "its files (the last one cut off) stay behind"
        job = ProcrastinateJob.objects.get(task_name="articles.make_renditions")
        assert job.status == "doing"

        # The dead worker's heartbeat stops; once it is old enough, its job is taken back.
        with connection.cursor() as cursor:
            cursor.execute("UPDATE procrastinate_workers SET last_heartbeat = now() - interval '1 hour'")
        assert asyncio.run(recover()) == 1
        second = worker(media_root, "--one-shot")
        assert second.wait(BOUND) == 0, second.stderr.read().decode()
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()
    job.refresh_from_db()
    assert job.status == "succeeded"
    recorded = {media_root / name for name in Rendition.objects.filter(image=image).values_list("file", flat=True)}
    assert len(recorded) == len(images.wanted_renditions(image)), "one complete set"
    assert files_in(folder) == recorded, "no file that no rendition names"
