"""Work run in the sandbox hands back its result, or is stopped at its memory, CPU or wall-clock limit."""

import faulthandler
import os
import signal

import pytest
from django.core.exceptions import ValidationError

from newsroom import sandbox

GENEROUS = sandbox.Limits(memory_bytes=512 * 1024 * 1024, cpu_seconds=30, wall_seconds=30)


def test_the_result_comes_back_whole():
    payload = os.urandom(3 * 1024 * 1024)  # larger than a pipe's buffer many times over
    assert sandbox.run_confined(lambda: payload, GENEROUS).data == payload


def test_a_refusal_comes_back_with_its_message_and_code():
    def refuse():
        raise ValidationError("هذه الصورة كبيرة جدًا", code="too_large")

    with pytest.raises(ValidationError) as caught:
        sandbox.run_confined(refuse, GENEROUS)
    assert caught.value.code == "too_large"
    assert caught.value.messages == ["هذه الصورة كبيرة جدًا"]


def test_work_that_outgrows_its_memory_is_stopped():
    def hoard():
        return bytes(bytearray(256 * 1024 * 1024))

    with pytest.raises(sandbox.Exceeded) as caught:
        sandbox.run_confined(hoard, sandbox.Limits(memory_bytes=64 * 1024 * 1024, cpu_seconds=30, wall_seconds=30))
    assert caught.value.reason == "memory"


def test_work_that_spins_is_stopped_at_its_cpu_limit():
    def spin():
        while True:
            pass

    with pytest.raises(sandbox.Exceeded) as caught:
        sandbox.run_confined(spin, sandbox.Limits(memory_bytes=64 * 1024 * 1024, cpu_seconds=1, wall_seconds=60))
    assert caught.value.reason == "time"


def test_work_that_hangs_without_using_cpu_is_killed_at_the_deadline():
    def hang():
        signal.pause()  # waits for a signal that never comes, as a deadlocked decoder would
        return b""

    with pytest.raises(sandbox.Exceeded) as caught:
        sandbox.run_confined(hang, sandbox.Limits(memory_bytes=64 * 1024 * 1024, cpu_seconds=30, wall_seconds=0.5))
    assert caught.value.reason == "time"


def test_a_child_that_crashes_is_reported_not_fatal():
    def crash():
        faulthandler.disable()  # pytest's handler would print the child's stack
        os.abort()

    with pytest.raises(sandbox.Exceeded) as caught:
        sandbox.run_confined(crash, GENEROUS)
    assert caught.value.reason == "crashed"


def test_a_bug_in_the_work_surfaces_with_its_traceback():
    def buggy():
        return {}["missing"]

    with pytest.raises(RuntimeError, match="KeyError: 'missing'"):
        sandbox.run_confined(buggy, GENEROUS)


def test_the_child_never_returns_into_the_callers_code():
    parent = os.getpid()
    seen = []
    sandbox.run_confined(lambda: str(os.getpid()).encode(), GENEROUS)
    seen.append(os.getpid())
    assert seen == [parent], "only the calling process should run the code after run_confined"


def test_when_no_child_can_be_started_the_caller_is_told_the_server_is_busy(monkeypatch):
    def no_fork():
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    open_before = len(os.listdir("/proc/self/fd"))
    with pytest.raises(sandbox.Exceeded) as caught:
        sandbox.run_confined(lambda: b"", GENEROUS)
    assert caught.value.reason == "busy"
    assert len(os.listdir("/proc/self/fd")) == open_before, "the pipe should be closed again"
