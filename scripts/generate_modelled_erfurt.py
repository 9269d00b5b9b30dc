#!/usr/bin/env python3
"""Seeded generator of MODELLED (synthetic) per-Stadtteil migration figures for Erfurt.

Erfurt does not publish foreigners, migration background, age groups or residence status per
Stadtteil in machine-readable form. This script models them for every year 2012-2024 so that:

* every value in the output is labelled modelled (column `datenstatus`, indicator ids end in
  `_modell`, German labels say "modelliert");
* district sums equal the real city-wide figures of
  shared/data/erfurt-stats/erfurt_citywide_foreigners.csv where those exist (31.12.2019 and
  31.12.2021), and the city's resident totals (31.12.2019, 2021, 2022);
* the few real per-Stadtteil figures (shapes/erfurt/einwohner_amtlich.csv,
  auslaender_amtlich.csv: Berliner Platz, Urbich, residents of many districts) are kept exactly;
* the foreigners counted by the Zensus 2011 stay where the census found them (per Stadtteil,
  shared/data/erfurt-zensus2011); only the growth since 2011 is placed by the city's own three
  settlement groups (docs/modelled-data.md).

Deterministic: the same seed and inputs give byte-identical output (tests check this).
Usage: scripts/generate_modelled_erfurt.py [--seed N] [--shared DIR] [--out FILE] [--compare]
"""

import argparse
import csv
import math
import random
from pathlib import Path

YEARS = list(range(2012, 2025))
DEFAULT_SEED = 20261126
MODEL_LABEL = "modelliert (synthetisch, scripts/generate_modelled_erfurt.py, Seed {seed})"

# The city reports residents in three settlement groups (press release 2023/143409:
# 115,383 städtisch, 55,773 Großwohnsiedlungen, 44,364 dörflich on 31.12.2022). Which Stadtteil
# belongs to which group is our assignment; with the shipped residents the groups sum to
# 115,758 / 54,322 / 43,179, within 3 % of the city's figures.
GROSSWOHNSIEDLUNG = {
    "Berliner Platz", "Moskauer Platz", "Rieth", "Roter Berg", "Johannesplatz",
    "Herrenberg", "Wiesenhügel", "Melchendorf",
}
STAEDTISCH = {
    "Altstadt", "Andreasvorstadt", "Brühlervorstadt", "Daberstedt", "Ilversgehofen",
    "Johannesvorstadt", "Krämpfervorstadt", "Löbervorstadt", "Hochheim",
}

# Relative foreigner share by group (city mean = 1 before scaling). Großwohnsiedlungen: the
# real Berliner Platz share was 2.0x the city's in 2019 (1,063 of 6,050 vs 8.8 %); villages:
# Urbich 1.7 % (0.2x). Inner city between, where students and EU workers live.
GROUP_FACTOR = {"gross": 1.9, "stadt": 1.15, "dorf": 0.3}
# Within the Großwohnsiedlungen the 2008/2009 shares (Wikipedia tables) keep their order.
SHARE_2009_PCT = {
    "Berliner Platz": 5.85, "Moskauer Platz": 2.80, "Rieth": 6.45, "Roter Berg": 3.00,
    "Herrenberg": 1.99, "Melchendorf": 2.31, "Wiesenhügel": 2.90,
}
# Census rates of small districts are shrunk towards their settlement group's rate as if this many
# more residents had been counted at the group's rate: a village of 300 with no foreigner in the
# census (small counts were altered for disclosure control) is not modelled as having none.
PRIOR_RESIDENTS = 200
# Propensities of the breakdowns by group (multiply the city shares, then IPF to both margins).
AGE_FACTOR = {  # 0-17, 18-64, 65+
    "gross": (1.25, 0.95, 0.9), "stadt": (0.85, 1.08, 0.9), "dorf": (1.0, 0.9, 1.6),
}
STATUS_FACTOR = {  # EU free movement, humanitarian, other purposes, none of these
    "gross": (0.75, 1.45, 0.8, 1.0), "stadt": (1.15, 0.8, 1.1, 1.0), "dorf": (1.35, 0.6, 1.0, 1.0),
}
AGE_COLS = ["auslaender_0_17", "auslaender_18_64", "auslaender_65plus"]
STATUS_COLS = ["auslaender_eu_freizuegigkeit", "auslaender_humanitaer", "auslaender_sonstige_aufenthaltszwecke"]
# The city's three residence groups do not cover everyone: on 31.12.2021 they sum to 19,919 of
# 21,409 foreigners (permanent settlement and unstated purposes are not listed). The remainder
# is its own column so that every district's groups add up to its foreigners.
STATUS_REST = "auslaender_aufenthalt_uebrige"


