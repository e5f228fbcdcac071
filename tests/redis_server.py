"""A private redis-server on a spare port, for tests that need Redis or need to kill it.

Never the shared Redis on 6379: other people's tests run against it, and these tests stop theirs.
"""

import shutil
import socket
import subprocess
import time

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    def __init__(self):
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            pytest.skip("redis-server is not installed (Debian: apt-get install redis-server)")
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
        # Waiting for a server to listen is set-up, not a timing assertion.
        for _ in range(500):
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.1):
                    return
            except OSError:
                time.sleep(0.01)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def caches(self, prefix: str = "test") -> dict:
        return {
            "default": {
                "BACKEND": "newsroom.redis_cache.RedisCache",
                "LOCATION": self.url,
                "KEY_PREFIX": prefix,
                "OPTIONS": {"socket_connect_timeout": 0.1, "socket_timeout": 0.1},
            }
        }
