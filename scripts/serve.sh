#!/usr/bin/env bash
# Installs what is missing, builds, and serves the Erfurt default on http://127.0.0.1:8080/.
# Extra arguments go to `atlas serve` (e.g. --port 9000 --config shapes/other/atlas.toml).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh build
scripts/build.sh release
exec build/api/atlas serve "$@"
