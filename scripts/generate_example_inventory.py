#!/usr/bin/env python3
"""Seeded generator of FICTIONAL example entries for the structure analysis's inventory.

Erfurt has not published an inventory of its integration work. So that planners can see every
analysis (coverage, gap maps, funding at risk, languages, the cooperation network) in all nine
Handlungsfelder, this script invents actors, offers and cooperations:

* every entry has data_status "example", every id ends in "_beispiel", every actor's name ends
  in "(Beispiel)"; the atlas labels them "Beispieldaten (fiktiv)" in every output;
* no entry names a real organisation; example offers belong only to example actors, and example
  cooperations link only example actors, so switching the examples off (delete the
  `examples_file` line of atlas.toml) leaves the real inventory untouched;
* positions are random points inside the districts' polygons; they mean nothing.

Deterministic: the same seed and inputs give byte-identical output (a test checks this).
Usage: scripts/generate_example_inventory.py [--seed N] [--districts FILE] [--out FILE]
"""

import argparse
import json
import random
from pathlib import Path

DEFAULT_SEED = 20261203
SOURCE = "fiktiv: scripts/generate_example_inventory.py, Seed {seed}"

# (field, offer titles, capacity unit)
OFFERS = {
    "sprache": (["Sprachcafé", "Deutschkurs A1 mit Kinderbetreuung", "Alphabetisierungskurs",
                 "Berufsbezogener Sprachkurs B2", "Konversationskreis Deutsch"], "plaetze"),
    "bildung": (["Hausaufgabenhilfe", "Elterncafé an der Schule", "Lernpatenschaften",
                 "Schulwegbegleitung für Seiteneinsteiger"], "plaetze"),
    "arbeit": (["Bewerbungswerkstatt", "Beratung zur Anerkennung ausländischer Abschlüsse",
                "Ausbildungslotsen", "Jobcoaching für Geflüchtete"], "beratungen_jahr"),
    "soziales-gesundheit": (["Migrationssozialberatung", "Gesundheitslotsen",
                             "Psychosoziale Sprechstunde", "Familienberatung mehrsprachig"],
                            "beratungen_jahr"),
    "wohnen": (["Beratung zur Wohnungssuche", "Nachbarschaftsmediation",
                "Mieterberatung mehrsprachig"], "beratungen_jahr"),
    "kultur-sport": (["Interkultureller Chor", "Fußball für alle", "Theaterwerkstatt",
                      "Schwimmkurs für Frauen"], "plaetze"),
    "freizeit": (["Offener Treff", "Familienausflüge", "Internationaler Jugendclub",
                  "Nähcafé"], "stunden_woche"),
    "religion": (["Interreligiöser Gesprächskreis", "Dialogabend der Religionen",
                  "Gemeinsames Friedensgebet"], "stunden_woche"),
    "teilhabe": (["Einbürgerungsberatung", "Workshop Kommunalpolitik",
                  "Sprechstunde für Vereinsgründungen", "Ehrenamtsbörse"], "beratungen_jahr"),
}

ACTORS = [
    ("Sprachbrücke Erfurt e.V.", "verein", ["sprache", "bildung"]),
    ("Lernwerk Thüringen gGmbH", "bildungstraeger", ["sprache", "arbeit"]),
    ("Interkulturelles Forum Nord", "migrantenorganisation", ["kultur-sport", "teilhabe"]),
    ("Nachbarschaftshilfe Südost e.V.", "verein", ["wohnen", "freizeit"]),
    ("Diakonisches Werk Musterkreis", "verband", ["soziales-gesundheit", "wohnen"]),
    ("Familienzentrum Regenbogen", "freier_traeger", ["bildung", "freizeit"]),
    ("Verein syrischer Familien Erfurt", "migrantenorganisation", ["sprache", "soziales-gesundheit"]),
    ("Ukrainische Gemeinschaft Erfurt", "migrantenorganisation", ["sprache", "teilhabe"]),
    ("Arbeitskreis Religionen im Gespräch", "religionsgemeinschaft", ["religion"]),
    ("Islamischer Kulturverein Musterstadt", "religionsgemeinschaft", ["religion", "bildung"]),
    ("Evangelische Gemeinde am Musterplatz", "religionsgemeinschaft", ["religion", "freizeit"]),
    ("Stadtteilbüro Musterviertel", "kommunal", ["teilhabe", "wohnen"]),
    ("Jugendamt – Integrationsteam", "kommunal", ["bildung", "soziales-gesundheit"]),
    ("Sportverein Vorwärts Musterdorf", "verein", ["kultur-sport"]),
    ("Kulturhaus Vielklang", "freier_traeger", ["kultur-sport", "freizeit"]),
    ("Handwerk verbindet GmbH", "wirtschaft", ["arbeit"]),
    ("Beratungsnetz Anerkennung", "freier_traeger", ["arbeit", "teilhabe"]),
    ("Frauentreff Miteinander", "verein", ["soziales-gesundheit", "sprache"]),
    ("Seniorenbüro Interkulturell", "freier_traeger", ["freizeit", "soziales-gesundheit"]),
    ("Wohnungslotsen Thüringen e.V.", "verein", ["wohnen"]),
    ("Vietnamesischer Kulturverein Musterstadt", "migrantenorganisation", ["kultur-sport", "religion"]),
    ("Bildungswerk Zukunft", "bildungstraeger", ["bildung", "arbeit"]),
    ("Freiwilligenagentur Musterstadt", "sonstige", ["teilhabe", "freizeit"]),
    ("Gesundheitsladen International", "verband", ["soziales-gesundheit"]),
    ("Theaterkollektiv Grenzenlos", "verein", ["kultur-sport"]),
    ("Elternnetzwerk Mehrsprachigkeit", "verein", ["bildung", "sprache"]),
]

