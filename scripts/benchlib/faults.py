"""The fault run of the load part (BENCH_FAULTS=1, `make loadtest`): what fails when a part of
the production set-up does, and whether the site comes back by itself.

One gunicorn (production settings, 3 workers) on the bench database, reached through a TCP proxy
of the run's own, with its cache in a redis-server of the run's own on a free port (the machine's
PostgreSQL and Redis are never stopped: others use them). wrk drives a mix of pages in 5-second
phases; one second into a phase its fault happens:

    steady             nothing
    worker killed      SIGKILL to one gunicorn worker (the master starts a new one)
    Redis stopped      our redis-server terminated (the cache degrades to no cache)
    Redis back         our redis-server started again on the same port
    PostgreSQL gone    the proxy refuses and cuts every connection for 5 s, then forwards again
                       (this phase lasts 7 s, so that the whole outage falls inside it)
    after              nothing: must have no errors (recovered without a restart)
"""

import contextlib
import os
import random
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from benchlib import progress

PHASE_SECONDS = 5
# Fewer than the page runs: the fault run asks whether requests fail, not how many fit; with 32
# connections on slow pages a phase would only queue behind the one before.
CONNECTIONS = 8
FAULT_AFTER_SECONDS = 1
POSTGRES_OUTAGE_SECONDS = 5


def fault_run(wrk, database_url, static_root, paths, *, threads, connections=CONNECTIONS) -> dict:
    from benchlib.load import (
        drive,
        free_port,
        gunicorn_environment,
        start_gunicorn,
        wait_until_up,
        warm_up,
    )

    mix = page_mix(paths)
    redis_server = OwnRedis().start()
    proxy = TcpProxy(database_url).start()
    env = gunicorn_environment(proxy.url, static_root)
    env.update(REDIS_URL=redis_server.url, REDIS_KEY_PREFIX="faults")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    handle, log_name = tempfile.mkstemp(prefix="bench-faults-", suffix=".log")
    log_path = Path(log_name)
    phases = [
        ("steady", "nothing", None),
        ("worker killed", "SIGKILL to one of the 3 workers", None),
        ("Redis stopped", "our redis-server terminated", redis_server.stop),
        ("Redis back", "our redis-server started again", redis_server.start),
        ("PostgreSQL gone", f"no connection for {POSTGRES_OUTAGE_SECONDS} s", proxy.outage),
        ("after", "nothing (recovery)", None),
    ]
    results = []
    with os.fdopen(handle, "w") as log:
        server = start_gunicorn(env, log, port)
        try:
            wait_until_up(base, server)
            warm_up(base, mix)
            for name, fault, action in phases:
                drained(base)
                if name == "worker killed":
                    action = partial(kill_a_worker, server.pid)
                before = log_path.stat().st_size
                timer = threading.Timer(FAULT_AFTER_SECONDS, action) if action else None
                if timer:
                    timer.start()
                seconds = PHASE_SECONDS + (2 if name == "PostgreSQL gone" else 0)
                result = drive(wrk, base, mix, seconds, connections, threads)
                if timer:
                    timer.join()
                text = log_path.read_bytes()[before:].decode(errors="replace")
                result |= {
                    "phase": name,
                    "fault": fault,
                    "tracebacks": text.count("Traceback"),
                    "server_errors_logged": text.count("Internal Server Error"),
                    "redis_warnings": text.count("Redis cache unavailable"),
                    "worker_restarts": text.count("Booting worker"),
                    "workers_killed": text.count("was sent SIGKILL"),
                }
                results.append(result)
                progress(
                    f"{name:16} {result['rps']:7.1f} req/s  p99 {result['p99_ms']:7.1f} ms  "
                    f"errors {result['http_errors']} http / {result['socket_errors']} socket  "
                    f"redis warnings {result['redis_warnings']}  "
                    f"new workers {result['worker_restarts']}"
                )
        finally:
            server.send_signal(signal.SIGQUIT)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            proxy.stop()
            redis_server.stop()
            log_path.unlink(missing_ok=True)
    last = results[-1]
    recovered = last["requests"] > 0 and last["http_errors"] == 0 and last["socket_errors"] == 0
    return {
        "phases": results,
        "recovered": recovered and last["tracebacks"] == 0,
        "phase_seconds": PHASE_SECONDS,
        "connections": connections,
        "distinct_paths": len(mix),
    }


def drained(base: str) -> None:
    """Waits until the server has answered what the last phase left queued: a request to the
    health check is answered after those before it."""
    with contextlib.suppress(OSError):
        urllib.request.urlopen(f"{base}/healthz", timeout=60).close()


def page_mix(paths: dict[str, list[str]]) -> list[str]:
    """Cached and uncached pages together: home, privacy, a cached search and organisation pages
    (Wie bel ik nu? and Plek zoeken are too slow on this machine to tell a fault from a queue)."""
    rng = random.Random(2)
    mix = ["/", "/privacy/", "/zoeken/?q=hospice"] * 100 + paths["organisation"][:300]
    rng.shuffle(mix)
    return mix


def kill_a_worker(master_pid: int) -> None:
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    if children:
        os.kill(int(children[0]), signal.SIGKILL)


class OwnRedis:
    """A redis-server of the run's own on a free port (nothing on disk), stopped and started."""

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> "OwnRedis":
        binary = shutil.which("redis-server")
        if not binary:
            raise SystemExit("The fault run needs redis-server (apt-get install redis-server).")
        command = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        command += ["--appendonly", "no", "--logfile", ""]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return self
            time.sleep(0.05)
        raise SystemExit(f"redis-server on port {self.port} did not start.")

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


class TcpProxy:
    """Forwards a free local port to the database server; `outage()` refuses and cuts every
    connection for POSTGRES_OUTAGE_SECONDS, then forwards again on the same port."""

    def __init__(self, database_url: str):
        parts = urlsplit(database_url)
        self.target = (parts.hostname or "127.0.0.1", parts.port or 5432)
        self.listener = self._listen(0)
        self.port = self.listener.getsockname()[1]
        netloc = parts.netloc.rsplit("@", 1)
        host = f"127.0.0.1:{self.port}"
        self.url = urlunsplit(
            parts._replace(netloc=f"{netloc[0]}@{host}" if len(netloc) > 1 else host)
        )
        self.sockets: set[socket.socket] = set()
        self.lock = threading.Lock()
        self.running = True

    @staticmethod
    def _listen(port: int) -> socket.socket:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen(128)
        return listener

    def start(self) -> "TcpProxy":
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()
        return self

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets |= {client, upstream}
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                self._close(sock)

    def _close(self, sock: socket.socket) -> None:
        with self.lock:
            self.sockets.discard(sock)
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()

    def _cut_everything(self) -> None:
        self.listener.close()
        with self.lock:
            sockets = list(self.sockets)
        for sock in sockets:
            self._close(sock)

    def outage(self) -> None:
        self._cut_everything()
        time.sleep(POSTGRES_OUTAGE_SECONDS)
        self.listener = self._listen(self.port)
        self.start()

    def stop(self) -> None:
        self._cut_everything()
