"""The load run (`bench.py --load`): gunicorn as production runs it (gunicorn.conf.py, DEBUG off,
3 workers, manifest static files, the in-process cache of each worker), on the 10,000-organisation
PostgreSQL bench database, driven by wrk on the same machine.

Every page gets `duration` seconds of wrk (`threads` threads, `connections` connections). The
pages that must not come from a cache ask a different question with every request: a Lua script
walks a list of questions made from the data (text x town, postcodes, organisations). The
template floor `/privacy/` is run first and last; each page's throughput is divided by the mean
of the two. Each page gets a fresh server. Requests carry `X-Forwarded-Proto: https`, which the
settings trust (SECURE_PROXY_SSL_HEADER), as a TLS-terminating proxy sends it.

With BENCH_REDIS_URL the servers share their cache and rate limits in that Redis, as production
does (REDIS_URL, under a key prefix of the run's own, removed afterwards). With BENCH_FAULTS=1 a
fault run follows (`fault_run`): one server on a mix of pages, through 5-second phases in which a
worker is killed, Redis (a redis-server of the run's own) is stopped and started again, and
PostgreSQL is unreachable for 5 s (a TCP proxy of the run's own in front of it stops forwarding);
it reports what failed in each phase and whether the last phase, after all that, had no errors:
recovered without a restart. `make loadtest` (scripts/loadtest.py) runs both.
"""

import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from benchlib import BASE_DIR, progress

INSTALL_WRK = "wrk is not installed: `sudo apt-get install wrk` (Debian/Ubuntu), `brew install wrk`"
WORKERS = 3
TIMEOUT = "30s"  # gunicorn's worker timeout: a slower answer would be an error anyway
SEARCH_WORDS = ["hospice", "palliatief", "ggz", "verslaving", "thuiszorg", "huisarts", "rouw"]
# name: label. Varying pages take their paths from questions(); the others have one path.
PAGES = {
    "privacy": "`/privacy/` (template floor)",
    "home": "home `/` (cached)",
    "search_cached": "search `?q=hospice` (the same question: cached)",
    "search_new": "search, a new text question per request `?q=<word> <town>`",
    "organisation": "organisation page, a different organisation per request",
    "who_to_call": "Wie bel ik nu? a different postcode per request",
    "place_finder": "Plek zoeken, a different postcode/setting/background per request",
    "privacy_last": "`/privacy/` again, after the others",
}
FIXED = {"privacy": "/privacy/", "home": "/", "search_cached": "/zoeken/?q=hospice"}
TARGET_PAGES = ["search_new", "organisation", "who_to_call", "place_finder"]
TARGET_RATIO = 0.33
LUA = """
wrk.headers["X-Forwarded-Proto"] = "https"
local paths = {%(paths)s}
local threads = %(threads)d
local next_id = 0
function setup(thread)
  thread:set("offset", next_id)
  next_id = next_id + 1
end
local counter = -1
function request()
  counter = counter + 1
  return wrk.format("GET", paths[((offset or 0) + counter * threads) %% #paths + 1])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests":%%d,"duration_us":%%d,"connect":%%d,"read":%%d,"write":%%d,' ..
    '"status":%%d,"timeout":%%d,"p50_us":%%d,"p99_us":%%d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


def run(*, database_url: str, static_root: str, duration: int, connections: int, threads: int):
    """The load figures per page, or {"skipped": why}."""
    wrk = shutil.which("wrk")
    if not wrk:
        progress(f"SKIPPED the load run: {INSTALL_WRK}")
        return {"skipped": INSTALL_WRK}
    paths = questions()
    load_before = os.getloadavg()[0]
    env = gunicorn_environment(database_url, static_root)
    results = {}
    for name in PAGES:
        page_paths = paths.get(name) or [FIXED[name.removesuffix("_last")]]
        results[name] = one_page(wrk, env, page_paths, duration, connections, threads)
        r = results[name]
        progress(
            f"{name:14} {r['rps']:8.1f} req/s  p50 {r['p50_ms']:7.1f} ms  "
            f"p99 {r['p99_ms']:7.1f} ms  errors {r['http_errors']}/{r['socket_errors']}  "
            f"server: {r['tracebacks']} tracebacks, {r['worker_timeouts']} worker timeouts"
        )
    setup = {"workers": WORKERS, "duration_s": duration, "connections": connections}
    setup |= {"threads": threads, "wrk": wrk_version(wrk)}
    setup["load"] = [load_before, os.getloadavg()[0]]
    setup["cache"] = "Redis" if os.environ.get("BENCH_REDIS_URL") else "in-process"
    outcome = {"pages": results, "setup": setup}
    if os.environ.get("BENCH_FAULTS") == "1":
        from benchlib.faults import fault_run

        outcome["faults"] = fault_run(wrk, database_url, static_root, paths, threads=threads)
    redis_keys_remove(env)
    if target := os.environ.get("BENCH_LOAD_JSON"):
        Path(target).write_text(json.dumps(outcome, indent=1), encoding="utf-8")
    return outcome


def one_page(wrk, env, paths, duration, connections, threads) -> dict:
    """A fresh gunicorn per page, so that requests queued by a slow page cannot slow the next;
    stopped at once afterwards (SIGQUIT)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [str(Path(sys.executable).with_name("gunicorn")), "-c", "gunicorn.conf.py"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS)]
    handle, log_name = tempfile.mkstemp(prefix="bench-gunicorn-", suffix=".log")
    with os.fdopen(handle, "w") as log:
        server = subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,  # the access log, written as in production
            stderr=log,
        )
        try:
            wait_until_up(base, server)
            status = warm_up(base, paths)
            result = drive(wrk, base, paths, duration, connections, threads)
        finally:
            # Requests still queued when wrk stops are cut off here (SystemExit tracebacks):
            # only the log written before counts.
            measured = Path(log_name).stat().st_size
            server.send_signal(signal.SIGQUIT)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    errors = Path(log_name).read_bytes()[:measured].decode(errors="replace")
    Path(log_name).unlink(missing_ok=True)
    return {
        **result,
        "first_status": status,
        "distinct_paths": len(paths),
        "tracebacks": errors.count("Traceback"),
        "worker_timeouts": errors.count("WORKER TIMEOUT"),
    }


