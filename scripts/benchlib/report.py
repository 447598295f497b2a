"""The results as console text and as docs/benchmarks.md: one table per database, the targets
as PASS/FAIL lines, the load table. Everything after MARKER in an existing file is kept."""

import os
import platform
from datetime import datetime
from pathlib import Path

from benchlib import SIZES, cpu_model, memory_gb
from benchlib.load import PAGES as LOAD_PAGES
from benchlib.load import TARGET_PAGES as LOAD_TARGET_PAGES
from benchlib.load import TARGET_RATIO
from benchlib.pages import PAGES, SEARCHES

MARKER = "<!-- sections below are not generated -->"
COLD_TARGET_PAGES = [f"search_{s}_cold" for s in SEARCHES] + [
    "organisation",
    "who_to_call",
    "place_finder",
]
GZIP_LIMIT = 1_000_000
# Django skips a prefetch of nothing: a search result with a consultation line adds its 2 schedule
# prefetches; Wie bel ik nu? for 3511 finds no line in the 100-organisation network, so the
# query for the lines and its 3 prefetches (schedules, exceptions, expertise) are skipped there.
QUERY_SLACK = {"who_to_call": 4}
DEFAULT_QUERY_SLACK = 2


def verdict(passed: bool) -> str:
    return "PASS" if passed else "FAIL"


def pages_of(sizes: dict, size: str) -> dict:
    return sizes.get(size, {}).get("pages", {})


def ok(page: dict) -> bool:
    return bool(page) and "error" not in page


def ratio_to_minimal(sizes, size, name) -> float | None:
    page, floor = pages_of(sizes, size).get(name, {}), pages_of(sizes, size).get("minimal", {})
    return page["median_ms"] / floor["median_ms"] if ok(page) and ok(floor) else None


def targets(sizes: dict) -> list[tuple[bool, str]]:
    """(a)-(e) of issue 11 for one database, as (passed, text)."""
    checks = []

    def both(name, limit, what):
        small, large = (ratio_to_minimal(sizes, size, name) for size in SIZES)
        if small is None or large is None:
            return checks.append((False, f"{what} {name}: not measured"))
        passed = small <= limit and large <= limit
        text = f"{name}: {small:.1f}x (100) / {large:.1f}x (10,000) the minimal view"
        checks.append((passed, f"({what}) {text}, target <= {limit}x"))

    for name in COLD_TARGET_PAGES:
        both(name, 15, "a")
    for name in (f"search_{s}" for s in SEARCHES):
        both(name, 10, "b")
    for name in [f"search_{s}{cold}" for cold in ("", "_cold") for s in SEARCHES]:
        small, large = (pages_of(sizes, size).get(name, {}) for size in SIZES)
        if ok(small) and ok(large):
            growth = large["median_ms"] / small["median_ms"]
            text = f"{large['median_ms']:.2f} ms / {small['median_ms']:.2f} ms = {growth:.2f}"
            checks.append((growth <= 2, f"(c) {name}: 10,000 / 100 organisations {text}, <= 2"))
    whole = pages_of(sizes, "large").get("geojson_build", {})
    if ok(whole):
        size = f"{whole['gzip_bytes']:,} bytes gzipped ({whole.get('features', 0):,} features)"
        checks.append((whole["gzip_bytes"] < GZIP_LIMIT, f"(d) whole map: {size}, < 1 MB"))
    grown = []
    for name in PAGES:
        small, large = (pages_of(sizes, size).get(name, {}) for size in SIZES)
        slack = QUERY_SLACK.get(name, DEFAULT_QUERY_SLACK)
        if ok(small) and ok(large) and large["queries"] > small["queries"] + slack:
            grown.append(f"{name} {small['queries']} -> {large['queries']}")
    text = "(e) query counts do not grow from 100 to 10,000 organisations"
    text += f" (at most +{DEFAULT_QUERY_SLACK}, Wie bel ik nu? +4: prefetches of nothing skipped)"
    checks.append((not grown, text + (f"; they grow for {', '.join(grown)}" if grown else "")))
    return checks


