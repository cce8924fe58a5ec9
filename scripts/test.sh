#!/usr/bin/env bash
# The whole test suite: unit specs and end-to-end scenarios against a real Consul agent, a real Redis
# and real Nest apps on loopback. Installs Consul (and Redis, when run as root) if they are missing.
# Extra arguments go to Jest, e.g. `npm test -- packages/discovery`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ -z "${CONSUL_BIN:-}" ] && ! command -v consul >/dev/null 2>&1 && [ ! -x .tools/consul/usr/bin/consul ]; then
  bash scripts/install-consul.sh
fi
if [ -z "${REDIS_SERVER_BIN:-}" ] && ! command -v redis-server >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test: installing redis-server (Debian package)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  else
    echo "test: redis-server is missing: install it (apt-get install redis-server) or set REDIS_SERVER_BIN." >&2
    exit 1
  fi
fi

# Scenario tests run the built demo apps as real processes (SIGTERM, SIGKILL), so build first;
# `tsc -b` is incremental and returns at once when nothing changed.
npm run build --silent

export NODE_OPTIONS="--experimental-vm-modules ${NODE_OPTIONS:-}"
exec jest "$@"
