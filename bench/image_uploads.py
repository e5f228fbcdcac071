"""What one upload through the image admin costs: time and peak memory, photos and GIF bombs;
and the CPU an upload takes from the web worker beside what its rendition job takes from the
job worker.

Each upload runs in a fresh Python process standing in for a web worker: Django's test client
posts the add form as a journalist, inside a transaction that is rolled back, with media in a
temporary folder. The table gives the worker's resident memory before the upload and at its
peak (VmHWM: ru_maxrss would carry the bench's own memory across exec), and the peak of any child
process the upload ran in (the decoding sandbox; forked, so it counts the worker pages it shares).
The last table posts ordinary and large photos several times and runs the rendition job each
queued in the same process, as a job worker would; CPU is the process's own and its children's
(the sandbox), from getrusage.
`make bench ARGS=image_uploads` runs only this; `BENCH_CODE=/another/checkout` measures that code
(before/after: a checkout from before renditions moved to the job queue shows no job, its
renditions being made in the request).
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE = Path(os.environ.get("BENCH_CODE", ROOT)).resolve()
# Photos posted in the last table: how many of each are measured (after one to warm the process).
SPLIT_CASES = [("1600×1000 JPEG photo", (1600, 1000), 8), ("24-megapixel JPEG photo (6000×4000)", (6000, 4000), 3)]
CASES = [
    ("24-megapixel JPEG photo (6000×4000)", "photo"),
    ("animated GIF, 480×270, 48 frames", "animation"),
    ("GIF bomb: 7000×7000, 10 frames", "bomb7000"),
    ("GIF bomb: 2000×2000, 100 frames", "bomb2000"),
]


def make_file(case: str) -> tuple[str, bytes]:
    from bench.images import photo_bytes
    from tests.factories import animated_gif, gif_bomb

    return {
        "photo": lambda: ("photo.jpg", photo_bytes((6000, 4000))),
        "animation": lambda: ("animation.gif", animated_gif()),
        "bomb7000": lambda: ("bomb.gif", gif_bomb(7000, 10)),
        "bomb2000": lambda: ("bomb.gif", gif_bomb(2000, 100)),
    }[case]()


def megabytes(kilobytes: int) -> str:
    return f"{kilobytes / 1024:,.0f} MB"


def main() -> int:
    print("each upload in a fresh worker process; memory is resident (RSS) high-water marks")
    print()
    columns = f"{'size':>9}{'outcome':>22}{'seconds':>9}{'worker before':>15}{'worker peak':>13}{'sandbox peak':>14}"
    print(f"{'upload':<40}{columns}")
    with tempfile.TemporaryDirectory() as folder:
        for label, case in CASES:
            name, data = make_file(case)
            path = Path(folder) / name
            path.write_bytes(data)
            run = subprocess.run(
                [sys.executable, __file__, str(path)], capture_output=True, text=True, timeout=600, env=os.environ
            )
            if run.returncode:
                outcome = f"worker died ({run.returncode})"
                print(f"{label:<40}{len(data) / 1024:>7,.0f}KB{outcome:>22}")
                print(run.stderr[-2000:], file=sys.stderr)
                continue
            result = json.loads(run.stdout.strip().splitlines()[-1])
            print(
                f"{label:<40}{len(data) / 1024:>7,.0f}KB{result['outcome']:>22}{result['seconds']:>9.2f}"
                f"{megabytes(result['before']):>15}{megabytes(result['peak']):>13}{megabytes(result['children']):>14}"
            )
    run = subprocess.run(
        [sys.executable, __file__, "--overhead"], capture_output=True, text=True, timeout=600, env=os.environ
    )
    if run.returncode:
        print(run.stderr[-2000:], file=sys.stderr)
        return 1
    cost = json.loads(run.stdout.strip().splitlines()[-1])
    print()
    print("what the sandbox adds, per upload (mean of repeated runs in a fresh worker process;")
    print("CPU counts the worker and its children; wall time also counts waiting for a busy CPU)")
    print(f"{'step':<44}{'in the worker: CPU':>20}{'wall':>9}{'in the sandbox: CPU':>21}{'wall':>9}")
    for label, key in [
        ("start a sandbox, wait for it (no work)", "empty"),
        ("clean a 1600×1000 JPEG", "ordinary"),
        ("clean a 24-megapixel JPEG", "large"),
    ]:
        worker, confined = cost[key]
        cells = [f"{worker['cpu']:>17.0f} ms{worker['wall']:>6.0f} ms" if worker else f"{'':>29}"]
        cells.append(f"{confined['cpu']:>18.0f} ms{confined['wall']:>6.0f} ms")
        print(f"{label:<44}{''.join(cells)}")
    return split()


def split() -> int:
    """The upload's request and its rendition job, measured apart."""
    run = subprocess.run(
        [sys.executable, __file__, "--split"], capture_output=True, text=True, timeout=1200, env=os.environ
    )
    if run.returncode:
        print(run.stderr[-2000:], file=sys.stderr)
        return 1
    rows = json.loads(run.stdout.strip().splitlines()[-1])
    print()
    print(f"the upload's request in the web worker, and its rendition job (mean per upload; code: {CODE})")
    print(f"{'photo':<40}{'uploads':>8}{'request: CPU':>14}{'wall':>9}{'job: CPU':>12}{'wall':>9}{'renditions':>12}")
    for label, row in rows.items():
        job = (
            f"{row['job_cpu']:>9.0f} ms{row['job_wall']:>6.0f} ms{row['job_renditions']:>12}"
            if row["job_cpu"] is not None
            else f"{'no job':>12}{'':>9}{row['request_renditions']:>12}"
        )
        print(f"{label:<40}{row['uploads']:>8}{row['request_cpu']:>11.0f} ms{row['request_wall']:>6.0f} ms{job}")
    return 0


