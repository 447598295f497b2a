"""Write the second acceptance spreadsheet: 320 fictional organisations in everyday wording.

The sheet a new coordinator brings (issue 12): column headers as offices write them
("Naam organisatie", "Type", "Adres", "Nr.", "Woonplaats", "Telefoonnummer", "E-mailadres",
"Internet", "Expertises", "Toelichting"), kinds in everyday words ("Huisartsenpraktijk",
"Vrijwilligers (VPTZ)", "PaTz", "CPT", "GGZ") and expertise as abbreviations and synonyms
("EPA", "LVB", "NAH", "GGZ", "methadon", "rouwbegeleiding"), separated by commas or semicolons,
with empty cells. Every row must import: no row is rejected. Windows-1252, semicolons, CRLF.
Postcodes, phone numbers and names come from the reference sheet's generator; deterministic.

    .venv/bin/python tests/data/make_everyday_spreadsheet.py
"""

import csv
import io
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_reference_spreadsheet import (  # noqa: E402
    NAMES,
    STREETS,
    phone,
    postcode,
    postcode_areas,
)

OUTPUT = HERE / "everyday_organisations.csv"
COUNT = 320

HEADERS = [
    "Naam organisatie",
    "Type",
    "Adres",
    "Nr.",
    "Postcode",
    "Woonplaats",
    "Telefoonnummer",
    "E-mailadres",
    "Internet",
    "Expertises",
    "Toelichting",
]
# (prefix of the name, the kind as the office writes it, the kind it means)
KINDS = [
    ("Huisartsenpraktijk", "Huisartsenpraktijk", "huisarts"),
    ("PaTz-groep", "PaTz", "huisarts"),
    ("VPTZ", "Vrijwilligers (VPTZ)", "vptz"),
    ("Vrijwilligers", "vrijwilligers", "vptz"),
    ("GGZ", "GGZ", "ggz"),
    ("Hospice", "hospice", "hospice"),
    ("Thuiszorg", "Wijkverpleging", "thuiszorg"),
    ("Palliatief team", "CPT", "consultatieteam"),
    ("Verpleeghuis", "verpleeghuis", "verpleeghuis"),
    ("Opvang", "Maatschappelijke opvang", "opvang"),
    ("Verslavingszorg", "Verslavingszorg", "verslavingszorg"),
]
# (as written, the tag's name)
EXPERTISE = [
    ("EPA", "Ernstige psychiatrische aandoening (EPA)"),
    ("LVB", "Verstandelijke beperking"),
    ("NAH", "Niet-aangeboren hersenletsel (NAH)"),
    ("GGZ", "Psychiatrie"),
    ("verslaving", "Verslaving"),
    ("methadon", "Opiaatvervanging"),
    ("palliatieve zorg", "Palliatieve zorg"),
    ("Dementie", "Dementie"),
    ("korsakov", "Korsakov"),
    ("rouwbegeleiding", "Rouw en verlies"),
    ("Geestelijke verzorging", "Zingeving"),
    ("daklozen", "Dak- en thuisloosheid"),
    ("suïcidaliteit", "Suïcidepreventie"),
    ("pijn", "Pijnbestrijding"),
    ("onbegrepen gedrag", "Onbegrepen gedrag"),
]


def expertise_cell(rng: random.Random) -> str:
    chosen = rng.sample(EXPERTISE, rng.choice([0, 1, 2, 2, 3]))
    separator = rng.choice([", ", ",", "; "])
    return separator.join(written for written, _name in chosen)


def rows(rng: random.Random) -> list[list[str]]:
    areas = postcode_areas()
    seen, result = set(), []
    while len(result) < COUNT:
        pc4, place = rng.choice(areas)
        prefix, kind, _value = rng.choice(KINDS)
        name = f"{prefix} {rng.choice(NAMES)} {place}"
        if name.casefold() in seen:
            continue
        seen.add(name.casefold())
        domain = "".join(ch for ch in name.lower() if ch.isascii() and ch.isalnum())[:40]
        result.append(
            [
                name,
                kind,
                rng.choice(STREETS),
                str(rng.randint(1, 250)),
                postcode(rng, pc4),
                place,
                phone(rng),
                rng.choice([f"info@{domain}.nl", f"secretariaat@{domain}.nl", ""]),
                rng.choice([f"www.{domain}.nl", f"{domain}.nl", ""]),
                expertise_cell(rng),
                rng.choice(["", "Ook in het weekend.", "Vraag naar de dienstdoende collega."]),
            ]
        )
    return result


def spreadsheet_bytes() -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows(rows(random.Random(12)))
    return text.getvalue().encode("cp1252")


if __name__ == "__main__":
    OUTPUT.write_bytes(spreadsheet_bytes())
    print(f"{OUTPUT}: {COUNT} organisations")