def page_rows(sizes: dict) -> list[list[str]]:
    rows = []
    for name, (label, *_rest) in PAGES.items():
        small, large = (pages_of(sizes, size).get(name, {}) for size in SIZES)
        if not (ok(small) and ok(large)):
            error = large.get("error") or small.get("error") or "not measured"
            rows.append([label, f"failed: {error}"] + [""] * 7)
            continue
        x_small, x_large = (ratio_to_minimal(sizes, size, name) for size in SIZES)
        gzip = f"{large['gzip_bytes']:,}" + ("" if large["served_gzip"] else "*")
        rows.append(
            [
                label,
                f"{small['median_ms']:.2f}",
                f"{large['median_ms']:.2f}",
                f"{large['p95_ms']:.2f}",
                f"{large['cpu_ms']:.2f}",
                f"{x_small:.1f} / {x_large:.1f}",
                f"{large['median_ms'] / small['median_ms']:.2f}",
                f"{small['queries']} / {large['queries']}",
                f"{large['bytes']:,} ({gzip})",
            ]
        )
    return rows


PAGE_HEADER = [
    "page",
    "ms 100",
    "ms 10k",
    "p95 ms 10k",
    "cpu ms 10k",
    "x minimal 100 / 10k",
    "10k / 100",
    "queries 100 / 10k",
    "bytes 10k (gzip)",
]
LOAD_HEADER = ["page", "req/s", "p50 ms", "p99 ms", "errors HTTP / socket / server", "x floor"]


def load_floor(load: dict) -> float:
    pages = load["pages"]
    return (pages["privacy"]["rps"] + pages["privacy_last"]["rps"]) / 2


def load_rows(load: dict) -> list[list[str]]:
    floor = load_floor(load)
    return [
        [
            LOAD_PAGES[name],
            f"{page['rps']:.1f}" + ("" if page["requests"] else " (none answered in time)"),
            f"{page['p50_ms']:.0f}" if page["requests"] else "-",
            f"{page['p99_ms']:.0f}" if page["requests"] else "-",
            f"{page['http_errors']} / {page['socket_errors']} / "
            f"{page['tracebacks'] + page['worker_timeouts']}"
            + ("" if page["first_status"] == 200 else f" (first answer {page['first_status']})"),
            f"{page['rps'] / floor:.2f}",
        ]
        for name, page in load["pages"].items()
    ]


def load_targets(load: dict) -> list[tuple[bool, str]]:
    floor, pages = load_floor(load), load["pages"]
    checks = [
        (
            pages[name]["rps"] / floor >= TARGET_RATIO,
            f"{name}: {pages[name]['rps']:.1f} req/s = {pages[name]['rps'] / floor:.2f} of the "
            f"floor's {floor:.1f}, target >= {TARGET_RATIO}",
        )
        for name in LOAD_TARGET_PAGES
    ]
    errors = sum(p["http_errors"] + p["socket_errors"] for p in pages.values())
    server = sum(p["tracebacks"] + p["worker_timeouts"] for p in pages.values())
    wrong = [name for name, p in pages.items() if p["first_status"] != 200]
    text = f"errors: {errors} HTTP/socket errors, {server} server tracebacks or worker timeouts"
    text += (f", first answer not 200: {', '.join(wrong)}" if wrong else "") + ", target 0"
    checks.append((errors == 0 and server == 0 and not wrong, text))
    return checks


def markdown_table(header: list[str], rows: list[list[str]]) -> list[str]:
    return [
        "| " + " | ".join(header) + " |",
        "|---" + "|---:" * (len(header) - 1) + "|",
        *("| " + " | ".join(row) + " |" for row in rows),
    ]


def console_table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    return [
        "  "
        + "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in [header, *rows]
    ]


