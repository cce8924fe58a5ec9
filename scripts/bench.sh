#!/usr/bin/env bash
# Runs every package's benchmarks (packages/*/bench/*.bench.ts) against the built packages.
# Each benchmark prints its numbers as ratios against a baseline measured in the same run.
# `npm run bench -- discovery` runs only the benchmarks whose path contains "discovery".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
filter="${1:-}"

if [ -z "${CONSUL_BIN:-}" ] && ! command -v consul >/dev/null 2>&1 && [ ! -x .tools/consul/usr/bin/consul ]; then
  bash scripts/install-consul.sh
fi
# The proxy benchmark drives its targets with wrk and compares with nginx (Debian packages): installed here when
# missing and run as root, as scripts/test.sh installs Redis; without them, the bench says what it skips.
missing=""
for tool in wrk nginx; do command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || missing="$missing $tool"; done
if [ -n "$missing" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "bench: installing$missing (Debian packages)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi
npm run build --silent
mkdir -p .bench
status=0
for bench in packages/*/bench/*.bench.ts; do
  [ -f "$bench" ] || continue
  case "$bench" in *"$filter"*) ;; *) continue ;; esac
  echo "=== $bench"
  node --expose-gc --import ./scripts/ts-register.js "$bench" || status=1
done
exit $status
