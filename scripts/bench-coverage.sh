#!/usr/bin/env bash
# Country-scale coverage benchmark: the atlas kernel (nearest + share within radius + E2SFCA,
# one field) against PostGIS KNN (`<->`, nearest only) on the same 3 M cells x 10 k services.
# Prints a Markdown row for docs/benchmarks.md. Not part of CI (it takes minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh build test bench
scripts/build.sh release >/dev/null
work=$(mktemp -d /tmp/atlas-bench-XXXXXX)
chmod 755 "$work"
trap 'scripts/pg-temp.sh stop "$work/pg"; rm -rf "$work"' EXIT

build/bench/coverage_bench --export="$work"
build/bench/coverage_bench --benchmark_format=json >"$work/atlas.json" 2>/dev/null
atlas_ms=$(python3 -c "import json,sys; b=json.load(open('$work/atlas.json'))['benchmarks']; print(next(x['real_time'] for x in b if x['name'].endswith('/10000/2/iterations:3/real_time')))")
atlas1_ms=$(python3 -c "import json,sys; b=json.load(open('$work/atlas.json'))['benchmarks']; print(next(x['real_time'] for x in b if x['name'].endswith('/10000/1/iterations:3/real_time')))")

eval "$(scripts/pg-temp.sh start "$work/pg")"
psql -XAtq -d postgres -c "CREATE DATABASE bench"
psql -XAtq -d bench <<SQL
CREATE EXTENSION postgis;
CREATE TABLE cells (id int, x float8, y float8);
CREATE TABLE services (id int, x float8, y float8);
\copy cells FROM '$work/cells.csv' CSV
\copy services FROM '$work/services.csv' CSV
ALTER TABLE cells ADD COLUMN geom geometry(Point, 25832);
UPDATE cells SET geom = ST_SetSRID(ST_MakePoint(x, y), 25832);
ALTER TABLE services ADD COLUMN geom geometry(Point, 25832);
UPDATE services SET geom = ST_SetSRID(ST_MakePoint(x, y), 25832);
CREATE INDEX ON services USING gist (geom);
VACUUM ANALYZE cells; VACUUM ANALYZE services;
SQL
start=$(date +%s.%N)
psql -XAtq -d bench -c "CREATE TABLE nearest AS SELECT c.id, (SELECT c.geom <-> s.geom FROM services s ORDER BY c.geom <-> s.geom LIMIT 1) AS d FROM cells c"
end=$(date +%s.%N)
pg_ms=$(python3 -c "print(round(($end - $start) * 1000))")
share=$(psql -XAtq -d bench -c "SELECT round(count(*) FILTER (WHERE d <= 1000)::numeric / count(*), 4) FROM nearest")

python3 - "$atlas_ms" "$atlas1_ms" "$pg_ms" "$share" <<'PY'
import sys, subprocess, datetime
atlas, atlas1, pg, share = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
cpu = [l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")][0]
print(f"| {datetime.date.today()} | {cpu}, {subprocess.check_output(['nproc']).decode().strip()} cores | "
      f"{atlas:.0f} ms (2 threads), {atlas1:.0f} ms (1 thread) | {pg:.0f} ms | {pg/atlas:.1f}x | "
      f"cells within 1 km (PostGIS, unweighted): {share} |")
PY
