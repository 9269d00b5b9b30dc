#!/usr/bin/env bash
# Vector tile benchmarks (issue 5), each against a peer measured in the same run:
#  1. every `districts` tile over Erfurt at z 8-16, uncached: atlas vs PostGIS ST_AsMVT
#     (same polygons with the same attributes, pre-projected to EPSG:3857, GiST index);
#  2. cached tile throughput with wrk (2 threads, 64 connections, keep-alive) against a bare
#     Pistache handler returning the same bytes;
#  3. the tile cache's peak bytes under a 256 kB bound.
# Prints Markdown for docs/benchmarks.md. Not part of CI (it takes a few minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh build test bench
scripts/build.sh release >/dev/null
work=$(mktemp -d /tmp/atlas-bench-XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  scripts/pg-temp.sh stop "$work/pg" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

build/bench/tiles_bench --export="$work"
build/bench/tiles_bench --benchmark_format=json >"$work/atlas.json" 2>/dev/null
read -r atlas_ms tiles peak bound < <(python3 - "$work/atlas.json" <<'PY'
import json, sys
b = {x["name"].split("/")[0]: x for x in json.load(open(sys.argv[1]))["benchmarks"]}
t, c = b["BM_AllDistrictTilesZ8To16"], b["BM_TileCacheStaysBounded"]
print(round(t["real_time"], 1), int(t["tiles"]), int(c["peak_bytes"]), int(c["bound_bytes"]))
PY
)

eval "$(scripts/pg-temp.sh start "$work/pg")"
psql -XAtq -d postgres -c "CREATE DATABASE bench"
psql -XAtq -d bench -c "CREATE EXTENSION postgis"
ogr2ogr -f PostgreSQL "PG:host=$PGHOST port=$PGPORT user=postgres dbname=bench" "$work/districts.geojson" \
  -nln districts -t_srs EPSG:3857 -lco GEOMETRY_NAME=geom -lco FID=fid -nlt PROMOTE_TO_MULTI
psql -XAtq -d bench <<SQL
CREATE TABLE tiles (z int, x int, y int);
\copy tiles FROM '$work/tiles.csv' CSV
VACUUM ANALYZE districts;
SQL
columns=$(psql -XAtq -d bench -c "SELECT string_agg(quote_ident(column_name), ', ') FROM information_schema.columns
  WHERE table_name = 'districts' AND column_name NOT IN ('geom', 'fid')")
query="SELECT count(*), sum(length(mvt)) FROM tiles t CROSS JOIN LATERAL (
  SELECT ST_AsMVT(q, 'districts', 4096, 'mvtgeom', 'id') AS mvt FROM (
    SELECT $columns, ST_AsMVTGeom(d.geom, ST_TileEnvelope(t.z, t.x, t.y), 4096, 64, true) AS mvtgeom
    FROM districts d WHERE d.geom && ST_TileEnvelope(t.z, t.x, t.y, margin => 64.0 / 4096)) q) m"
psql -XAtq -d bench -c "$query" >/dev/null  # warm the cache
best=""
for i in 1 2 3; do
  start=$(date +%s.%N)
  psql -XAtq -d bench -c "$query" >/dev/null
  end=$(date +%s.%N)
  ms=$(python3 -c "print(round(($end - $start) * 1000, 1))")
  best=$(python3 -c "print(min(float('$ms'), float('${best:-1e18}')))")
done

# Cached throughput: atlas serving the same tile from its cache vs the bare handler.
build/api/atlas serve --port 18080 --threads 2 >"$work/atlas.log" 2>&1 & pids+=($!)
build/bench/bare_server 18081 "$work/tile.mvt" & pids+=($!)
for _ in $(seq 50); do curl -sf -o /dev/null http://127.0.0.1:18080/health && break; sleep 0.2; done
curl -sf -o /dev/null http://127.0.0.1:18080/tiles/districts/13/4347/2746.mvt
cmp <(curl -sf http://127.0.0.1:18080/tiles/districts/13/4347/2746.mvt) "$work/tile.mvt"
rps() { wrk -t2 -c64 -d10s -H 'Connection: keep-alive' "$1" | awk '/Requests\/sec/ {print $2}'; }
atlas_rps=$(rps http://127.0.0.1:18080/tiles/districts/13/4347/2746.mvt)
bare_rps=$(rps http://127.0.0.1:18081/tile)

python3 - "$atlas_ms" "$tiles" "$best" "$atlas_rps" "$bare_rps" "$peak" "$bound" <<'PY'
import sys, datetime, subprocess
atlas, tiles, pg, a_rps, b_rps, peak, bound = sys.argv[1:]
cpu = [l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")][0]
cores = subprocess.check_output(["nproc"]).decode().strip()
print(f"| {datetime.date.today()} | {cpu}, {cores} cores | {tiles} district tiles z8-16 uncached: atlas {float(atlas):.0f} ms, "
      f"PostGIS {float(pg):.0f} ms -> {float(pg)/float(atlas):.1f}x | cached tile: atlas {float(a_rps):.0f} req/s, "
      f"bare Pistache {float(b_rps):.0f} req/s -> {float(a_rps)/float(b_rps):.2f}x | cache peak {peak} B of {bound} B bound |")
PY
