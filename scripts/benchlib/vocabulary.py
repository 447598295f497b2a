"""Word lists of the bench network. Changing an entry or the order changes the data: raise
seed.DATA_VERSION with it, so that `--keep` does not reuse an older data set."""


def words(text: str) -> list[str]:
    return text.split("|")


NAMES = words(
    "De Lindeboom|Het Rozenhuis|De Vlinder|De Kapel|De Heuvelrug|De Waterlelie|De Brug|"
    "De Overloop|De Haven|Bosrand|De Linde|Het Anker|De Horst|Het Baken|De Eik|Zonnehuis|"
    "De Wending|De Bron|Het Kompas|De Regenboog|Het Lichtpunt|De Vier Jaargetijden|Sint Jozef|"
    "De Kastanjehof"
)
# Kind: (weight, name patterns, extra-location weight, place settings).
KINDS = {
    "hospice": (10, ["Hospice {n}", "Bijna Thuis Huis {n}", "Hospice {t}"], 0.3, ["hospice"]),
    "ggz": (
        12,
        ["GGZ {t}", "FACT-team {t}", "Kliniek {n}", "Ambulante GGZ {t}"],
        2.0,
        ["instelling", "thuis"],
    ),
    "verslavingszorg": (7, ["Verslavingszorg {t}", "Herstelhuis {n}"], 1.5, ["instelling"]),
    "thuiszorg": (18, ["Thuiszorg {t}", "Buurtzorgteam {t}", "Wijkverpleging {t}"], 1.0, ["thuis"]),
    "huisarts": (20, ["Huisartsenpraktijk {n}", "PaTz-groep {t}", "Huisartsenpost {t}"], 0.5, []),
    "ziekenhuis": (3, ["Ziekenhuis {t}", "Ziekenhuis {n}"], 2.5, []),
    "verpleeghuis": (10, ["Verpleeghuis {n}", "Zorgcentrum {n}"], 1.0, ["instelling", "hospice"]),
    "consultatieteam": (3, ["Consultatieteam Palliatieve Zorg {t}"], 0.5, []),
    "vptz": (6, ["VPTZ {t}"], 0.3, ["thuis"]),
    "ggd": (2, ["GGD {t}"], 1.0, []),
    "opvang": (5, ["Nachtopvang {n}", "Maatschappelijke Opvang {t}"], 1.0, ["instelling"]),
    "overig": (4, ["Centrum voor Levensvragen {t}", "Stichting {n}"], 0.5, []),
}
# Kinds whose organisations run consultation and crisis lines.
LINE_KINDS = ["consultatieteam", "ggz", "verslavingszorg", "huisarts", "ziekenhuis", "ggd"]
STREETS = words(
    "Lindelaan|Kerkstraat|Dorpsweg|Parkweg|Stationsplein|Molenweg|Beukenlaan|Wilhelminastraat|"
    "Julianalaan|Schoolstraat|Hoofdstraat|Nieuweweg"
)
FIRST_NAMES = words(
    "Anne|Sander|Fatima|Joost|Esther|Mehmet|Lotte|Ruben|Ingrid|Daan|Noor|Bram|Yara|Pieter|"
    "Sanne|Karim"
)
LAST_NAMES = words(
    "de Wit|Bakker|el Idrissi|van Leeuwen|Smits|Yilmaz|Vermeer|Kok|Dijkstra|Hendriks|de Jong|"
    "Jansen|Visser|Mulder"
)
ROLES = words(
    "Aandachtsvelder palliatieve zorg|Verpleegkundig specialist|Coördinator zorg|Psychiater|"
    "Verslavingsarts|Huisarts|Geestelijk verzorger|Maatschappelijk werker"
)
FUNCTION_NAMES = ["Dienstdoende arts", "Centrale", "Secretariaat", "Triage"]
EXTRA_SENTENCES = [
    "Bereikbaar voor overleg met huisartsen en wijkteams.",
    "Ervaring met mensen met een psychiatrische aandoening in de laatste levensfase.",
    "Samenwerking met het consultatieteam palliatieve zorg in de regio.",
    "Ook voor naasten en mantelzorgers.",
    "Aandacht voor zingeving, rouw en verlies.",
    "Met vrijwilligers die waken en ondersteunen.",
]
LETTERS = "ABCDEFGHJKLMNPRTVXZ"
