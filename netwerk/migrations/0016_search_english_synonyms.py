"""English synonyms for the shipped expertise tags (issue 14), for installations whose tags were
loaded before fixtures/expertise_tags.csv had them: `expertise_tags_load` leaves existing tags as
the administrators keep them, so the words are added here, to tags still under their shipped
slug, and only the words a tag does not have yet. Run `manage.py refresh_search` afterwards so the
search documents hold them."""

from django.db import migrations

ENGLISH = {
    "psychiatrie": "psychiatry, mental health, mental illness",
    "ernstige-psychiatrische-aandoening-epa": "severe mental illness, SMI",
    "suicidepreventie": "suicide prevention, suicidality",
    "psychiatrische-crisis": "psychiatric crisis, crisis service",
    "verslaving": "addiction, substance use, dependence, addiction care",
    "opiaatvervanging": "opioid substitution, methadone, buprenorphine",
    "korsakov": "Korsakoff, alcohol-related brain damage",
    "palliatieve-zorg": "palliative care, end of life, terminal care",
    "palliatieve-sedatie": "palliative sedation, sedation",
    "pijnbestrijding": "pain relief, pain, symptom control",
    "dementie": "dementia, memory problems",
    "niet-aangeboren-hersenletsel-nah": "acquired brain injury, brain injury, stroke",
    "onbegrepen-gedrag": "challenging behaviour, behavioural problems, aggression",
    "zingeving": "spiritual care, meaning, chaplaincy",
    "rouw-en-verlies": "grief, bereavement, loss",
    "verstandelijke-beperking": "intellectual disability, learning disability",
    "dak-en-thuisloosheid": "homelessness, homeless, shelter",
}


def add_english_synonyms(apps, schema_editor):
    ExpertiseTag = apps.get_model("netwerk", "ExpertiseTag")
    for tag in ExpertiseTag.objects.filter(slug__in=ENGLISH):
        have = {word.strip().casefold() for word in tag.synonyms.replace(",", "\n").splitlines()}
        new = [w.strip() for w in ENGLISH[tag.slug].split(",") if w.strip().casefold() not in have]
        if new:
            tag.synonyms = ", ".join(filter(None, [tag.synonyms.strip(), *new]))
            tag.save(update_fields=["synonyms"])


class Migration(migrations.Migration):
    dependencies = [("netwerk", "0015_usagecount")]

    operations = [migrations.RunPython(add_english_synonyms, migrations.RunPython.noop)]
