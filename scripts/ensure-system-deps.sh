#!/usr/bin/env bash
# Installs the system packages `npm test` needs and npm cannot provide:
# Debian's chromium (Playwright drives it) and postgresql (integration tests
# run every database test on PostgreSQL too). Fast no-op when both are present.
set -euo pipefail

missing=()
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
# The major version is whatever Debian ships; any initdb will do.
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "ensure-system-deps: missing system packages: ${missing[*]}" >&2
  echo "ensure-system-deps: run as root, or install them yourself:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y chromium postgresql" >&2
  exit 1
fi

echo "ensure-system-deps: installing ${missing[*]} with apt-get (a minute or two)…"
export DEBIAN_FRONTEND=noninteractive
# -qq keeps the log short; errors still reach stderr and fail the script.
apt-get update -qq
# Both packages always, so a half-installed machine ends up complete. With
# recommends, like a developer's machine: chromium then gets its fonts.
apt-get install -y -qq chromium postgresql >/dev/null
echo "ensure-system-deps: installed."
