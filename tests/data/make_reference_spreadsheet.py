"""Write the reference spreadsheet of the import acceptance test: 320 fictional organisations.

In the shape network coordinators keep them, as Dutch Excel saves "CSV (gescheiden door
lijstscheidingsteken)": semicolons, Windows-1252, CRLF, Dutch headers, phone numbers written the
many Dutch ways, postcodes with and without the space (some only the four digits). Every
organisation is fictional; the PC4 codes are real ones in the province of Utrecht, taken from
fixtures/nl_pc4_centroids.csv. Deterministic: running it again writes the same bytes.

    .venv/bin/python tests/data/make_reference_spreadsheet.py
"""

import csv
import io
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
PC4_CSV = HERE.parent.parent / "fixtures" / "nl_pc4_centroids.csv"
OUTPUT = HERE / "reference_organisations.csv"
COUNT = 320

HEADERS = [
    "Naam",
    "Soort",
    "Straat",
    "Huisnummer",
    "Postcode",
    "Plaats",
    "Telefoon",
    "E-mail",
    "Website",
    "Omschrijving",
]
# As coordinators write them: labels, lower case, or the short name.
KINDS = [
    ("Hospice", "Hospice"),
    ("GGZ", "GGZ-instelling"),
    ("Verslavingszorg", "verslavingszorg"),
    ("Thuiszorg", "Thuiszorg"),
    ("Huisartsenpraktijk", "huisarts"),
    ("Verpleeghuis", "Verpleeghuis"),
    ("Palliatief team", "Consultatieteam palliatieve zorg"),
    ("VPTZ", "vptz"),
    ("Opvang", "opvang"),
]
NAMES = [
    "De Linde",
    "Het Baken",
    "De Regenboog",
    "Zonnehuis",
    "De Vlinder",
    "Het Anker",
    "De Brug",
    "Rozenhof",
    "De Eik",
    "Het Gulden Vlies",
    "De Witte Hoeve",
    "Café Ontmoeting",
    "Ons Tweede Thuis",
    "De Kaarsvlam",
    "Oosterlicht",
    "Zeeuwse Stroom",
    "Het Lichtpunt",
    "De Overkant",
    "Crème de la Zorg",
    "Noordoever",
    "De Heuvelrug",
    "Zorgstroom",
    "De Eendracht",
    "’t Hofje",
    "De Kern",
    "Het Veer",
    "De Poort",
    "Rustpunt",
    "De Wilg",
    "Aan de Vecht",
    "Ëlan",
    "Het Wiel",
]
STREETS = [
    "Lindelaan",
    "Kerkstraat",
    "Dorpsstraat",
    "Stationsweg",
    "Julianalaan",
    "Molenweg",
    "Oudegracht",
    "Biltstraat",
    "Vleutenseweg",
    "Amersfoortseweg",
    "Prinses Irenelaan",
    "Burgemeester Reigerstraat",
    "Van Speijkstraat",
    "Hoofdstraat",
    "Ericaweg",
]
FORBIDDEN_LETTERS = {"SA", "SD", "SS"}


def postcode_areas() -> list[tuple[str, str]]:
    with PC4_CSV.open(encoding="utf-8") as file:
        return [
            (row["pc4"], row["place_names"].split("|")[0])
            for row in csv.DictReader(file)
            if row["province_name"] == "Utrecht"
        ]


def letters(rng: random.Random) -> str:
    while True:
        pair = "".join(rng.choice("ABCDEFGHJKLMNPRTVWXZ") for _ in range(2))
        if pair not in FORBIDDEN_LETTERS:
            return pair


def postcode(rng: random.Random, pc4: str) -> str:
    pair = letters(rng)
    style = rng.random()
    if style < 0.06:
        return pc4  # only the PC4 is known
    if style < 0.45:
        return f"{pc4} {pair}"
    if style < 0.8:
        return f"{pc4}{pair}"
    return f"{pc4} {pair.lower()}"


def phone(rng: random.Random) -> str:
    local = f"{rng.randint(2, 9)}{rng.randint(0, 999999):06d}"  # 030 + 7 digits
    mobile = f"{rng.randint(10000000, 58999999)}"  # the 06 numbers that are issued
    return rng.choice(
        [
            f"030 - {local[:3]} {local[3:5]} {local[5:]}",
            f"06-{mobile}",
            f"+31 (0)30 {local}",
            f"030{local}",
            f"030-{local}",
            f"(030) {local[:3]} {local[3:]}",
            f"0031 30 {local}",
            f"06 {mobile[:2]} {mobile[2:5]} {mobile[5:]}",
            "",
        ]
    )


def rows(rng: random.Random) -> list[list[str]]:
    areas = postcode_areas()
    seen, result = set(), []
    while len(result) < COUNT:
        pc4, place = rng.choice(areas)
        prefix, kind = rng.choice(KINDS)
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
                str(rng.randint(1, 250)) + rng.choice(["", "", "", "a", "-2", " bis"]),
                postcode(rng, pc4),
                place,
                phone(rng),
                rng.choice([f"info@{domain}.nl", ""]),
                rng.choice([f"https://www.{domain}.nl", f"www.{domain}.nl", ""]),
                rng.choice(["", "Ook ’s avonds bereikbaar.", "Zorg in de laatste levensfase."]),
            ]
        )
    return result


def spreadsheet_bytes() -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows(rows(random.Random(6)))
    return text.getvalue().encode("cp1252")


if __name__ == "__main__":
    OUTPUT.write_bytes(spreadsheet_bytes())
    print(f"{OUTPUT}: {COUNT} organisations")