def split_costs() -> dict:
    """Post each photo through the admin and run the rendition job it queued (when the code queues
    one), measuring each apart; all in one rolled-back transaction."""
    import django

    django.setup()
    from django.contrib.auth.models import Group
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction
    from django.test import Client, override_settings
    from django.urls import reverse
    from procrastinate.contrib.django.models import ProcrastinateJob

    from accounts.models import User
    from articles import tasks
    from articles.models import Image, Rendition
    from bench.images import photo_bytes

    job_task = getattr(tasks, "make_renditions", None)

    def cpu_seconds() -> float:
        own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

    def measured(work) -> tuple[float, float]:
        cpu, wall = cpu_seconds(), time.perf_counter()
        work()
        return (cpu_seconds() - cpu) * 1000, (time.perf_counter() - wall) * 1000

    client = Client(HTTP_HOST="127.0.0.1")
    add = reverse("admin:articles_image_add")
    results = {}
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media), transaction.atomic():
        user = User.objects.create(username="bench-image-uploader", is_staff=True)
        user.groups.add(Group.objects.get(name="Journalists"))
        client.force_login(user)
        client.get(add)
        for label, size, uploads in SPLIT_CASES:
            data = photo_bytes(size)
            totals = {"request_cpu": 0.0, "request_wall": 0.0, "job_cpu": 0.0, "job_wall": 0.0}
            for number in range(uploads + 1):  # the first warms the process and is not counted
                upload = SimpleUploadedFile("photo.jpg", data, content_type="image/jpeg")
                fields = {"file": upload, "alt_ar": "صورة اختبار", "focal_x": "0.5", "focal_y": "0.5"}
                request_cost = measured(lambda fields=fields: client.post(add, fields))
                image = Image.objects.filter(uploaded_by=user).latest("pk")
                request_renditions = Rendition.objects.filter(image=image).count()
                job_cost, job_renditions = (0.0, 0.0), 0
                if job_task is not None:
                    job = ProcrastinateJob.objects.filter(task_name=job_task.name).latest("id")
                    job_cost = measured(lambda job=job: job_task(**job.args))
                    job_renditions = Rendition.objects.filter(image=image).count()
                if number:
                    totals["request_cpu"] += request_cost[0]
                    totals["request_wall"] += request_cost[1]
                    totals["job_cpu"] += job_cost[0]
                    totals["job_wall"] += job_cost[1]
            results[label] = {
                "uploads": uploads,
                "request_cpu": totals["request_cpu"] / uploads,
                "request_wall": totals["request_wall"] / uploads,
                "job_cpu": totals["job_cpu"] / uploads if job_task else None,
                "job_wall": totals["job_wall"] / uploads if job_task else None,
                "request_renditions": request_renditions,
                "job_renditions": job_renditions,
            }
        transaction.set_rollback(True)
    return results


