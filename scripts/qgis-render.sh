#!/usr/bin/env bash
# Loads the atlas in QGIS's own OGC API - Features provider, headless, and renders the layers
# to docs/qgis-districts.png (see scripts/qgis-render.py). Installs QGIS (~800 MB) when
# missing, so it is not part of CI. Usage: scripts/qgis-render.sh [OUT.png]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/qgis-districts.png}
scripts/install-deps.sh build qgis
scripts/build.sh release >/dev/null
export QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR
XDG_RUNTIME_DIR=$(mktemp -d)
chmod 700 "$XDG_RUNTIME_DIR"
build/api/atlas serve --port 18090 >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$XDG_RUNTIME_DIR"' EXIT
for _ in $(seq 100); do curl -sf -o /dev/null http://127.0.0.1:18090/health && break; sleep 0.2; done
/usr/bin/python3 scripts/qgis-render.py http://127.0.0.1:18090/ogc "$out"
