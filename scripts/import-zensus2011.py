#!/usr/bin/env python3
"""Merges the Zensus 2011 100 m grid files of shared/data/erfurt-zensus2011 into one table.

One row per populated cell around Erfurt (the districts' bounding box plus 2 km, so catchments
may cross the city border), keyed by the official cell id. The atlas sums the cells per district
by cell centre (`grid_id_column` of an indicator table); nothing is modelled here.

Columns (counts of persons, Zensusstichtag 9 May 2011; empty: the cell is not in that feature's
file, which the Zensus only lists where the feature has persons):
  gitter_id                                 CRS3035RES100mN<y>E<x>, lower-left corner, EPSG:3035
  einwohner                                 INSGESAMT (all residents)
  staatsang_gesamt                          citizenship table's own total (codes 1+21+22+23+24)
  auslaender                                foreign nationals (21+22+23+24)
  auslaender_eu27, auslaender_europa, auslaender_welt   21 / 22 / 23+24 (rest of world, unknown)
  geburtsland_gesamt, im_ausland_geboren,
  geboren_eu27, geboren_europa, geboren_welt            the same for the country of birth
  alter_unter18, alter_18_29, alter_30_49, alter_50_64, alter_65plus   age groups (ALTER_KURZ)
The Zensus altered each feature's cells separately for disclosure control, so the totals of the
features differ slightly; within one feature the groups add up exactly.

Usage: scripts/import-zensus2011.py [--shared DIR] [--out FILE]
"""
import argparse
import csv
import json
import os

FEATURES = {
    "insgesamt": ("zensus2011_insgesamt_100m.csv", ["0"]),
    "staatsange": ("zensus2011_staatsange_grp_100m.csv", ["1", "21", "22", "23", "24"]),
    "geburtland": ("zensus2011_geburtland_grp_100m.csv", ["1", "21", "22", "23", "24"]),
    "alter": ("zensus2011_alter_kurz_100m.csv", ["1", "2", "3", "4", "5"]),
}
COLUMNS = ["gitter_id", "einwohner",
           "staatsang_gesamt", "auslaender", "auslaender_eu27", "auslaender_europa",
           "auslaender_welt",
           "geburtsland_gesamt", "im_ausland_geboren", "geboren_eu27", "geboren_europa",
           "geboren_welt",
           "alter_unter18", "alter_18_29", "alter_30_49", "alter_50_64", "alter_65plus"]
MARGIN_DEGREES = (0.03, 0.02)  # about 2 km east-west and north-south at 51° N


def bbox_of(geojson_path):
    with open(geojson_path, encoding="utf-8") as f:
        doc = json.load(f)
    xs, ys = [], []

    def walk(coords):
        if isinstance(coords[0], (int, float)):
            xs.append(coords[0])
            ys.append(coords[1])
        else:
            for c in coords:
                walk(c)

    for feature in doc["features"]:
        walk(feature["geometry"]["coordinates"])
    return (min(xs) - MARGIN_DEGREES[0], min(ys) - MARGIN_DEGREES[1],
            max(xs) + MARGIN_DEGREES[0], max(ys) + MARGIN_DEGREES[1])


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=os.path.join(here, "..", "..", "shared", "data"))
    parser.add_argument("--out", default=os.path.join(here, "..", "shapes", "erfurt",
                                                      "zensus2011_gitter.csv"))
    args = parser.parse_args()
    src = os.path.join(args.shared, "erfurt-zensus2011")
    west, south, east, north = bbox_of(os.path.join(here, "..", "shapes", "erfurt",
                                                    "stadtteile.geojson"))
    cells = {}
    for feature, (name, codes) in FEATURES.items():
        with open(os.path.join(src, name), encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                lon, lat = float(row["lon_center"]), float(row["lat_center"])
                if not (west <= lon <= east and south <= lat <= north):
                    continue
                values = {c: int(row[c]) for c in codes}
                cell = cells.setdefault(row["gitter_id"], {"gitter_id": row["gitter_id"]})
                if feature == "insgesamt":
                    cell["einwohner"] = values["0"]
                elif feature == "alter":
                    for code, column in zip(codes, COLUMNS[12:]):
                        cell[column] = values[code]
                else:
                    prefix = "auslaender" if feature == "staatsange" else "geboren"
                    foreign = values["21"] + values["22"] + values["23"] + values["24"]
                    cell["staatsang_gesamt" if feature == "staatsange"
                         else "geburtsland_gesamt"] = sum(values.values())
                    cell["auslaender" if feature == "staatsange"
                         else "im_ausland_geboren"] = foreign
                    cell[prefix + "_eu27"] = values["21"]
                    cell[prefix + "_europa"] = values["22"]
                    cell[prefix + "_welt"] = values["23"] + values["24"]

    def order(cell_id):
        # Row by row from the south-west: CRS3035RES100mN<y>E<x>.
        north_part, east_part = cell_id.split("mN")[1].split("E")
        return (int(north_part), int(east_part))

    with open(args.out, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for cell_id in sorted(cells, key=order):
            writer.writerow({c: cells[cell_id].get(c, "") for c in COLUMNS})
    print(f"{len(cells)} cells -> {args.out}")


if __name__ == "__main__":
    main()
