#!/usr/bin/env python3
"""Coverage on the configured real grid against the dasymetric spread, per Handlungsfeld.

Runs `atlas coverage` twice — with the config as shipped and with its [coverage.grid_csv]
section removed — and prints the markdown table of docs/coverage.md: districts compared, mean
and mean absolute change of the target group's mean distance to the nearest service, the
largest change, and how many districts change their gap class.

Usage: scripts/compare-coverage-surfaces.py [--atlas build/api/atlas] [--config FILE] FIELD...
"""
import argparse
import json
import re
import subprocess
import tempfile
from pathlib import Path


def coverage(atlas, config, field):
    out = subprocess.run([atlas, "coverage", "--config", str(config), "--field", field,
                          "--format", "json"], capture_output=True, text=True, check=True).stdout
    doc = json.loads(out)
    return doc["label_de"], {d["district"]: d for d in doc["districts"]}


def main():
    root = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--atlas", default=str(root / "build" / "api" / "atlas"))
    ap.add_argument("--config", type=Path, default=root / "shapes" / "erfurt" / "atlas.toml")
    ap.add_argument("fields", nargs="+")
    args = ap.parse_args()
    text = args.config.read_text(encoding="utf-8")
    start = text.index("[coverage.grid_csv]")
    start = text.rindex("\n", 0, start) + 1
    following = re.compile(r"^[ \t]*\[", re.M).search(text, start + 1)  # the next table header
    end = following.start() if following else len(text)
    # The copy sits next to the config so that its relative data paths still resolve.
    with tempfile.NamedTemporaryFile("w", suffix=".toml", dir=args.config.parent,
                                     encoding="utf-8") as dasymetric:
        dasymetric.write(text[:start] + text[end:])
        dasymetric.flush()
        print("| field | districts compared | mean change | mean absolute change | largest | gap class changed |")
        print("|---|---|---|---|---|---|")
        for field in args.fields:
            label, grid = coverage(args.atlas, args.config, field)
            _, spread = coverage(args.atlas, dasymetric.name, field)
            diffs, changed = [], 0
            for name, d in grid.items():
                a, b = d.get("mean_distance_m"), spread[name].get("mean_distance_m")
                if a is None or b is None:
                    continue
                diffs.append(a - b)
                changed += d.get("gap_class") != spread[name].get("gap_class")
            if not diffs:
                print(f"| {label} | 0 | | | | |")
                continue
            mean = sum(diffs) / len(diffs)
            print(f"| {label} | {len(diffs)} | {mean:+.0f} m | {sum(map(abs, diffs)) / len(diffs):.0f} m "
                  f"| {max(map(abs, diffs)):,.0f} m | {changed} |".replace("-", "−"))


if __name__ == "__main__":
    main()
