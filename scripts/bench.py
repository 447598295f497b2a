"""`make bench`: server time of the public pages on a large network, in-process on SQLite and
PostgreSQL, and under load through gunicorn with production settings.

    python scripts/bench.py [--in-process] [--load] [--database sqlite|postgres|both]
                            [--repeat N] [--duration S] [--connections N] [--threads N]
                            [--keep] [--write docs/benchmarks.md]

Without --in-process or --load it does both. The in-process part runs one child process per
database and size (100 and 10,000 organisations), each in its own bench database; the load part
runs gunicorn and wrk on the 10,000-organisation PostgreSQL database. --keep reuses databases
seeded by an earlier run with the same generator (scripts/benchlib/seed.py, DATA_VERSION).
--write replaces the generated part of the file and keeps what follows its last line
(`<!-- sections below are not generated -->`). Parts: scripts/benchlib/.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchlib import BASE_DIR, SIZES, report
from benchlib.child import database_urls, postgres_problem
from benchlib.load import INSTALL_WRK


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--in-process", action="store_true", help="time the pages in-process")
    parser.add_argument("--load", action="store_true", help="the load run (gunicorn + wrk)")
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=15, help="timed requests per page")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per page")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--keep", action="store_true", help="reuse seeded bench databases")
    parser.add_argument("--write", metavar="PATH", help="write the results as Markdown")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # internal: "<database>:<size>"
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--static-root", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        from benchlib import child

        return child.main(args)

    started = time.perf_counter()
    in_process = args.in_process or not args.load
    under_load = args.load or not args.in_process
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    results, skipped, load = {}, {}, None
    static_root = tempfile.mkdtemp(prefix="expertisekaart-bench-static-")
    try:
        for database in databases if in_process else []:
            urls = database_urls(database)
            if problem := database == "postgres" and postgres_problem(urls["large"]):
                skipped["PostgreSQL"] = problem
                print(f"\nSKIPPED: PostgreSQL, because {problem}", flush=True)
                continue
            results[database] = {
                size: run_child(args, database, size, urls[size], static_root) for size in SIZES
            }
        if under_load:
            url = database_urls("postgres")["large"]
            if not shutil.which("wrk"):
                skipped["Under load"] = INSTALL_WRK
                print(f"\nSKIPPED: the load run, because {INSTALL_WRK}", flush=True)
            elif problem := postgres_problem(url):
                skipped["Under load"] = problem
            else:
                load = run_child(args, "postgres", "large", url, static_root, load=True)["load"]
    finally:
        shutil.rmtree(static_root, ignore_errors=True)

    print(report.console(results, load, skipped), flush=True)
    if args.write:
        path = Path(args.write) if Path(args.write).is_absolute() else BASE_DIR / args.write
        command = " ".join(["python scripts/bench.py", *sys.argv[1:]])
        text = report.markdown(
            results,
            load,
            skipped,
            repeat=args.repeat,
            command=command,
            preserved=report.preserved_part(path),
        )
        path.write_text(text, encoding="utf-8")
        print(f"Written to {path}")
    print(f"Whole run: {time.perf_counter() - started:.0f} s")
    return 0


def run_child(args, database: str, size: str, url: str, static_root: str, load=False) -> dict:
    what = "load run" if load else "in-process"
    print(f"\n=== {database}, {SIZES[size]:,} organisations, {what} ===", flush=True)
    handle, out = tempfile.mkstemp(suffix=".json")
    os.close(handle)
    command = [
        sys.executable,
        __file__,
        f"--child={database}:{size}",
        f"--url={url}",
        f"--out={out}",
        f"--static-root={static_root}",
        f"--repeat={args.repeat}",
        f"--duration={args.duration}",
        f"--connections={args.connections}",
        f"--threads={args.threads}",
    ]
    command += ["--keep"] * args.keep + ["--load"] * load
    try:
        completed = subprocess.run(command, env=child_environment(url), check=False)
        if completed.returncode != 0:
            raise SystemExit(
                f"The {database} {what} ({size}) failed (exit {completed.returncode})."
            )
        return json.loads(Path(out).read_text(encoding="utf-8"))
    finally:
        Path(out).unlink(missing_ok=True)


def child_environment(url: str) -> dict[str, str]:
    """Production settings (DEBUG off, manifest static files, https) on the bench database."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="expertisekaart.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="bench-only-" + "x" * 50,
        DJANGO_ALLOWED_HOSTS="testserver",
        DATABASE_URL=url,
        DJANGO_LOG_LEVEL="ERROR",
        PYTHONHASHSEED="0",
    )
    env.pop("REDIS_URL", None)  # the in-process cache, the default without Redis
    return env


if __name__ == "__main__":
    sys.exit(main())
