"""Work on hostile input in a child process whose memory, CPU time and wall-clock time are bounded.

`run_confined(work, limits)` forks, runs `work()` in the child and hands back what it returned
(bytes), re-raises the `ValidationError` it raised, or raises `Exceeded` when the child ran out of
memory or time or died. Whatever the input does, the calling web worker keeps its own memory and
answers in bounded time: a GIF of 37 KB that decodes into 3 GB costs the child its limit, never
the worker.

Why a forked child and not a thread, `multiprocessing` or a worker pool:
- a limit that Pillow cannot ignore must come from the kernel: `RLIMIT_AS` (address space) and
  `RLIMIT_CPU` apply to a whole process, and only a separate process can be killed at a deadline;
- forking copies nothing up front and imports nothing (the worker has Pillow loaded), so it costs
  a few milliseconds, where `spawn` re-imports Django (about a second) and `forkserver` would add a
  server per worker and copy each upload through a pipe; the child reads the upload from the
  memory (or temporary file) it inherits;
- `os.wait4` gives the child's peak memory (`ru_maxrss`), which `multiprocessing` does not.
Forking a process that has other threads (a connection pool's) is safe here because the child only
runs the work and `os._exit`s; should it ever block on a lock copied mid-use, the deadline kills it.

POSIX only (fork, setrlimit); the address-space limit is set relative to what the worker already
maps, read from /proc (Linux). Without /proc the CPU and wall-clock bounds still hold.
"""

import json
import math
import os
import resource
import select
import signal
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from django.core.exceptions import ValidationError

# First byte of what the child writes back.
_RESULT, _REFUSED, _FAILED = b"R", b"V", b"F"
# Exit status of a child whose work raised MemoryError (nothing may be left to report it with).
_EXIT_OUT_OF_MEMORY = 3
# Signals a web server's worker handles for itself; in the child they must simply end it.
_SERVER_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGQUIT, signal.SIGHUP, signal.SIGUSR1, signal.SIGUSR2)


@dataclass(frozen=True)
class Limits:
    memory_bytes: int  # address space the work may add to what the worker already maps
    cpu_seconds: int
    wall_seconds: float


@dataclass(frozen=True)
class Outcome:
    data: bytes
    peak_rss_kb: int  # the child's resident high-water mark, shared worker pages included
    seconds: float


class Exceeded(Exception):
    """The work needed more than its limits, or died, or could not start. `reason` is "memory",
    "time", "crashed" or "busy" (no child could be started)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def run_confined(work: Callable[[], bytes], limits: Limits) -> Outcome:
    """Run `work()` in a forked child under `limits`; return its bytes, or raise what it raised.

    Raises the child's `ValidationError` (message and code as the child made them, so already in the
    active language), `Exceeded` when a limit was hit or the child died, and `RuntimeError` with the
    child's traceback for any other exception (a bug, not bad input).
    """
    started = time.monotonic()
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError as error:  # no memory or process slot left for a child: the server is overloaded
        os.close(read_end)
        os.close(write_end)
        raise Exceeded("busy") from error
    if pid == 0:
        os.close(read_end)
        _child(work, write_end, limits)
    os.close(write_end)
    timed_out = False
    try:
        report = _read_all(read_end, started + limits.wall_seconds)
    except TimeoutError:
        os.kill(pid, signal.SIGKILL)
        report, timed_out = b"", True
    finally:
        os.close(read_end)
        _, status, usage = os.wait4(pid, 0)
    outcome = Outcome(report[1:], usage.ru_maxrss, time.monotonic() - started)
    if timed_out:
        raise Exceeded("time")
    if os.WIFSIGNALED(status):
        # SIGXCPU is RLIMIT_CPU, SIGALRM the child's own deadline; a SIGKILL we did not send is
        # the kernel's out-of-memory killer.
        signalled = os.WTERMSIG(status)
        reasons = {signal.SIGXCPU: "time", signal.SIGALRM: "time", signal.SIGKILL: "memory"}
        raise Exceeded(reasons.get(signalled, "crashed"))
    if os.WEXITSTATUS(status) == _EXIT_OUT_OF_MEMORY:
        raise Exceeded("memory")
    kind = report[:1]
    if kind == _RESULT:
        return outcome
    if kind == _REFUSED:
        refusals = [ValidationError(item["message"], code=item["code"]) for item in json.loads(outcome.data)]
        raise refusals[0] if len(refusals) == 1 else ValidationError(refusals)
    if kind == _FAILED:
        raise RuntimeError("confined work failed:\n" + outcome.data.decode(errors="replace"))
    raise Exceeded("crashed")


def _read_all(fd: int, deadline: float) -> bytes:
    chunks = []
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not poller.poll(remaining * 1000):
            raise TimeoutError
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _child(work: Callable[[], bytes], fd: int, limits: Limits) -> NoReturn:
    """The child's whole life: never returns into the caller's code, whatever happens."""
    exit_status = 1
    try:
        for number in (*_SERVER_SIGNALS, signal.SIGALRM):
            signal.signal(number, signal.SIG_DFL)
        # The worker kills the child at the deadline; should the worker itself be killed first
        # (gunicorn's timeout), the alarm still ends a child that hangs without using CPU.
        signal.alarm(math.ceil(limits.wall_seconds) + 1)
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 1))
        mapped = _mapped_bytes()
        if mapped is not None:
            ceiling = mapped + limits.memory_bytes
            resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
        try:
            kind, payload = _RESULT, work()
        except ValidationError as error:
            kind, payload = _REFUSED, json.dumps([_refusal(item) for item in error.error_list]).encode()
        except MemoryError:
            os._exit(_EXIT_OUT_OF_MEMORY)
        except BaseException:
            kind, payload = _FAILED, traceback.format_exc().encode()
        os.write(fd, kind)
        view = memoryview(payload)
        while view:
            view = view[os.write(fd, view) :]
        exit_status = 0
    except MemoryError:
        exit_status = _EXIT_OUT_OF_MEMORY
    finally:
        os._exit(exit_status)


def _refusal(error: ValidationError) -> dict:
    # Formatted here, in the child, in the language active when the worker forked.
    message = error.message % error.params if error.params else error.message
    return {"message": str(message), "code": error.code}


def _mapped_bytes() -> int | None:
    """The address space this process maps now (VmSize): the limit is set above it."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    line = next((line for line in status.splitlines() if line.startswith("VmSize:")), None)
    return int(line.split()[1]) * 1024 if line else None