def group_of(name):
    if name in GROSSWOHNSIEDLUNG:
        return "gross"
    return "stadt" if name in STAEDTISCH else "dorf"


def interpolate(anchors, t):
    """Piecewise linear through (t, value) anchors; outside them the end slope continues."""
    anchors = sorted(anchors)
    if len(anchors) == 1:
        return anchors[0][1]
    if t <= anchors[0][0]:
        (t0, v0), (t1, v1) = anchors[0], anchors[1]
    elif t >= anchors[-1][0]:
        (t0, v0), (t1, v1) = anchors[-2], anchors[-1]
    else:
        i = next(k for k in range(1, len(anchors)) if anchors[k][0] >= t)
        (t0, v0), (t1, v1) = anchors[i - 1], anchors[i]
    return v0 + (v1 - v0) * (t - t0) / (t1 - t0)


def largest_remainder(total, weights):
    """Integers proportional to weights that sum exactly to total."""
    wsum = sum(weights)
    if total == 0 or wsum == 0:
        return [0] * len(weights)
    raw = [total * w / wsum for w in weights]
    out = [math.floor(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (out[i] - raw[i], i))
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


def allocate(total, weights, fixed):
    """Like largest_remainder, but districts in `fixed` (index -> value) keep their value."""
    free = [i for i in range(len(weights)) if i not in fixed]
    rest = total - sum(fixed.values())
    if rest < 0:
        raise SystemExit(f"fixed values {sum(fixed.values())} exceed the total {total}")
    values = largest_remainder(rest, [weights[i] for i in free])
    out = [0] * len(weights)
    for i, v in fixed.items():
        out[i] = v
    for i, v in zip(free, values):
        out[i] = v
    return out


def breakdown(row_totals, column_totals, propensity):
    """Integer table with exact row and column sums: IPF, rounding per column, then moves."""
    rows, cols = len(row_totals), len(column_totals)
    x = [[max(row_totals[r], 0) * propensity[r][c] + 1e-9 for c in range(cols)] for r in range(rows)]
    for _ in range(200):
        for r in range(rows):
            s = sum(x[r])
            x[r] = [v * row_totals[r] / s if s else 0 for v in x[r]]
        for c in range(cols):
            s = sum(x[r][c] for r in range(rows))
            for r in range(rows):
                x[r][c] = x[r][c] * column_totals[c] / s if s else 0
    table = [[0] * cols for _ in range(rows)]
    for c in range(cols):
        column = largest_remainder(column_totals[c], [x[r][c] for r in range(rows)])
        for r in range(rows):
            table[r][c] = column[r]
    # Rounding leaves some rows off by a few; moving one unit within a column between an
    # over-full and an under-full row keeps the column sums and closes the gap.
    while True:
        diff = [sum(table[r]) - row_totals[r] for r in range(rows)]
        over = next((r for r in range(rows) if diff[r] > 0), None)
        if over is None:
            return table
        under = next(r for r in range(rows) if diff[r] < 0)
        c = max(range(cols), key=lambda k: table[over][k])
        table[over][c] -= 1
        table[under][c] += 1


def read_csv(path):
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def read_census(shared):
    """Per-Stadtteil Zensus 2011 sums (cells by centre, SOURCES.md): residents, foreigners,
    Germans born abroad (born abroad minus foreigners; the two features were altered for
    disclosure control separately, so the difference is clipped at 0)."""
    folder = shared / "erfurt-zensus2011"
    def table(feature):
        return {r["stadtteil"]: r for r in read_csv(folder / f"per_stadtteil_{feature}.csv")
                if r["stadtteil"] != "ERFURT_TOTAL"}
    total, citizenship, birth = table("INSGESAMT"), table("STAATSANGE_GRP"), table("GEBURTLAND_GRP")
    census = {}
    for name, row in total.items():
        foreigners = sum(int(citizenship[name][k]) for k in ("21", "22", "23", "24"))
        born_abroad = sum(int(birth[name][k]) for k in ("21", "22", "23", "24"))
        census[name] = {"residents": int(row["0"]), "foreigners": foreigners,
                        "germans_born_abroad": max(born_abroad - foreigners, 0)}
    return census


def shrunk_rates(names, groups, census, key):
    """Census rate per resident of `key`, each district shrunk towards its group's rate."""
    group_rate = {}
    for g in set(groups):
        members = [n for n, gn in zip(names, groups) if gn == g]
        group_rate[g] = (sum(census[n][key] for n in members)
                         / max(sum(census[n]["residents"] for n in members), 1))
    return [(census[n][key] + PRIOR_RESIDENTS * group_rate[g]) / (census[n]["residents"] + PRIOR_RESIDENTS)
            for n, g in zip(names, groups)]


def print_comparison(names, groups, census, census_rate, modelled):
    """Markdown tables for docs/modelled-data.md: how far the settlement-group model (before the
    census anchor) and this model are from the census, per district and summed up."""
    gross_mean = sum(SHARE_2009_PCT.values()) / len(SHARE_2009_PCT)
    old_factor = [GROUP_FACTOR[g] * ((SHARE_2009_PCT[n] / gross_mean) ** 0.5 if n in SHARE_2009_PCT else 1.0)
                  for n, g in zip(names, groups)]
    residents = [census[n]["residents"] for n in names]
    real = [census[n]["foreigners"] for n in names]
    total = sum(real)

    def at_census_level(weights):  # the census's own foreigners distributed by the weights
        return [total * w / sum(weights) for w in weights]

    old = at_census_level([r * f for r, f in zip(residents, old_factor)])
    new = at_census_level([r * rate for r, rate in zip(residents, census_rate)])

    def pct(count, base):
        return 100.0 * count / base if base else 0.0

    def summary(label, values):
        share = [pct(v, r) for v, r in zip(values, residents)]
        share_real = [pct(v, r) for v, r in zip(real, residents)]
        mad_share = sum(abs(a - b) for a, b in zip(share, share_real)) / len(names)
        mad_city = sum(abs(pct(a, total) - pct(b, total)) for a, b in zip(values, real)) / len(names)
        mean_a, mean_b = sum(share) / len(share), sum(share_real) / len(share_real)
        cov = sum((a - mean_a) * (b - mean_b) for a, b in zip(share, share_real))
        var_a = sum((a - mean_a) ** 2 for a in share)
        var_b = sum((b - mean_b) ** 2 for b in share_real)
        corr = cov / math.sqrt(var_a * var_b)
        print(f"| {label} | {mad_share:.2f} | {mad_city:.2f} | {corr:.2f} |")

    print("| 2011 distribution of the census's 5,308 foreigners by | mean abs. difference of the "
          "foreigners' share (pp) | of the share of all the city's foreigners (pp) | correlation |")
    print("|---|---|---|---|")
    summary("the settlement-group model (before the anchor)", old)
    summary("the census-anchored model", new)
    for y in (YEARS[0], YEARS[-1]):
        res, foreign = modelled[y]
        summary(f"the census-anchored model {y}, scaled to 2011's city total",
                [total * f / sum(foreign) * r0 / r for f, r, r0 in zip(foreign, res, residents)])
    print()
    print("| Stadtteil | Zensus 2011 | settlement-group model | census-anchored model |")
    print("|---|---|---|---|")
    for i, n in enumerate(names):
        print(f"| {n} | {pct(real[i], residents[i]):.1f} % | {pct(old[i], residents[i]):.1f} % "
              f"| {pct(new[i], residents[i]):.1f} % |")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    root = Path(__file__).resolve().parent.parent
    ap.add_argument("--shared", type=Path, default=root.parent / "shared" / "data")
    ap.add_argument("--shapes", type=Path, default=root / "shapes" / "erfurt")
    ap.add_argument("--out", type=Path, default=root / "shapes" / "erfurt" / "modell_indikatoren.csv")
    ap.add_argument("--compare", action="store_true",
                    help="print the comparison of the old model, the census and this model (docs)")
    args = ap.parse_args()
    rng = random.Random(args.seed)

    residents_real = {}
    for r in read_csv(args.shapes / "einwohner_amtlich.csv"):
        residents_real.setdefault(r["stadtteil"], {})[int(r["jahr"])] = int(r["einwohner"])
    foreigners_real = {}
    for r in read_csv(args.shapes / "auslaender_amtlich.csv"):
        foreigners_real.setdefault(r["stadtteil"], {})[int(r["jahr"])] = int(r["auslaender"])
    names = sorted(residents_real)
    if len(names) != 53:
        raise SystemExit(f"expected 53 Stadtteile in einwohner_amtlich.csv, found {len(names)}")
    groups = [group_of(n) for n in names]

    city = read_csv(args.shared / "erfurt-stats" / "erfurt_citywide_foreigners.csv")

    def t_of(stichtag):  # 31.12.Y -> Y+1.0, other dates by month
        if len(stichtag) == 4:
            return int(stichtag) + 0.5
        y, m, _ = (int(p) for p in stichtag.split("-"))
        return y + m / 12.0

    def anchors(column):
        return [(t_of(r["stichtag"]), float(r[column])) for r in city if r[column]]

    # City resident total: the CSV plus the press release of 31.12.2022 (SOURCES.md).
    resident_anchors = anchors("einwohner_hauptwohnung") + [(2023.0, 215520.0)]
    city_residents = {}
    for y in YEARS:
        if y >= 2023:  # no newer official total: carried forward
            city_residents[y] = 215520
        else:
            city_residents[y] = round(interpolate(resident_anchors, y + 1.0))
    city_foreigners = {y: round(interpolate(anchors("auslaender"), y + 1.0)) for y in YEARS}
    mh_ratio = 26995 / 18811  # the one city figure with migration background, 31.12.2019
    city_mh = {y: round(city_foreigners[y] * mh_ratio) for y in YEARS}
    real_city = {int(r["stichtag"][:4]): r for r in city if r["stichtag"].endswith("-12-31")}

    def city_breakdown(cols, y):
        """City totals of `cols` plus the remainder to all foreigners, as the last entry."""
        def with_rest(values, total):
            return [*values, total - sum(values)]
        if y in real_city and real_city[y][cols[0]]:
            return with_rest([int(real_city[y][c]) for c in cols], int(real_city[y]["auslaender"]))
        known = sorted(k for k in real_city if real_city[k][cols[0]])
        lo = max([k for k in known if k <= y], default=known[0])
        hi = min([k for k in known if k >= y], default=known[-1])
        w = 0.0 if hi == lo else (y - lo) / (hi - lo)
        shares = []
        for k in (lo, hi):
            total = int(real_city[k]["auslaender"])
            shares.append([v / total for v in with_rest([int(real_city[k][c]) for c in cols], total)])
        mixed = [a + (b - a) * w for a, b in zip(*shares)]
        return largest_remainder(city_foreigners[y], mixed)

    census = read_census(args.shared)
    if sorted(census) != names:
        raise SystemExit("the Zensus 2011 per-Stadtteil tables do not name the 53 Stadtteile")
    # The foreigners living in Erfurt at the census (the register's 2011 count) stay where the
    # census found them; the growth since is placed by where arrivals were housed, which the
    # census cannot know: residents x settlement group x the 2008/2009 order x seeded noise.
    census_stock = interpolate(anchors("auslaender"), 2011.35)
    census_rate = shrunk_rates(names, groups, census, "foreigners")
    stock_weight = [census[n]["residents"] * r for n, r in zip(names, census_rate)]
    stock = [census_stock * w / sum(stock_weight) for w in stock_weight]
    gross_mean = sum(SHARE_2009_PCT.values()) / len(SHARE_2009_PCT)
    factor = []
    for n, g in zip(names, groups):
        f = GROUP_FACTOR[g] * math.exp(rng.gauss(0.0, 0.2))
        if n in SHARE_2009_PCT:
            f *= (SHARE_2009_PCT[n] / gross_mean) ** 0.5
        factor.append(f)
    germans_mh_rate = shrunk_rates(names, groups, census, "germans_born_abroad")

    rows = []
    modelled = {}
    for y in YEARS:
        # Residents: real values where known; else the district's own real series interpolated,
        # then scaled so that all districts sum to the city total.
        fixed = {i: residents_real[n][y] for i, n in enumerate(names) if y in residents_real[n]}
        guess = [interpolate([(k + 1.0, v) for k, v in residents_real[n].items()], y + 1.0) for n in names]
        residents = allocate(city_residents[y], guess, fixed)

        factor = [f * math.exp(rng.gauss(0.0, 0.03)) for f in factor]
        growth = max(city_foreigners[y] - census_stock, 0.0)
        arrival = [residents[i] * factor[i] for i in range(len(names))]
        weights = [stock[i] + growth * arrival[i] / sum(arrival) for i in range(len(names))]
        fixed = {i: foreigners_real[n][y] for i, n in enumerate(names) if y in foreigners_real.get(n, {})}
        for i, n in enumerate(names):
            if n in foreigners_real and i not in fixed:
                # A district with real counts keeps its share relative to the city's as of its
                # nearest real year instead of following the model.
                k = min(foreigners_real[n], key=lambda ry: (abs(ry - y), ry))
                relative = (foreigners_real[n][k] / residents_real[n][k]) / (city_foreigners[k] / city_residents[k])
                weights[i] = residents[i] * relative * city_foreigners[y] / city_residents[y]
        foreigners = allocate(city_foreigners[y], weights, fixed)
        modelled[y] = (residents, foreigners)

        # Germans with a migration background (late repatriates, the naturalised and their
        # children) live where the census found Germans born abroad.
        extra_total = city_mh[y] - city_foreigners[y]
        extra = largest_remainder(extra_total, [residents[i] * germans_mh_rate[i] for i in range(len(names))])
        ages = breakdown(foreigners, city_breakdown(AGE_COLS, y), [(*AGE_FACTOR[g], 1.0) for g in groups])
        if any(row[-1] for row in ages):
            raise SystemExit(f"age groups of {y} do not cover all foreigners")
        ages = [row[:-1] for row in ages]
        status = breakdown(foreigners, city_breakdown(STATUS_COLS, y), [STATUS_FACTOR[g] for g in groups])
        for i, n in enumerate(names):
            rows.append([n, y, residents[i], foreigners[i], foreigners[i] + extra[i], *ages[i], *status[i]])

    if args.compare:
        print_comparison(names, groups, census, census_rate, modelled)

    header = ["stadtteil", "jahr", "einwohner", "auslaender", "migrationshintergrund",
              *AGE_COLS, *STATUS_COLS, STATUS_REST, "datenstatus"]
    label = MODEL_LABEL.format(seed=args.seed)
    with open(args.out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow([*r, label])


if __name__ == "__main__":
    main()
