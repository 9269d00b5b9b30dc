#!/usr/bin/env bash
# Configures and builds District Atlas.
# Usage: scripts/build.sh [release|asan]   (release -> build/, asan -> build-asan/)
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-release}
case "$kind" in
  release) dir=build; flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo) ;;
  asan) dir=build-asan; flags=(-DCMAKE_BUILD_TYPE=Debug -DATLAS_SANITIZE=ON -DCMAKE_CXX_FLAGS=-O1) ;;
  *) echo "usage: scripts/build.sh [release|asan]" >&2; exit 2 ;;
esac
# Two cores and ~0.8 GB compiler RSS per heavy unit: -j2 is the machine's budget.
jobs=${ATLAS_JOBS:-2}
cmake -S . -B "$dir" "${flags[@]}" >/dev/null
cmake --build "$dir" -j "$jobs"
