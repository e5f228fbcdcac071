"""What the benchmarks start and drive: a private PostgreSQL cluster, a private redis-server,
gunicorn, wrk, and the server's CPU time read from /proc.

Everything here runs on loopback, on spare ports, and is stopped by the bench that started it. The
shared PostgreSQL on 5432 and Redis on 6379 are never touched.
"""

import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def wait_for(predicate, what: str, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not come up within {seconds:.0f} s")


class Postgres:
    """A throwaway cluster (initdb on a spare port), run as an unprivileged user when we are root."""

    def __init__(self):
        from newsroom import localdb

        self.bindir = localdb.find_bindir()
        if self.bindir is None:
            raise RuntimeError("PostgreSQL's binaries (initdb, pg_ctl) are needed: apt-get install postgresql")
        self.user = None
        if os.geteuid() == 0:
            self.user = next(name for name in ("postgres", "nobody") if _user_exists(name))
        self.port = free_port()
        # /var/tmp, not the checkout: the cluster user must be able to reach it.
        self.data = Path(tempfile.mkdtemp(prefix="newsroom-bench-pg-", dir="/var/tmp"))
        if self.user:
            os.chown(self.data, pwd.getpwnam(self.user).pw_uid, -1)
        self._run(
            "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"
        )
        # Its own media folder too: a rendition job writes a folder per image id, and the same ids in
        # the developer's database would have their pictures replaced by this cluster's.
        self.media = Path(tempfile.mkdtemp(prefix="newsroom-bench-media-"))

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.bindir / tool), *args]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def url(self, database: str = "newsroom") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def settings(self) -> dict[str, str]:
        """The environment that points the site at this cluster and its media folder."""
        return {"DATABASE_URL": self.url(), "MEDIA_ROOT": str(self.media)}

    def start(self) -> None:
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c max_connections=100 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.data / "server.log"), "-w", "-o", options, "start")

    def kill(self) -> None:
        """As a crash would: immediate shutdown, every connection cut."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def create_database(self, name: str = "newsroom") -> None:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")

    def remove(self) -> None:
        if listening(self.port):
            self.kill()
        shutil.rmtree(self.data, ignore_errors=True)
        shutil.rmtree(self.media, ignore_errors=True)


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


class Redis:
    def __init__(self):
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            raise RuntimeError("redis-server is needed: apt-get install redis-server")
        self.port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        wait_for(lambda: listening(self.port), "redis-server")

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


class Gunicorn:
    """The site under gunicorn with sync workers, from `root` (another checkout, for before/after)."""

    def __init__(self, env: dict, root: Path = ROOT, workers: int = 2):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {**env, "SITE_URL": self.base}
        self.root = root
        self.workers = workers
        self.process = None

    def start(self) -> None:
        command = [PYTHON, "-m", "gunicorn", "newsroom.wsgi", "--bind", f"127.0.0.1:{self.port}"]
        command += ["--workers", str(self.workers), "--no-control-socket", "--log-level", "warning"]
        command += ["--timeout", "30"]
        # The request log goes to a file: its tail explains a failure, and writing it is part of
        # the cost being measured.
        self.log = Path(tempfile.mkstemp(prefix="newsroom-bench-gunicorn-", suffix=".log")[1])
        with self.log.open("w") as log:
            self.process = subprocess.Popen(command, cwd=self.root, env=self.env, stdout=log, stderr=log)
        wait_for(self._answers, "gunicorn", 60)

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def _answers(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError("gunicorn exited:\n" + self.log_tail())
        try:
            urllib.request.urlopen(self.base + "/robots.txt", timeout=2)  # noqa: S310 (loopback)
            return True
        except urllib.error.HTTPError:
            return True  # it answers; whether the answer is right is the bench's business
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait()
            self.process = None
            self.log.unlink(missing_ok=True)

    def cpu_seconds(self) -> float:
        """User + system CPU of the master and its workers (the load generator is not counted)."""
        total = 0.0
        tick = os.sysconf("SC_CLK_TCK")
        pids = [self.process.pid, *_children(self.process.pid)]
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / tick
        return total


def _children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


LATENCY = re.compile(r"^\s*(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str, *, seconds: int, connections: int = 8, threads: int = 2, headers=(), script: str | None = None):
    """Run wrk; returns req/s, p50/p99 in ms, non-2xx/3xx answers, socket errors and its output."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "3s"]
    for header in headers:
        command += ["-H", header]
    if script:
        command += ["-s", script]
    output = subprocess.run([*command, url], check=True, text=True, capture_output=True).stdout
    latencies = {p: float(v) * UNITS[u] for p, v, u in LATENCY.findall(output)}
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "p50": latencies.get("50"),
        "p99": latencies.get("99"),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": sum(int(n) for n in socket_errors.groups()) if socket_errors else 0,
        "output": output,
    }


def manage(root: Path, env: dict, *args: str) -> str:
    result = subprocess.run([PYTHON, "manage.py", *args], cwd=root, env=env, text=True, capture_output=True)
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-2000:]}")
    return result.stdout
