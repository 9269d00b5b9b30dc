#!/usr/bin/env bash
# Rebuilds the real (non-modelled) Erfurt files in shapes/erfurt/ from ../shared/data.
# Run from the repository root: scripts/import-erfurt.sh [SHARED_DATA_DIR]
# Needs gdal-bin (ogr2ogr) and python3. The output is committed; this script documents how.
set -euo pipefail
src=${1:-../shared/data}
out=shapes/erfurt
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Districts: the faithful transcription, invalid geometries included, so that `atlas check`
# shows the repair it does (Marbach, Sulzer Siedlung).
cp "$src/erfurt-stadtteile/erfurt_stadtteile.geojson" "$out/stadtteile.geojson"
chmod 644 "$out/stadtteile.geojson"

# Services: every OSM category, clipped to the city (the Overpass bbox also covered
# neighbouring villages), merged into one layer with a source attribute.
for f in "$src"/erfurt-osm-pois/*.geojson; do
  ogr2ogr -f GPKG -append -nln dienste "$tmp/dienste.gpkg" "$f" \
    -clipsrc "$src/erfurt-stadtteile/erfurt_stadtteile_valid.geojson" \
    -sql "SELECT NAME AS name, category, 'OpenStreetMap' AS source FROM \"$(basename "$f" .geojson)\""
done
rm -f "$out/dienste_osm.geojson"
ogr2ogr -f GeoJSON -a_srs OGC:CRS84 -lco COORDINATE_PRECISION=6 -lco RFC7946=YES "$out/dienste_osm.geojson" \
  "$tmp/dienste.gpkg" -nln dienste_osm -dialect OGRSQL \
  -sql "SELECT name, category, source FROM dienste ORDER BY category, name"

# Official figures per Stadtteil: residents at every date found, plus the foreigner counts of
# the city's own Stadtteil pages (which also give residents for dates the first file lacks).
# Percent-only rows (no count) are not official counts and stay out.
python3 - "$src/erfurt-stats" "$out" <<'PY'
import csv, sys
src, out = sys.argv[1], sys.argv[2]
residents = {}
for r in csv.DictReader(open(f"{src}/stadtteile_einwohner_alle_staende.csv", encoding="utf-8")):
    residents[(r["name"], r["stichtag"][:4])] = (r["einwohner"], r["stichtag"], r["source_url"])
foreigners = {}
for r in csv.DictReader(open(f"{src}/stadtteile_auslaender.csv", encoding="utf-8")):
    if not r["auslaender"] or len(r["stichtag"]) != 10:
        continue
    key = (r["name"], r["stichtag"][:4])
    foreigners[key] = (r["auslaender"], r["stichtag"], r["source_url"])
    residents.setdefault(key, (r["einwohner"], r["stichtag"], r["source_url"]))
with open(f"{out}/einwohner_amtlich.csv", "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["stadtteil", "jahr", "einwohner", "stichtag", "quelle"])
    for (name, year), (value, date, url) in sorted(residents.items()):
        w.writerow([name, year, value, date, url])
with open(f"{out}/auslaender_amtlich.csv", "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["stadtteil", "jahr", "auslaender", "stichtag", "quelle"])
    for (name, year), (value, date, url) in sorted(foreigners.items()):
        w.writerow([name, year, value, date, url])
PY
echo "import-erfurt: wrote $out/stadtteile.geojson, dienste_osm.geojson, einwohner_amtlich.csv, auslaender_amtlich.csv" >&2

# Places of integration work (33 sourced entries): the verbatim list, and the same facts in the
# office spreadsheet format that `atlas import-inventory` reads. Trägerart is the project's
# classification by category and name (rules below); nothing else is added: rows without
# coordinates say "nicht verortet" and are never given a position.
cp "$src/erfurt-integration-orte/orte.csv" "$out/integrationsorte_quelle.csv"
chmod 644 "$out/integrationsorte_quelle.csv"
python3 - "$src/erfurt-integration-orte/orte.csv" "$out/integrationsorte.csv" <<'PY'
import csv, sys
src, out = sys.argv[1], sys.argv[2]
# First matching rule wins: (text in name or category, Trägerart).
RULES = [
    ("Alte Synagoge", "kommunal"), ("Kleine Synagoge", "kommunal"),
    ("Caritas", "Verband"), ("Diakonie", "Verband"), ("Kirchenkreis", "Verband"),
    ("Synagoge", "Religionsgemeinschaft"), ("Moschee", "Religionsgemeinschaft"),
    ("Kirche", "Religionsgemeinschaft"), ("Kapelle", "Religionsgemeinschaft"),
    ("Buddhist", "Religionsgemeinschaft"), ("Pagode", "Religionsgemeinschaft"),
    ("Ausländerbehörde", "kommunal"), ("Integrationsbeauftragte", "kommunal"),
    ("Ausländerbeirat", "kommunal"), ("Volkshochschule", "kommunal"),
    ("Universität", "Bildungsträger"), ("Institut für Qualifikation", "Bildungsträger"),
    ("Migrant*innenselbstorganisation", "Migrantenorganisation"),
    ("Flüchtlingsrat", "Verein"), ("REFUGIO", "Verein"), ("Plattform e.V.", "Verein"),
]
with open(src, encoding="utf-8") as f, open(out, "w", encoding="utf-8", newline="") as g:
    w = csv.writer(g, delimiter=";", lineterminator="\n")
    w.writerow(["Träger", "Trägerart", "Angebot", "Handlungsfelder", "Breite", "Länge", "Ort",
                "Adresse", "Quelle", "Datenstatus"])
    for r in csv.DictReader(f):
        text = r["name"] + " " + r["category"]
        kind = next((k for needle, k in RULES if needle in text), "sonstige")
        placed = bool(r["lat"] and r["lon"])
        w.writerow([r["name"], kind, r["category"], r["handlungsfeld"],
                    r["lat"].replace(".", ","), r["lon"].replace(".", ","),
                    "" if placed else "nicht verortet", r["address"], r["source"], "quelle"])
PY
# The inventory document is what the atlas's own import makes of the sheet (a test checks that
# the shipped file equals it).
atlas=${ATLAS:-build/api/atlas}
rm -f "$out/inventar.json"
"$atlas" import-inventory --config "$out/atlas.toml" --into "$out/inventar.json" \
  --status source "$out/integrationsorte.csv"
echo "import-erfurt: wrote integrationsorte_quelle.csv, integrationsorte.csv, inventar.json" >&2

# Zensus 2011 on the 100 m grid: the four feature files merged into one cell table.
python3 "$(dirname "$0")/import-zensus2011.py" --shared "$src" --out "$out/zensus2011_gitter.csv"

# Tram and bus stops (VMT GTFS via darianwwu/Hide-and-Seek): candidate sites of the location
# planning, copied unchanged.
cp "$src/erfurt-oepnv/haltestellen.csv" "$out/haltestellen.csv"
echo "import-erfurt: wrote haltestellen.csv" >&2