def sections(results: dict, load: dict | None, skipped: dict, table) -> list[str]:
    """The per-database and load sections, with `table` making the tables."""
    out = []
    for sizes in results.values():
        large = sizes["large"]
        loads = " / ".join(
            f"{sizes[s]['load_before'][0]:.1f} -> {sizes[s]['load_after'][0]:.1f}" for s in SIZES
        )
        seeded = large.get("seeding")
        out += [
            "",
            f"## In-process: {large['server_version']}",
            "",
            "Data at 10,000: " + ", ".join(f"{v:,} {k}" for k, v in large["counts"].items()) + ".",
            f"Seeding took {seeded['bulk_create']} s, the search documents "
            f"{seeded['search_refresh']} s."
            if seeded
            else "Data reused with --keep.",
            f"1-minute load average while measuring (100 / 10,000): {loads}, "
            f"on {os.cpu_count()} cores.",
            "",
            *table(PAGE_HEADER, page_rows(sizes)),
            "",
            "Targets (issue 11):",
            "",
            *(f"- **{verdict(p)}** {text}" for p, text in targets(sizes)),
        ]
    if load and "skipped" not in load:
        s = load["setup"]
        out += [
            "",
            "## Under load: gunicorn + wrk, PostgreSQL, 10,000 organisations",
            "",
            f"{s['workers']} gunicorn workers, {s['wrk']} with {s['threads']} threads and "
            f"{s['connections']} connections, {s['duration_s']} s per page, on the same "
            f"{os.cpu_count()} cores; 1-minute load average {s['load'][0]:.1f} before, "
            f"{s['load'][1]:.1f} after.",
            "",
            *table(LOAD_HEADER, load_rows(load)),
            "",
            f"Targets (issue 11, 18): >= {TARGET_RATIO} of the floor, 0 errors:",
            "",
            *(f"- **{verdict(p)}** {text}" for p, text in load_targets(load)),
        ]
    elif load:
        out += ["", "## Under load", "", f"SKIPPED: {load['skipped']}."]
    for what, why in skipped.items():
        out += ["", f"## {what}", "", f"SKIPPED: {why}."]
    return out


def console(results: dict, load: dict | None, skipped: dict) -> str:
    return "\n".join(sections(results, load, skipped, console_table))


METHOD = """\
## Method

- **Data**: a bench database per size (100 and 10,000 organisations; SQLite `bench.sqlite3`,
  PostgreSQL `expertisekaart_bench`, each with `_small`/`.small`), filled by a deterministic
  generator (`scripts/benchlib/seed.py`): per organisation 2 locations, 5 contacts, 1-4 expertise
  tags, places, and 3 consultation lines per 100 organisations, over all PC4 areas.
- **In-process**: Django's test client through the whole middleware stack with production
  settings; median of {repeat} timed requests after warm-up (200 for the minimal view, 5 for the
  CSV). "cpu ms": the bench process's own CPU time (without PostgreSQL's work), which other work
  on the machine does not inflate. Queries counted in one more request. *Minimal view*:
  `HttpResponse('ok')` behind the same middleware, the floor of "x minimal". *Cached*: the same
  question again. *Uncached*: `cache.clear()` before every request. *After a data change*: the
  published version raised before every request, so the whole map is built. gzip marked * is
  what a compressing proxy would send; the app sends HTML uncompressed.
- **Under load**: `--load` starts a fresh gunicorn per page with production settings
  (`gunicorn.conf.py`, DEBUG off, 3 workers, `X-Forwarded-Proto: https` as from the TLS proxy) on
  the 10,000 PostgreSQL database and drives it with wrk; "per request" pages ask a question no
  cache holds. "x floor": req/s over the mean req/s of `/privacy/`, run first and last. Errors:
  HTTP status >= 400, socket errors and timeouts (30 s), server tracebacks and worker timeouts.
- The machine is shared with other work: compare ratios within one run, not across runs.
"""


def markdown(results, load, skipped, *, repeat: int, command: str, preserved: str) -> str:
    import django

    versions = sorted({s["large"]["server_version"] for s in results.values()})
    out = [
        "# Benchmarks",
        "",
        f"Generated by `{command}` (`scripts/bench.py`); edit only below the marker at the end.",
        "",
        METHOD.format(repeat=repeat).rstrip(),
        "",
        "## Machine",
        "",
        f"{os.cpu_count()} cores ({cpu_model()}), {memory_gb()} GB, {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}, Django {django.get_version()}"
        + "".join(f", {v}" for v in versions)
        + f"; run on {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}.",
        *sections(results, load, skipped, markdown_table),
        "",
        MARKER,
    ]
    return "\n".join(out) + "\n" + preserved


def preserved_part(path: Path) -> str:
    """What others wrote below the marker of an existing file."""
    if not path.exists():
        return ""
    _generated, found, rest = path.read_text(encoding="utf-8").partition(MARKER + "\n")
    return rest if found else ""