def overhead() -> dict:
    """CPU and wall milliseconds: an empty sandbox, and cleaning two photos in the worker (the old
    way: `images.uploads._clean` is what `clean_upload` runs in the sandbox) or in the sandbox."""
    from functools import partial

    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile

    from articles import images
    from bench.images import photo_bytes
    from newsroom import sandbox

    def cpu_seconds() -> float:
        own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

    def cost(work, runs: int) -> dict:
        work()  # warm: imports, Pillow's buffers
        cpu, wall = cpu_seconds(), time.perf_counter()
        for _ in range(runs):
            work()
        return {"cpu": (cpu_seconds() - cpu) / runs * 1000, "wall": (time.perf_counter() - wall) / runs * 1000}

    result = {"empty": (None, cost(partial(sandbox.run_confined, lambda: b"", images.decode_limits()), 30))}
    for key, size, runs in [("ordinary", (1600, 1000), 20), ("large", (6000, 4000), 3)]:
        upload = SimpleUploadedFile("photo.jpg", photo_bytes(size), content_type="image/jpeg")
        result[key] = (
            cost(partial(images.uploads._clean, upload), runs),
            cost(partial(images.clean_upload, upload), runs),
        )
    return result


def peak_rss_kb() -> int:
    """This process's resident high-water mark since it started (not since its parent did)."""
    status = Path("/proc/self/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmHWM:")).split()[1])


def upload_once(path: Path) -> dict:
    """Post one file through the image admin's add form, as a journalist, and roll it all back."""
    import django

    django.setup()
    from django.contrib.auth.models import Group
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction
    from django.test import Client, override_settings
    from django.urls import reverse

    from accounts.models import User
    from articles.models import Image

    client = Client(HTTP_HOST="127.0.0.1")
    add = reverse("admin:articles_image_add")
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media), transaction.atomic():
        user = User.objects.create(username="bench-image-uploader", is_staff=True)
        user.groups.add(Group.objects.get(name="Journalists"))
        client.force_login(user)
        client.get(add)  # imports and templates warm, as in a worker that has served before
        data = path.read_bytes()
        kind = "image/gif" if path.suffix == ".gif" else "image/jpeg"
        upload = SimpleUploadedFile(path.name, data, content_type=kind)
        before = peak_rss_kb()
        started = time.perf_counter()
        response = client.post(add, {"file": upload, "alt_ar": "صورة اختبار", "focal_x": "0.5", "focal_y": "0.5"})
        seconds = time.perf_counter() - started
        stored = Image.objects.filter(uploaded_by=user).exists()
        transaction.set_rollback(True)
    outcome = "stored" if stored else f"refused ({response.status_code})"
    return {
        "outcome": outcome,
        "seconds": seconds,
        "before": before,
        "peak": peak_rss_kb(),
        "children": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    }


if __name__ == "__main__":
    sys.path.insert(0, str(CODE))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    # Pages link static files by name; no collectstatic manifest is needed to measure an upload.
    os.environ["STATIC_STORAGE"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    steps = {"--overhead": overhead, "--split": split_costs}
    print(json.dumps(steps[sys.argv[1]]() if sys.argv[1] in steps else upload_once(Path(sys.argv[1]))))