LANGUAGES = ["ar", "uk", "ru", "en", "fa", "tr", "vi", "ti", "ps", "ku", "pl", "ro", "bg", "sq", "fr"]
TARGET_GROUPS = ["gefluechtete", "eu_zugewanderte", "kinder_jugendliche", "frauen", "aeltere", "alle"]
FUNDING = ["kommunal", "land", "bund", "eu", "stiftung", "eigenmittel"]
FUNDING_ENDS = ["2026-12-31", "2027-03-31", "2027-06-30", "2027-12-31", "2028-06-30",
                "2028-12-31", "2029-12-31", ""]
COOPERATION_KINDS = ["netzwerk", "vereinbarung", "gemeinsames_angebot"]


def ascii_id(text):
    out = []
    for ch in text.lower():
        ch = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "é": "e"}.get(ch, ch)
        out.append(ch if ch.isalnum() and ch.isascii() else "-")
    return "-".join(part for part in "".join(out).split("-") if part)[:50]


def rings(geometry):
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"][0]]
    return [polygon[0] for polygon in geometry["coordinates"]]


def inside(point, ring):
    x, y = point
    hit = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            hit = not hit
    return hit


def random_point(rng, district):
    outer = district["rings"]
    xs = [p[0] for ring in outer for p in ring]
    ys = [p[1] for ring in outer for p in ring]
    while True:
        p = (rng.uniform(min(xs), max(xs)), rng.uniform(min(ys), max(ys)))
        if any(inside(p, ring) for ring in outer):
            return {"lon": round(p[0], 6), "lat": round(p[1], 6)}


def generate(seed, districts_file):
    rng = random.Random(seed)
    features = json.loads(Path(districts_file).read_text(encoding="utf-8"))["features"]
    districts = sorted(({"name": f["properties"]["NAME"], "rings": rings(f["geometry"])}
                        for f in features), key=lambda d: d["name"])
    source = SOURCE.format(seed=seed)
    actors, offers, cooperations = [], [], []
    for name, kind, fields in ACTORS:
        home = rng.choice(districts)
        actor_id = ascii_id(name) + "_beispiel"
        actors.append({"id": actor_id, "name": name + " (Beispiel)", "kind": kind,
                       "website": "", "contact": "", "address": "",
                       "location": random_point(rng, home), "data_status": "example",
                       "source": source})
        for n in range(rng.randint(2, 5)):
            field = fields[n % len(fields)]
            titles, unit = OFFERS[field]
            title = rng.choice(titles)
            extra = [f for f in fields if f != field and rng.random() < 0.25]
            roll = rng.random()
            offer = {"id": f"{actor_id[:-len('_beispiel')]}-{n + 1}_beispiel",
                     "actor_id": actor_id, "title": title, "fields": [field] + extra,
                     "target_groups": sorted(rng.sample(TARGET_GROUPS, rng.randint(1, 2))),
                     "languages": ["de"] + sorted(rng.sample(LANGUAGES, rng.randint(1, 3))),
                     "place": "point", "location": None, "district": "", "address": "",
                     "capacity": float(rng.choice([8, 10, 12, 15, 20, 25, 40, 60, 120, 250])),
                     "capacity_unit": unit,
                     "valid_from": f"{rng.randint(2018, 2025)}-{rng.randint(1, 12):02d}-01",
                     "valid_to": "",
                     "funding": [], "staff_fte": round(rng.uniform(0.1, 2.5), 1),
                     "data_status": "example", "source": source}
            if roll < 0.70:
                where = home if rng.random() < 0.6 else rng.choice(districts)
                offer["location"] = random_point(rng, where)
            elif roll < 0.85:
                offer["place"] = "district"
                offer["district"] = rng.choice(districts)["name"]
            elif roll < 0.95:
                offer["place"] = "citywide"
            else:
                offer["place"] = "mobile"
            for source_id in sorted(rng.sample(FUNDING, rng.randint(1, 2))):
                until = rng.choice(FUNDING_ENDS)
                offer["funding"].append({"source": source_id, "until": until})
            offers.append(offer)
    # Cooperations: partners who share a field are likelier; a few actors stay isolated.
    isolated = set(rng.sample(range(len(actors)), 3))
    pairs = set()
    while len(pairs) < 40:
        a, b = rng.sample(range(len(actors)), 2)
        if a in isolated or b in isolated:
            continue
        shared = set(ACTORS[a][2]) & set(ACTORS[b][2])
        if not shared and rng.random() < 0.6:
            continue
        pairs.add((min(a, b), max(a, b)))
    for n, (a, b) in enumerate(sorted(pairs)):
        cooperations.append({"id": f"koop-{n + 1}_beispiel", "actor_a": actors[a]["id"],
                             "actor_b": actors[b]["id"], "kind": rng.choice(COOPERATION_KINDS),
                             "since": str(rng.randint(2015, 2025)), "data_status": "example",
                             "source": source})
    return {"actors": actors, "offers": offers, "cooperations": cooperations}


def main():
    here = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--districts", default=str(here / "shapes/erfurt/stadtteile.geojson"))
    parser.add_argument("--out", default=str(here / "shapes/erfurt/inventar_beispiel.json"))
    args = parser.parse_args()
    document = generate(args.seed, args.districts)
    text = json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if args.out == "-":
        print(text, end="")
    else:
        Path(args.out).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
