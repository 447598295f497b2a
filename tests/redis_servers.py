"""Real Redis for the tests: the machine's server (REDIS_TEST_URL, database 7 by default), a
redis-server of the test's own on a free port, a closed port and a port that never answers.

Outside CI a test that needs the machine's Redis is skipped, with the reason, when none answers;
in CI (CI=true) it fails instead.
"""

import os
import shutil
import socket
import subprocess
import threading
import time
import uuid

import pytest
import redis

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/7")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def closed_port_url() -> str:
    """A Redis address on 127.0.0.1 where nothing listens: connecting is refused at once."""
    return f"redis://127.0.0.1:{free_port()}/0"


def require_redis(url: str = REDIS_TEST_URL) -> str:
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        reason = f"no Redis answers at {url} ({error}); set REDIS_TEST_URL"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}. CI may not skip the Redis tests.")
        pytest.skip(reason)
    return url


def cache_settings(url: str, **extra) -> dict:
    """CACHES as settings.py makes them for REDIS_URL, with a key prefix of the test's own so
    that parallel test processes sharing the database do not meet."""
    return {
        "default": {
            "BACKEND": "expertisekaart.cache.ForgivingRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
            "RETRY_SECONDS": 5,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
        | extra
    }


def delete_prefixed(url: str, prefix: str) -> None:
    client = redis.Redis.from_url(url)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


class RedisServer:
    """A redis-server of our own on a free port (nothing on disk), to stop and start at will."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> "RedisServer":
        binary = shutil.which("redis-server")
        if not binary:
            reason = "redis-server is not installed (apt-get install redis-server)"
            if os.environ.get("CI") == "true":
                pytest.fail(reason)
            pytest.skip(reason)
        command = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        command += ["--appendonly", "no", "--logfile", ""]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                redis.Redis(port=self.port, socket_connect_timeout=0.2).ping()
                return self
            except redis.RedisError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server on port {self.port} did not start")

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


class SilentServer:
    """Accepts connections on a free port and never answers: a Redis that hangs."""

    def __init__(self):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.url = f"redis://127.0.0.1:{self.listener.getsockname()[1]}/0"
        self.accepted = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                connection, _address = self.listener.accept()
            except OSError:
                return
            self.accepted.append(connection)

    def close(self):
        for connection in self.accepted:
            connection.close()
        self.listener.close()
