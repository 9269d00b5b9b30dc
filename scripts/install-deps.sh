#!/usr/bin/env bash
# Installs the Debian packages listed in scripts/debian-packages.txt that are not installed yet.
# Usage: scripts/install-deps.sh [build|test]...   (default: build test)
# Idempotent: when everything is present it touches nothing and needs no root.
# With build or test it also installs the npm packages of package-lock.json (MapLibre GL JS,
# served by the atlas; the style validator and playwright-core for the tests) into node_modules.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
groups=("$@")
[ ${#groups[@]} -gt 0 ] || groups=(build test)

wanted=()
while read -r pkg tags; do
  [ -n "$pkg" ] && [ "${pkg#\#}" = "$pkg" ] || continue
  for g in "${groups[@]}"; do
    case " $tags " in *" [$g] "*) wanted+=("$pkg") ;; esac
  done
done <"$here/debian-packages.txt"

missing=()
for pkg in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$pkg")
done

# Node.js >= 20 (MapLibre's style validator needs it) may come from Debian or NodeSource; only
# when there is none at all is Debian's added.
needs_npm=false
for g in "${groups[@]}"; do [ "$g" = build ] || [ "$g" = test ] && needs_npm=true; done
if $needs_npm && ! command -v npm >/dev/null; then missing+=(nodejs npm); fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#wanted[@]} packages present (${groups[*]})" >&2
else
  echo "install-deps: installing ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if $needs_npm; then
  cd "$here/.."
  # npm ci only when the lock file changed since the last install.
  if ! cmp -s package-lock.json node_modules/.atlas-lock 2>/dev/null; then
    echo "install-deps: npm ci" >&2
    npm ci --no-audit --no-fund --loglevel=error >&2
    cp package-lock.json node_modules/.atlas-lock
  fi
fi
