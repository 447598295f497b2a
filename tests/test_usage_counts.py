"""Usage counters (issue 15): aggregated per month, kind, municipality, tag and hour of the
week; a question adds one to its bucket and stores nothing about who asked."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from netwerk.search.usage import QuestionKind, UsageCount, count_question

pytestmark = pytest.mark.django_db
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def test_questions_in_one_bucket_add_up_and_new_buckets_start_at_one():
    monday_nine = datetime(2026, 3, 2, 9, 15, tzinfo=AMSTERDAM)
    for _ in range(3):
        count_question(QuestionKind.SEARCH, tag_slug="verslaving", now=monday_nine)
    count_question(QuestionKind.SEARCH, now=monday_nine)
    count_question(
        QuestionKind.WHO_TO_CALL,
        municipality_code="GM0344",
        now=datetime(2026, 3, 8, 23, 59, tzinfo=AMSTERDAM),
    )
    rows = {
        (row.kind, row.municipality_code, row.tag_slug, row.hour_of_week, str(row.month)): row.count
        for row in UsageCount.objects.all()
    }
    assert rows == {
        ("search", "", "verslaving", 9, "2026-03-01"): 3,
        ("search", "", "", 9, "2026-03-01"): 1,
        ("who_to_call", "GM0344", "", 6 * 24 + 23, "2026-03-01"): 1,
    }


def test_a_counted_question_is_one_update_once_its_bucket_exists(django_assert_num_queries):
    now = datetime(2026, 3, 2, 9, 0, tzinfo=AMSTERDAM)
    count_question(QuestionKind.PLACE_FINDER, now=now)
    with django_assert_num_queries(1):
        count_question(QuestionKind.PLACE_FINDER, now=now)


def test_the_counters_hold_no_personal_data():
    names = {field.name for field in UsageCount._meta.get_fields()}
    assert names == {
        "id",
        "month",
        "kind",
        "municipality_code",
        "tag_slug",
        "hour_of_week",
        "count",
    }
