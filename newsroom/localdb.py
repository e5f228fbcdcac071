"""Find or start the PostgreSQL that `make run` and `make test` use; print its URL.

Order (DESIGN.md "Configuration and running"):
1. DATABASE_URL from the environment;
2. a server already answering on 127.0.0.1:5432 (user postgres);
3. a project-local cluster under .local/pgdata, started from the PostgreSQL binaries on this
   machine (as an unprivileged user when run as root, since PostgreSQL refuses root).
Otherwise it exits with one sentence naming what to install.

Runs with only the standard library and psycopg, before Django is configured.
"""

import glob
import hashlib
import os
import pwd
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCAL = ROOT / ".local"
PGDATA = LOCAL / "pgdata"
LOCAL_PORT = int(os.environ.get("NEWSROOM_LOCAL_PG_PORT", "54329"))
DB_NAME = os.environ.get("NEWSROOM_DB_NAME", "newsroom")
URL_FILE = LOCAL / "database_url"


def say(message: str) -> None:
    print(f"[db] {message}", file=sys.stderr)


def answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def ensure_database(url_without_db: str, name: str) -> None:
    import psycopg

    with psycopg.connect(f"{url_without_db}/postgres", autocommit=True, connect_timeout=5) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
            say(f"created database {name}")


def find_bindir() -> Path | None:
    if shutil.which("pg_config"):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=False).stdout.strip()
        if out and (Path(out) / "initdb").exists():
            return Path(out)
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if candidates:
        return Path(candidates[-1]).parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def run_as(user: str | None, args: list[str]) -> None:
    if user:
        args = ["runuser", "-u", user, "--", *args]
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)


def start_local_cluster() -> str:
    bindir = find_bindir()
    if bindir is None:
        sys.exit(
            "No PostgreSQL found: install it (Debian: apt-get install postgresql), "
            "set DATABASE_URL to a server you have, or run `docker compose up`."
        )
    user = None
    if os.geteuid() == 0:
        # initdb refuses root: run the cluster as the postgres system user, or nobody.
        for candidate in ("postgres", "nobody"):
            try:
                pwd.getpwnam(candidate)
                user = candidate
                break
            except KeyError:
                continue
    LOCAL.mkdir(exist_ok=True)
    pgdata = PGDATA
    if user and subprocess.run(["runuser", "-u", user, "--", "test", "-x", str(LOCAL)], check=False).returncode:
        # The checkout is not reachable for that user (e.g. under /root): keep the cluster in /var/tmp.
        digest = hashlib.sha1(str(ROOT).encode(), usedforsecurity=False).hexdigest()[:10]
        pgdata = Path("/var/tmp") / f"newsroom-pgdata-{digest}"  # noqa: S108 (owned 0700 by the cluster user)
        pgdata.mkdir(exist_ok=True)
        os.chown(pgdata, pwd.getpwnam(user).pw_uid, -1)
        os.chmod(pgdata, 0o700)
    if not (pgdata / "PG_VERSION").exists():
        say(f"creating a project-local PostgreSQL cluster in {pgdata}")
        pgdata.mkdir(parents=True, exist_ok=True)
        if user:
            os.chown(pgdata, pwd.getpwnam(user).pw_uid, -1)
        run_as(
            user,
            [
                str(bindir / "initdb"),
                "-D",
                str(pgdata),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            ],
        )
    if not answers("127.0.0.1", LOCAL_PORT):
        say(f"starting it on 127.0.0.1:{LOCAL_PORT}")
        run_as(
            user,
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(pgdata),
                "-l",
                str(pgdata / "server.log"),
                "-w",
                "-o",
                f"-p {LOCAL_PORT} -k {pgdata} -c listen_addresses=127.0.0.1",
                "start",
            ],
        )
        for _ in range(50):
            if answers("127.0.0.1", LOCAL_PORT):
                break
            time.sleep(0.2)
    return f"postgres://postgres@127.0.0.1:{LOCAL_PORT}"


def main() -> None:
    if url := os.environ.get("DATABASE_URL"):
        print(url)
        return
    if answers("127.0.0.1", 5432) and os.environ.get("NEWSROOM_FORCE_LOCAL_PG") != "1":
        base = "postgres://postgres@127.0.0.1:5432"
    else:
        base = start_local_cluster()
    ensure_database(base, DB_NAME)
    url = f"{base}/{DB_NAME}"
    LOCAL.mkdir(exist_ok=True)
    URL_FILE.write_text(url + "\n")
    print(url)


if __name__ == "__main__":
    main()
