"""Coordinators edit a line's weekly schedule inline: overlaps are refused, a preview shows it."""

from datetime import time

import pytest
from django.urls import reverse

from netwerk.consultation.lines import ScheduleRow

pytestmark = pytest.mark.django_db


def change_url(line):
    return reverse("admin:netwerk_consultationline_change", args=[line.pk])


def form_data(line, rows):
    data = {
        "organisation": line.organisation_id,
        "name": line.name,
        "phone": "030 123 4567",
        "purpose": line.purpose,
        "audience": line.audience,
        "is_active": "on",
        "holiday_rule": line.holiday_rule,
        "schedule_rows-TOTAL_FORMS": len(rows),
        "schedule_rows-INITIAL_FORMS": 0,
        "exceptions-TOTAL_FORMS": 0,
        "exceptions-INITIAL_FORMS": 0,
    }
    for index, (weekday, opens, closes) in enumerate(rows):
        data |= {
            f"schedule_rows-{index}-weekday": weekday,
            f"schedule_rows-{index}-opens_at": opens,
            f"schedule_rows-{index}-closes_at": closes,
        }
    return data


@pytest.fixture
def line_without_rows(office_hours_line):
    office_hours_line.schedule_rows.all().delete()
    return office_hours_line


def test_overlapping_rows_are_refused_with_a_dutch_message(admin_client, line_without_rows):
    rows = [(0, "09:00", "12:00"), (0, "11:00", "13:00")]
    response = admin_client.post(change_url(line_without_rows), form_data(line_without_rows, rows))
    assert response.status_code == 200
    assert "Maandag 09:00–12:00 overlapt met maandag 11:00–13:00." in response.content.decode()
    assert not ScheduleRow.objects.filter(line=line_without_rows).exists()


def test_a_night_range_overlapping_the_next_morning_is_refused(admin_client, line_without_rows):
    rows = [(6, "22:00", "08:00"), (0, "07:00", "17:00")]
    response = admin_client.post(change_url(line_without_rows), form_data(line_without_rows, rows))
    assert "Zondag 22:00–08:00 overlapt met maandag 07:00–17:00." in response.content.decode()


def test_a_row_without_times_is_refused(admin_client, line_without_rows):
    response = admin_client.post(
        change_url(line_without_rows), form_data(line_without_rows, [(0, "", "")])
    )
    assert response.status_code == 200
    assert "Dit veld is verplicht." in response.content.decode()


def test_valid_rows_are_saved(admin_client, line_without_rows):
    rows = [(0, "09:00", "12:00"), (0, "13:00", "17:00"), (4, "17:00", "08:00")]
    response = admin_client.post(change_url(line_without_rows), form_data(line_without_rows, rows))
    assert response.status_code == 302
    assert line_without_rows.schedule_rows.count() == 3


def test_change_page_previews_the_coming_seven_days(admin_client, office_hours_line):
    html = admin_client.get(change_url(office_hours_line)).content.decode()
    assert "De komende 7 dagen" in html
    assert html.count("– 17:00") >= 4  # weekdays 09:00–17:00 within any 7-day window
    ScheduleRow.objects.filter(line=office_hours_line).delete()
    html = admin_client.get(change_url(office_hours_line)).content.decode()
    assert "Gesloten in de komende 7 dagen." in html


def test_schedule_row_reads_as_a_weekday_and_times():
    assert str(ScheduleRow(weekday=2, opens_at=time(8, 30), closes_at=time(17))) == (
        "woensdag 08:30–17:00"
    )


# --- Which areas a line serves: each coordinator their own (issue 10, finding 2). -----------------


def areas_form(client, line):
    page = client.get(change_url(line))
    assert page.status_code == 200
    return page.context["adminform"].form


def test_a_coordinator_may_make_a_line_serve_only_their_own_regions(
    client, coordinator, office_hours_line, region, region_b
):
    client.force_login(coordinator)
    form = areas_form(client, office_hours_line)
    assert list(form.fields["regions"].queryset) == [region]
    assert "Amsterdam" not in {m.name for m in form.fields["municipalities"].queryset}
    autocomplete = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "netwerk",
            "model_name": "consultationline",
            "field_name": "regions",
            "term": "",
        },
    ).json()
    assert [result["text"] for result in autocomplete["results"]] == [region.name]

    data = form_data(office_hours_line, []) | {"regions": [region.pk, region_b.pk]}
    response = client.post(change_url(office_hours_line), data)
    assert response.status_code == 200  # refused, with the reason on the form
    assert list(office_hours_line.regions.all()) == []


def test_another_regions_coordinator_sees_a_line_published_in_their_region_and_can_remove_it(
    client, coordinator_b, office_hours_line, region, region_b
):
    office_hours_line.regions.add(region, region_b)  # set by an administrator
    client.force_login(coordinator_b)
    changelist = client.get(reverse("admin:netwerk_consultationline_changelist"))
    assert office_hours_line in changelist.context["cl"].queryset
    form = areas_form(client, office_hours_line)
    # Only region B may be added or removed; what the line serves elsewhere stays.
    assert list(form.fields["regions"].queryset) == [region_b]
    assert "organisation" not in form.fields  # not theirs to move

    data = form_data(office_hours_line, []) | {"regions": []}
    del data["organisation"]
    response = client.post(change_url(office_hours_line), data)

    assert response.status_code == 302
    assert list(office_hours_line.regions.all()) == [region]
