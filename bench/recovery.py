"""Backups: how long `manage.py backup` and `manage.py restore` take, and how large a set is, for the
stories the benchmark database holds (100,000 once bench/pages.py, which runs before this module,
or `manage.py generate_articles` has filled it).

Restores into a scratch database beside the benchmark one (its name + `_restore_bench`), with one
and with two parallel pg_restore jobs, media included, then drops it. Environment: DATABASE_URL and
SECRET_KEY, as `make bench` sets them. Prints a table; never asserts a time.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import dj_database_url
import psycopg

ROOT = Path(__file__).resolve().parents[1]


def manage(*args: str, env: dict) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, text=True, capture_output=True
    )
    return result.stdout


def admin_connection(url: str) -> psycopg.Connection:
    db = dj_database_url.parse(url)
    return psycopg.connect(
        host=db["HOST"], port=db["PORT"] or None, user=db["USER"], password=db["PASSWORD"] or None,
        dbname="postgres", autocommit=True,
    )  # fmt: skip


def main() -> int:
    url = os.environ["DATABASE_URL"]
    scratch = url.rsplit("/", 1)[0] + "/" + dj_database_url.parse(url)["NAME"] + "_restore_bench"
    scratch_name = dj_database_url.parse(scratch)["NAME"]
    code = "from articles.models import Article; print(Article.objects.count())"
    stories = int(manage("shell", "-c", code, env=dict(os.environ)).strip().splitlines()[-1])
    work = Path(tempfile.mkdtemp(prefix="newsroom-bench-backup-"))
    env = {**os.environ, "MEDIA_ROOT": os.environ.get("MEDIA_ROOT", str(ROOT / "media"))}
    rows = []
    try:
        started = time.monotonic()
        folder = Path(manage("backup", str(work / "sets"), env=env).strip().splitlines()[-1])
        rows.append(("backup (dump, table checksums, media)", time.monotonic() - started))
        size = sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())
        for jobs in ("1", "2"):
            with admin_connection(url) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{scratch_name}" WITH (FORCE)')
            restore_env = {**env, "MEDIA_ROOT": str(work / f"media-{jobs}")}
            started = time.monotonic()
            manage("restore", str(folder), "--database-url", scratch, "--jobs", jobs, env=restore_env)
            rows.append((f"restore into a new database, {jobs} job(s), verified", time.monotonic() - started))
    finally:
        with admin_connection(url) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{scratch_name}" WITH (FORCE)')
        shutil.rmtree(work, ignore_errors=True)
    print(f"{stories} stories; backup set {size / 1e6:.1f} MB ({os.cpu_count()} CPUs)")
    print(f"{'step':<48} {'seconds':>8}")
    for label, seconds in rows:
        print(f"{label:<48} {seconds:>8.1f}")
    return 0