def questions() -> dict[str, list[str]]:
    """Distinct paths for the pages that must not hit a cache, from the bench data."""
    from urllib.parse import urlencode

    from netwerk.directory.organisations import Organisation
    from netwerk.reference.geography import PostcodeArea

    rng = random.Random(1)
    pc4 = list(PostcodeArea.objects.order_by("pc4").values_list("pc4", flat=True))
    towns = sorted(
        {n.split("|")[0] for n in PostcodeArea.objects.values_list("place_names", flat=True)}
    )
    searches = [urlencode({"q": f"{word} {town}"}) for word in SEARCH_WORDS for town in towns]
    slugs = list(Organisation.objects.published().order_by("pk").values_list("slug", flat=True))
    finder = [
        urlencode({"postcode": code, "zorgsetting": setting, "achtergrond": background})
        for code in pc4
        for setting in ("hospice", "instelling", "thuis")
        for background in ("psychiatrie", "verslaving", "beide")
    ]
    paths = {
        "search_new": [f"/zoeken/?{q}" for q in searches],
        "organisation": [f"/organisaties/{slug}/" for slug in slugs],
        "who_to_call": [f"/wie-bel-ik-nu/?postcode={code}" for code in pc4],
        "place_finder": [f"/plek-zoeken/?{q}" for q in finder],
    }
    for values in paths.values():
        rng.shuffle(values)
    return {name: values[:20_000] for name, values in paths.items()}


def gunicorn_environment(database_url: str, static_root: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.pop("REDIS_URL", None)  # each worker's own in-process cache, as without Redis
    if redis_url := os.environ.get("BENCH_REDIS_URL"):
        env.update(REDIS_URL=redis_url, REDIS_KEY_PREFIX=f"bench-{secrets.token_hex(6)}")
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_STATIC_ROOT=static_root,
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="expertisekaart.settings",
    )
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(base: str, server: subprocess.Popen, seconds: int = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped (exit {server.returncode}); see its log above.")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer /healthz within {seconds} s.")


def warm_up(base: str, paths: list[str]) -> int:
    """A request per worker (each loads templates on its first), and the first one's status
    (0: no answer): a redirect or an error would make the figures meaningless."""
    statuses = []
    for path in paths[-WORKERS:]:
        request = urllib.request.Request(base + path, headers={"X-Forwarded-Proto": "https"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                statuses.append(response.status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)
        except OSError:
            statuses.append(0)
    return statuses[0]


def drive(wrk: str, base: str, paths, duration: int, connections: int, threads: int) -> dict:
    lua = LUA % {"paths": ",".join(json.dumps(p) for p in paths), "threads": threads}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua)
    command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{duration}s", f"--timeout={TIMEOUT}"]
    try:
        completed = subprocess.run(
            [*command, "-s", script.name, base + "/"],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        os.unlink(script.name)
    line = next(li for li in completed.stdout.splitlines() if li.startswith("BENCH "))
    raw = json.loads(line.removeprefix("BENCH "))
    return {
        "requests": raw["requests"],
        "rps": raw["requests"] / (raw["duration_us"] / 1e6),
        "p50_ms": raw["p50_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "http_errors": raw["status"],
        "socket_errors": raw["connect"] + raw["read"] + raw["write"] + raw["timeout"],
    }


def wrk_version(wrk: str) -> str:
    completed = subprocess.run([wrk, "--version"], capture_output=True, text=True, check=False)
    return (completed.stdout or completed.stderr).split("Copyright")[0].strip()


def redis_keys_remove(env: dict[str, str]) -> None:
    """The run's own keys out of the shared Redis."""
    if not env.get("REDIS_URL"):
        return
    import redis

    client = redis.Redis.from_url(env["REDIS_URL"])
    for key in client.scan_iter(f"{env['REDIS_KEY_PREFIX']}:*"):
        client.delete(key)


def start_gunicorn(env: dict[str, str], log, port: int) -> subprocess.Popen:
    command = [str(Path(sys.executable).with_name("gunicorn")), "-c", "gunicorn.conf.py"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS)]
    return subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=log)
