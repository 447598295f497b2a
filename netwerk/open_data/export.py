"""The dated downloads: the whole published directory on one day, as HSDS tabular data (a ZIP of
one CSV per table with a `datapackage.json`) and as one JSON document.

`manage.py export_open_data` writes both into `OPEN_DATA_EXPORT_DIR` (nightly, from cron), named by
the day, and keeps the newest `OPEN_DATA_EXPORTS_KEPT`; /open-data/ offers what is there. The
content is exactly what the API publishes (the same mapping, the same querysets).
"""

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import override

from netwerk.open_data import api, hsds, queries
from netwerk.open_data.hsds import Context
from netwerk.open_data.parameters import Question

PREFIX = "expertisekaart-hsds-"
NAME_RE = re.compile(rf"^{PREFIX}(\d{{4}}-\d{{2}}-\d{{2}})\.(json|zip)$")
BATCH = 500
# The nested arrays that become tables of their own in the tabular form (HSDS table names).
NESTED_TABLES = {
    "phones": "phones",
    "contacts": "contacts",
    "locations": "locations",
    "addresses": "addresses",
    "schedules": "schedules",
    "service_areas": "service_areas",
    "service_at_locations": "service_at_locations",
    "attributes": "attributes",
}
# Nested objects that are published in a table of their own already.
NESTED_ELSEWHERE = {"organization", "location", "taxonomy_term", "taxonomy_detail", "services"}


def directory_document(context: Context) -> dict:
    """The whole published directory: organisations (full), services (full), taxonomies and
    terms, in batches so that memory stays bounded by the output itself."""
    organisation_ids = list(queries.organisations_for(Question()).values_list("pk", flat=True))
    organisations = []
    for start in range(0, len(organisation_ids), BATCH):
        batch = queries.organisations_detailed(organisation_ids[start : start + BATCH])
        organisations += [hsds.organisation_dict(o, context) for o in batch]
    keys = queries.service_keys(Question())
    services = []
    for start in range(0, len(keys), BATCH):
        batch = queries.services_detailed(keys[start : start + BATCH])
        services += [
            api.service_dict(service, context, with_organisation=False) for service in batch
        ]
    return {
        "hsds_version": hsds.HSDS_VERSION,
        "created": context.now.isoformat(timespec="seconds"),
        "publisher": api.publisher(context),
        "license": {
            "name": settings.OPEN_DATA_LICENCE_NAME,
            "path": settings.OPEN_DATA_LICENCE_URL,
        },
        "organizations": organisations,
        "services": services,
        "taxonomies": [hsds.taxonomy_dict(t) for t in queries.taxonomies_for(Question())],
        "taxonomy_terms": [hsds.term_dict(t) for t in queries.all_terms()],
    }


def tables_of(document: dict) -> dict[str, list[dict]]:
    """The document as HSDS tables: every object in the table of its kind, its nested arrays in
    theirs (linked by the ids the objects already carry), each object once."""
    tables: dict[str, dict[str, dict]] = {}

    def add(table: str, item: dict) -> None:
        row = {}
        for key, value in item.items():
            if key in NESTED_TABLES and isinstance(value, list):
                for child in value:
                    add(NESTED_TABLES[key], child)
            elif key in NESTED_ELSEWHERE:
                continue
            else:
                row[key] = value
        tables.setdefault(table, {}).setdefault(row["id"], row)

    for name, table in (
        ("organizations", "organizations"),
        ("services", "services"),
        ("taxonomies", "taxonomies"),
        ("taxonomy_terms", "taxonomy_terms"),
    ):
        tables.setdefault(table, {})
        for item in document[name]:
            add(table, item)
    return {table: list(rows.values()) for table, rows in tables.items()}


def csv_text(rows: list[dict]) -> tuple[str, list[str]]:
    fields = sorted({key for row in rows for key in row}, key=lambda key: (key != "id", key))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields or ["id"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue(), fields


def datapackage(day: date, schemas: dict[str, list[str]], created: str) -> dict:
    return {
        "name": f"expertisekaart-{day.isoformat()}",
        "title": f"{settings.NETWORK_NAME} – HSDS {hsds.HSDS_VERSION} ({day.isoformat()})",
        "profile": "tabular-data-package",
        "created": created,
        "licenses": [
            {"name": settings.OPEN_DATA_LICENCE_NAME, "path": settings.OPEN_DATA_LICENCE_URL}
        ],
        "resources": [
            {
                "name": table,
                "path": f"{table}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [{"name": name, "type": "string"} for name in fields],
                    "primaryKey": "id",
                },
            }
            for table, fields in sorted(schemas.items())
        ],
    }


def export(directory: Path | None = None, *, base_url: str | None = None) -> list[Path]:
    """Write today's JSON and ZIP into `directory`; remove the oldest beyond the number kept.
    Files are written under a temporary name and renamed, so a download never sees half a file."""
    directory = Path(directory or settings.OPEN_DATA_EXPORT_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    with override("nl"):
        context = Context(base_url=base_url or settings.SITE_URL)
        document = directory_document(context)
    day = timezone.localdate(context.now)
    json_path = directory / f"{PREFIX}{day.isoformat()}.json"
    zip_path = directory / f"{PREFIX}{day.isoformat()}.zip"
    _write(json_path, json.dumps(document, ensure_ascii=False, indent=1).encode())
    buffer = io.BytesIO()
    schemas = {}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table, rows in sorted(tables_of(document).items()):
            text, schemas[table] = csv_text(rows)
            archive.writestr(f"{table}.csv", text)
        package = datapackage(day, schemas, document["created"])
        archive.writestr("datapackage.json", json.dumps(package, ensure_ascii=False, indent=1))
    _write(zip_path, buffer.getvalue())
    _prune(directory)
    return [json_path, zip_path]


def _write(path: Path, content: bytes) -> None:
    partial = path.with_suffix(path.suffix + ".part")
    partial.write_bytes(content)
    partial.replace(path)


def _prune(directory: Path) -> None:
    days = sorted({snapshot.day for snapshot in _snapshots(directory)}, reverse=True)
    for snapshot in _snapshots(directory):
        if snapshot.day not in days[: settings.OPEN_DATA_EXPORTS_KEPT]:
            snapshot.path.unlink(missing_ok=True)


@dataclass(frozen=True)
class Snapshot:
    day: date
    kind: str  # "json" or "zip"
    path: Path

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def size(self) -> int:
        return self.path.stat().st_size


def _snapshots(directory: Path) -> list[Snapshot]:
    if not directory.is_dir():
        return []
    found = []
    for path in directory.iterdir():
        match = NAME_RE.match(path.name)
        if match:
            found.append(Snapshot(date.fromisoformat(match.group(1)), match.group(2), path))
    return sorted(found, key=lambda s: (s.day, s.kind), reverse=True)


def published_snapshots() -> list[dict]:
    """The downloads on offer, newest day first: {"day", "json", "zip"} (Snapshots or None)."""
    by_day: dict[date, dict] = {}
    for snapshot in _snapshots(Path(settings.OPEN_DATA_EXPORT_DIR)):
        by_day.setdefault(snapshot.day, {"day": snapshot.day, "json": None, "zip": None})
        by_day[snapshot.day][snapshot.kind] = snapshot
    return sorted(by_day.values(), key=lambda entry: entry["day"], reverse=True)


def snapshot_path(filename: str) -> Path | None:
    """The file of a download by its public name, or None (only our own names are served)."""
    if not NAME_RE.match(filename):
        return None
    path = Path(settings.OPEN_DATA_EXPORT_DIR) / filename
    return path if path.is_file() else None
