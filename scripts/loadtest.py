"""`make loadtest`: the production path under load, then the fault run.

gunicorn with production settings on the 10,000-organisation PostgreSQL bench database
(BENCH_PG_URL, seeded when it does not hold the bench's data set), with its cache and rate limits
in Redis (LOADTEST_REDIS_URL, default database 8 of the Redis on 127.0.0.1:6379), driven by wrk
for LOADTEST_SECONDS (5) per page; then the fault run (scripts/benchlib/faults.py). Installs
Debian's wrk with apt-get when it is missing and this runs as root. Prints the tables for
docs/benchmarks.md and writes the figures to loadtest.json; exits 1 when a page had an error.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import redis

BASE_DIR = Path(__file__).resolve().parent.parent
FLOOR_PAGES = ("privacy", "privacy_last")


def wrk_ensure() -> None:
    if shutil.which("wrk"):
        return
    if os.geteuid() != 0:
        raise SystemExit("wrk is not installed and this is not root: `sudo apt-get install wrk`.")
    print("Installing wrk (Debian's package) with apt-get", flush=True)
    environment = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=environment)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, env=environment)


def redis_ensure(url: str) -> None:
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        raise SystemExit(f"No Redis answers at {url} ({error}); set LOADTEST_REDIS_URL.") from None


def markdown(outcome: dict) -> str:
    pages = outcome["pages"]
    floor = sum(pages[name]["rps"] for name in FLOOR_PAGES) / len(FLOOR_PAGES)
    lines = ["| page | req/s | p50 ms | p99 ms | x floor | errors (http / socket / server) |"]
    lines.append("|---|---:|---:|---:|---:|---|")
    for name, page in pages.items():
        errors = f"{page['http_errors']} / {page['socket_errors']} / {page['tracebacks']}"
        lines.append(
            f"| {name} | {page['rps']:.1f} | {page['p50_ms']:.0f} | {page['p99_ms']:.0f} | "
            f"{page['rps'] / floor:.2f} | {errors} |"
        )
    if faults := outcome.get("faults"):
        lines += ["", "| phase | fault | requests | req/s | p99 ms | http errors | socket errors |"]
        lines[-1] += " server tracebacks | Redis warnings | new workers |"
        lines.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for phase in faults["phases"]:
            lines.append(
                f"| {phase['phase']} | {phase['fault']} | {phase['requests']} | "
                f"{phase['rps']:.1f} | "
                f"{phase['p99_ms']:.0f} | {phase['http_errors']} | {phase['socket_errors']} | "
                f"{phase['tracebacks']} | {phase['redis_warnings']} | {phase['worker_restarts']} |"
            )
        lines += ["", f"Recovered without a restart: {'yes' if faults['recovered'] else 'NO'}."]
    return "\n".join(lines)


def main() -> int:
    wrk_ensure()
    redis_url = os.environ.get("LOADTEST_REDIS_URL", "redis://127.0.0.1:6379/8")
    redis_ensure(redis_url)
    out = BASE_DIR / "loadtest.json"
    environment = dict(os.environ, BENCH_REDIS_URL=redis_url, BENCH_FAULTS="1")
    environment["BENCH_LOAD_JSON"] = str(out)
    seconds = os.environ.get("LOADTEST_SECONDS", "5")
    command = [sys.executable, str(BASE_DIR / "scripts" / "bench.py"), "--load", "--keep"]
    command += [f"--duration={seconds}", *sys.argv[1:]]
    print("+", " ".join(command), flush=True)
    subprocess.run(command, env=environment, check=True)
    outcome = json.loads(out.read_text(encoding="utf-8"))
    print("\n" + markdown(outcome))
    print(
        f"\n1-minute load average: {outcome['setup']['load'][0]:.1f} -> "
        f"{outcome['setup']['load'][1]:.1f}; figures in {out}"
    )
    failed = [
        name
        for name, page in outcome["pages"].items()
        if page["http_errors"] or page["socket_errors"] or page["tracebacks"]
    ]
    if failed:
        print(f"FAIL: errors on {', '.join(failed)}")
    return 1 if failed or not outcome.get("faults", {}).get("recovered") else 0


if __name__ == "__main__":
    sys.exit(main())
