#!/usr/bin/env bash
# Loads the atlas in QGIS's own OGC API - Features provider, headless, checks every served style
# with QGIS's parsers and renderer, and renders the districts to docs/qgis-districts.png (see
# scripts/qgis-render.py; the CTest qgis_styles runs the same checks). Installs QGIS (~800 MB)
# when missing. Usage: scripts/qgis-render.sh [OUT.png]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/qgis-districts.png}
scripts/install-deps.sh build qgis
scripts/build.sh release >/dev/null
/usr/bin/python3 scripts/qgis-render.py --atlas build/api/atlas "$out"
