"""Reference and demo data load completely and can be loaded again without changing anything."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from netwerk.consultation.lines import ConsultationLine, ScheduleRow
from netwerk.demo import demo_data_load
from netwerk.directory.contacts import Contact
from netwerk.directory.locations import Location
from netwerk.directory.organisations import Organisation
from netwerk.places.places import CareSetting, Place
from netwerk.reference.geography import Municipality, PostcodeArea, Region
from netwerk.reference.loaders import reference_data_load

pytestmark = pytest.mark.django_db

DOMAIN_MODELS = [Region, Organisation, Location, Contact, Place, ConsultationLine, ScheduleRow]


def counts(models):
    return {model.__name__: model.objects.count() for model in models}


def test_reference_data_holds_every_municipality_and_pc4():
    assert Municipality.objects.count() == 342
    assert PostcodeArea.objects.count() == 4086
    assert PostcodeArea.objects.get(pc4="3511").municipality.name == "Utrecht"
    assert Municipality.objects.get(code="GM0518").name == "'s-Gravenhage"


def test_reference_data_loads_again_without_change():
    before = list(
        PostcodeArea.objects.order_by("pc4").values_list("pc4", "latitude", "municipality")
    )
    assert reference_data_load().skipped
    reference_data_load(force=True)
    after = list(
        PostcodeArea.objects.order_by("pc4").values_list("pc4", "latitude", "municipality")
    )
    assert before == after


def test_demo_region_shows_every_part_of_the_design():
    demo_data_load()
    assert Organisation.objects.count() >= 40
    assert Location.objects.values("municipality").distinct().count() >= 10
    assert set(Place.objects.values_list("setting", flat=True)) == set(CareSetting.values)
    assert ConsultationLine.objects.filter(is_always_open=True, purpose="crisis").exists()
    assert not Location.objects.filter(latitude__isnull=True).exists()


def test_demo_data_loads_again_without_duplicates():
    demo_data_load()
    before = counts(DOMAIN_MODELS)
    assert demo_data_load() is False
    assert demo_data_load(force=True) is True
    assert counts(DOMAIN_MODELS) == before


def test_management_commands_report_what_they_did(capsys):
    call_command("load_reference_data")
    call_command("load_demo_data")
    call_command("load_demo_data")
    output = capsys.readouterr().out
    assert "Reference data already up to date: 342 municipalities, 4086 postcode areas;" in output
    assert "Demo data loaded" in output and "Demo data already present" in output


def test_every_panel_of_the_coordinators_start_page_has_work_in_the_demo(client):
    """`make run` shows a start page with something in every panel (issue 13)."""
    call_command("load_demo_data")
    coordinator = User.objects.create_user("demo-coordinator", is_staff=True)
    Region.objects.get().coordinators.add(coordinator)
    client.force_login(coordinator)
    context = client.get("/beheer/").context
    empty = [task["label"] for task in context["to_do"] if task["count"] == 0]
    assert empty == []
    assert context["recent_changes"]
