"""/open-data/ tells what is published, under which licence and with which attribution, with curl
examples; `manage.py export_open_data` writes the dated downloads it offers: HSDS tabular (one CSV
per table with datapackage.json, in a ZIP) and one JSON, with only what the API publishes."""

import csv
import io
import json
import zipfile
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.test_open_data_api import (  # noqa: F401 (fixtures)
    assert_nothing_secret,
    assert_valid,
    expertise,
    network,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def export_dir(settings, tmp_path):
    settings.OPEN_DATA_EXPORT_DIR = tmp_path / "open-data"
    return settings.OPEN_DATA_EXPORT_DIR


def test_the_page_says_what_is_published_the_licence_and_the_attribution(
    client, export_dir, settings, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        response = client.get("/open-data/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "HSDS" in page and "CC BY 4.0" in page
    assert "https://creativecommons.org/licenses/by/4.0/deed.nl" in page
    assert "© GeoNames (CC BY 4.0)" in page and "CBS Gebiedsindelingen 2025" in page
    assert "curl http://testserver/api/v1/" in page
    assert "Er is nog geen download gemaakt." in page
    settings.OPEN_DATA_LICENCE_NAME = "CC0 1.0"
    settings.OPEN_DATA_LICENCE_URL = "https://creativecommons.org/publicdomain/zero/1.0/deed.nl"
    page = client.get("/open-data/").content.decode()
    assert "CC0 1.0" in page and "publicdomain/zero" in page
    assert client.get("/en/open-data/").status_code == 200


def test_export_writes_tabular_hsds_and_json_and_the_page_offers_them(
    client,
    network,  # noqa: F811 (the fixture imported above)
    export_dir,
):
    out = StringIO()
    call_command("export_open_data", stdout=out)
    day = timezone.localdate().isoformat()
    assert f"expertisekaart-hsds-{day}.zip" in out.getvalue()

    document = json.loads((export_dir / f"expertisekaart-hsds-{day}.json").read_text())
    assert_nothing_secret(document)
    for organisation in document["organizations"]:
        assert_valid(organisation, "organization")
    for service in document["services"]:
        assert_valid(service, "service")
    assert {s["name"] for s in document["services"]} == {"Consultatie palliatieve zorg", "Hospice"}

    with zipfile.ZipFile(export_dir / f"expertisekaart-hsds-{day}.zip") as archive:
        package = json.loads(archive.read("datapackage.json"))
        names = set(archive.namelist())
        assert {r["path"] for r in package["resources"]} | {"datapackage.json"} == names
        tables = {
            r["name"]: list(csv.DictReader(io.StringIO(archive.read(r["path"]).decode())))
            for r in package["resources"]
        }
        for resource in package["resources"]:
            header = archive.read(resource["path"]).decode().splitlines()[0].split(",")
            assert header == [field["name"] for field in resource["schema"]["fields"]]
    assert_nothing_secret(tables)
    expected = {
        "organizations",
        "services",
        "locations",
        "phones",
        "schedules",
        "contacts",
        "service_at_locations",
        "service_areas",
        "attributes",
        "taxonomy_terms",
    }
    assert expected <= set(tables)
    (organisation,) = tables["organizations"]
    assert organisation["id"] == str(network.uuid)
    line_phones = [p for p in tables["phones"] if p.get("service_id")]
    assert [p["number"] for p in line_phones] == ["+31301234567"]
    assert package["licenses"][0]["name"] == "CC BY 4.0"

    page = client.get("/open-data/").content.decode()
    zip_url = f"/open-data/downloads/expertisekaart-hsds-{day}.zip"
    assert zip_url in page
    download = client.get(zip_url)
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    assert client.get("/open-data/downloads/..%2Fsettings.py").status_code == 404
    assert client.get("/open-data/downloads/expertisekaart-hsds-1999-01-01.zip").status_code == 404


def test_export_keeps_the_newest_days(network, export_dir, settings):  # noqa: F811
    settings.OPEN_DATA_EXPORTS_KEPT = 2
    export_dir.mkdir(parents=True)
    for day in ("2026-01-01", "2026-01-02", "2026-01-03"):
        (export_dir / f"expertisekaart-hsds-{day}.json").write_text("{}")
    (export_dir / "iets-anders.txt").write_text("blijft")
    call_command("export_open_data", stdout=StringIO())
    left = sorted(path.name for path in export_dir.iterdir())
    today = timezone.localdate().isoformat()
    assert left == sorted(
        [
            "expertisekaart-hsds-2026-01-03.json",
            f"expertisekaart-hsds-{today}.json",
            f"expertisekaart-hsds-{today}.zip",
            "iets-anders.txt",
        ]
    )
