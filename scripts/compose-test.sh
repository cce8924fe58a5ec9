#!/usr/bin/env bash
# `npm run test:compose`: docker-compose.yml run for real, with podman (no Docker engine or image registry needed).
#
#  1. tools: podman, podman-compose, debootstrap, runc and /etc/containers/containers.conf, installed when missing
#     (root only; scripts/compose/install-podman.sh);
#  2. images: a local Debian base with the workspace's Node (BASE_IMAGE), Consul (CONSUL_IMAGE) and Redis
#     (REDIS_IMAGE), each cached by name (scripts/compose/local-images.sh), then the app image from the Dockerfile
#     through the compose file's `build:` (podman's layer cache makes a rebuild without changes quick);
#  3. up, on free loopback ports (GATEWAY_PORT, CONSUL_PORT, REDIS_PORT) under a project of its own: Consul and
#     Redis, then the two orders replicas, then the gateway, each waited for with its compose health check
#     (podman-compose does not honour `depends_on: condition: service_healthy`; podman runs no health checks by
#     itself without systemd, so this script runs them);
#  4. the walk of the compose file's header curls through the gateway: a token (GET /demo/token), create an order
#     (POST /api/orders: 201), read it back several times (GET /api/orders/:id: 200 from either replica, orders
#     live in Redis), list, GET /api/dashboard (200), no token (401), a token without the scope (403);
#  5. failover: both orders replicas passing in Consul, one killed (`podman kill`, SIGKILL: no deregistration),
#     then 50 sequential GETs through the gateway must all answer 200, and Consul must take the dead one out of
#     rotation (critical after its 10 s TTL);
#  6. down, always (trap): containers, pods and the project's network removed, checked.
# Every step prints one line (ok / FAIL); a failed walk step does not stop the others. Any failure exits 1 with
# the failed steps listed and every container's last log lines. Prints the time of each phase.
# Usage: npm run test:compose   (images are kept and reused by name; `podman rmi` them for a cold run)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Node 24 (the workspace's `node` devDependency) runs the helpers below; the system node may be older.
if [ -x "$ROOT/node_modules/node/bin/node" ]; then export PATH="$ROOT/node_modules/node/bin:$PATH"; fi

PROJECT="nestmesh-compose-test-$$"
LOGS="$(mktemp -d "${TMPDIR:-/tmp}/nestmesh-compose-test.XXXXXX")"
FAILED=()
START=$SECONDS
PHASE_START=$SECONDS
TIMES=()

say() { echo "::: compose: $*"; }
ok() { echo "    ok: $*"; }
fail() { echo "    FAIL: $*" >&2; FAILED+=("$1"); }
die() { echo "compose: FAIL: $*" >&2; FAILED+=("$1"); exit 1; }
phase_done() { TIMES+=("$1 $((SECONDS - PHASE_START)) s"); PHASE_START=$SECONDS; }
times_line() { local IFS=,; echo "${TIMES[*]}" | sed "s/,/, /g"; }
compose() { podman-compose -p "$PROJECT" "$@" >> "$LOGS/podman-compose.log" 2>&1; }
project_containers() { podman ps -a --filter "label=io.podman.compose.project=$PROJECT" --format '{{.Names}}' 2>/dev/null | sort; }

cleanup() {
  local code=$?
  trap - EXIT INT TERM
  if [ "$code" != 0 ] || [ ${#FAILED[@]} -gt 0 ]; then
    echo "::: compose: container states and last log lines (failure)" >&2
    podman ps -a --filter "label=io.podman.compose.project=$PROJECT" --format '{{.Names}} {{.Status}}' >&2 || true
    for name in $(project_containers); do
      echo "----- $name -----" >&2
      podman logs --tail 60 "$name" >&2 2>&1 || true
    done
    echo "----- podman-compose (last 40 lines of $LOGS/podman-compose.log) -----" >&2
    tail -n 40 "$LOGS/podman-compose.log" >&2 2>/dev/null || true
  fi
  say "down"
  compose down -t 5 || true
  # podman-compose 1.0.3 leaves what it could not stop, pods it made, and always the network: remove them by name.
  for name in $(project_containers); do podman rm -f "$name" >/dev/null 2>&1 || true; done
  for pod in $(podman pod ls --filter "name=^pod_$PROJECT\$" --format '{{.Name}}' 2>/dev/null); do podman pod rm -f "$pod" >/dev/null 2>&1 || true; done
  podman network rm -f "${PROJECT}_default" >/dev/null 2>&1 || true
  local left
  left="$(project_containers; podman network ls --format '{{.Name}}' | grep -Fx "${PROJECT}_default" || true)"
  if [ -n "$left" ]; then
    echo "compose: FAIL: left behind after down: $left. Fix: podman rm -f / podman network rm them." >&2
    code=1
  fi
  rm -rf "$LOGS"
  if [ "$code" = 0 ] && [ ${#FAILED[@]} -gt 0 ]; then code=1; fi
  if [ "$code" = 0 ]; then
    say "PASS in $((SECONDS - START)) s ($(times_line))"
  else
    echo "compose: FAIL after $((SECONDS - START)) s ($(times_line)); failed: ${FAILED[*]:-setup}" >&2
  fi
  exit "$code"
}
trap cleanup EXIT
trap 'FAILED+=(interrupted); exit 130' INT TERM

# ---------------------------------------------------------------------------------------------------------------
say "tools (podman, podman-compose, debootstrap, containers.conf)"
bash scripts/compose/install-podman.sh || die tools "podman is not usable (above)."
phase_done tools

say "local images (cached by name)"
exports="$(bash scripts/compose/local-images.sh)" || die images "the local base, Consul or Redis image could not be built (above)."
eval "$exports"
export DEMO_IMAGE=localhost/nestmesh-demo:compose-test
export BUILDAH_FORMAT=docker # keeps the Dockerfile's HEALTHCHECK (OCI images have none)
echo "    $exports DEMO_IMAGE=$DEMO_IMAGE"
phase_done images

say "app image from the Dockerfile (docker-compose.yml build:, BASE_IMAGE=$BASE_IMAGE)"
compose build gateway || die build "the app image did not build: see the podman-compose log below."
phase_done build

# Three free loopback ports, held together so they differ; the compose file publishes on 127.0.0.1 only.
read -r GATEWAY_PORT CONSUL_PORT REDIS_PORT < <(node -e '
  const net = require("node:net");
  const servers = [0, 1, 2].map(() => net.createServer().listen(0, "127.0.0.1"));
  Promise.all(servers.map((s) => new Promise((r) => s.once("listening", r)))).then(() => {
    console.log(servers.map((s) => s.address().port).join(" "));
    servers.forEach((s) => s.close());
  });')
export GATEWAY_PORT CONSUL_PORT REDIS_PORT
GATEWAY="http://127.0.0.1:$GATEWAY_PORT"
CONSUL="http://127.0.0.1:$CONSUL_PORT"

# Runs a container's own compose health check until it passes; a container that stops fails at once.
wait_healthy() {
  local name="$1" deadline=$((SECONDS + ${2:-120}))
  until podman healthcheck run "$name" >/dev/null 2>&1; do
    if [ "$(podman inspect -f '{{.State.Running}}' "$name" 2>/dev/null)" != true ]; then die "up:$name" "$name stopped before it was healthy."; fi
    if [ $SECONDS -ge $deadline ]; then die "up:$name" "$name not healthy after ${2:-120} s."; fi
    sleep 1
  done
  ok "$name healthy"
}

say "up: project $PROJECT, gateway 127.0.0.1:$GATEWAY_PORT, Consul 127.0.0.1:$CONSUL_PORT, Redis 127.0.0.1:$REDIS_PORT"
compose up -d consul redis || die up "podman-compose up consul redis failed."
wait_healthy "${PROJECT}_consul_1"
wait_healthy "${PROJECT}_redis_1"
compose up -d orders || die up "podman-compose up orders failed."
wait_healthy "${PROJECT}_orders_1"
wait_healthy "${PROJECT}_orders_2"
compose up -d gateway || die up "podman-compose up gateway failed."
wait_healthy "${PROJECT}_gateway_1"
phase_done up

# http METHOD URL [TOKEN] [JSON]: sets STATUS, BODY and HEADERS; never fails the script by itself.
http() {
  local args=(-sS -o "$LOGS/body" -D "$LOGS/headers" -w '%{http_code}' --max-time 20 -X "$1" "$2")
  [ -n "${3:-}" ] && args+=(-H "authorization: Bearer $3")
  [ -n "${4:-}" ] && args+=(-H 'content-type: application/json' --data "$4")
  STATUS="$(curl "${args[@]}" 2>"$LOGS/curl.err")" || STATUS="000 ($(cat "$LOGS/curl.err"))"
  BODY="$(cat "$LOGS/body" 2>/dev/null || true)"
  HEADERS="$(tr -d '\r' < "$LOGS/headers" 2>/dev/null || true)"
}
# json FIELD: the field of $BODY (a JSON object), empty when absent or not JSON.
json() { node -e 'try { const v = JSON.parse(process.argv[1])[process.argv[2]]; if (v !== undefined) console.log(v); } catch {}' "$BODY" "$1"; }
# expect STEP STATUS DESCRIPTION: checks $STATUS, reports the step.
expect() {
  if [ "$STATUS" = "$2" ]; then ok "$1: $3 -> $STATUS"; return 0; fi
  fail "$1" "$3: expected $2, got $STATUS: ${BODY:0:300}"
  return 1
}
# token VAR [SCOPE]: a demo token from the gateway (both scopes by default) into VAR; empty (and a failed step) if none.
token() {
  local step="token${2:+ ($2)}"
  printf -v "$1" '%s' ''
  http GET "$GATEWAY/demo/token${2:+?scope=$2}"
  expect "$step" 200 "GET /demo/token${2:+?scope=$2}" || return 0
  printf -v "$1" '%s' "$(json access_token)"
  [ -n "${!1}" ] || fail "$step" "GET /demo/token answered no access_token: ${BODY:0:300}"
}

say "walk: the compose file's curls through the gateway"
token TOKEN
[ -n "$TOKEN" ] || die token "no token: every other step needs one."

http POST "$GATEWAY/api/orders" "$TOKEN" '{"item":"compose-test","quantity":2}'
ORDER_ID=""
if expect create 201 "POST /api/orders"; then ORDER_ID="$(json id)"; [ -n "$ORDER_ID" ] || fail create "the created order has no id: $BODY"; fi

if [ -n "$ORDER_ID" ]; then
  # Several reads: the gateway spreads them over both replicas, which must both see the order (Redis).
  read_ok=0
  for _ in 1 2 3 4 5 6; do
    http GET "$GATEWAY/api/orders/$ORDER_ID" "$TOKEN"
    if [ "$STATUS" = 200 ] && [ "$(json id)" = "$ORDER_ID" ]; then read_ok=$((read_ok + 1)); else break; fi
  done
  if [ $read_ok = 6 ]; then ok "read: GET /api/orders/$ORDER_ID -> 200 six times (either replica)"; else fail read "GET /api/orders/$ORDER_ID: got $STATUS after $read_ok good reads: ${BODY:0:300}"; fi
fi

http GET "$GATEWAY/api/orders" "$TOKEN"
if expect list 200 "GET /api/orders" && [ -n "$ORDER_ID" ] && [[ "$BODY" != *"\"$ORDER_ID\""* ]]; then fail list "GET /api/orders does not list order $ORDER_ID: ${BODY:0:300}"; fi

http GET "$GATEWAY/api/dashboard" "$TOKEN"
# Every leg must have answered: a partial answer is a 200 too, with `errors` and X-Nestmesh-Completed: false.
if expect dashboard 200 "GET /api/dashboard (orders over REST + orders.stats over TCP)"; then
  if ! node -e 'const b = JSON.parse(process.argv[1]); if (typeof b !== "object" || b === null || "errors" in b) process.exit(1)' "$BODY" 2>/dev/null \
    || grep -qi '^x-nestmesh-completed: *false' <<<"$HEADERS"; then
    fail dashboard "GET /api/dashboard answered a partial or non-JSON answer (a leg failed): ${BODY:0:300}"
  else
    ok "dashboard: every leg answered"
  fi
fi

http GET "$GATEWAY/api/orders"
expect unauthenticated 401 "GET /api/orders without a token" || true

token WRITE_ONLY orders:write
if [ -n "$WRITE_ONLY" ]; then
  http GET "$GATEWAY/api/orders" "$WRITE_ONLY"
  expect forbidden-read 403 "GET /api/orders with scope orders:write only" || true
fi
token READ_ONLY orders:read
if [ -n "$READ_ONLY" ]; then
  http POST "$GATEWAY/api/orders" "$READ_ONLY" '{"item":"refused","quantity":1}'
  expect forbidden-write 403 "POST /api/orders with scope orders:read only" || true
fi
phase_done walk

say "failover: kill one orders replica while requests keep answering"
# passing orders instances in Consul (its HTTP API on the published port).
passing() { curl -sS --max-time 10 "$CONSUL/v1/health/service/orders?passing" | node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => { try { console.log(JSON.parse(s).length); } catch { console.log("?"); } })'; }
count="$(passing)"
if [ "$count" != 2 ]; then
  fail failover "Consul lists $count passing orders instances before the kill, expected 2 (one per replica, each with its container's address)."
else
  ok "Consul: 2 orders instances passing"
  victim="${PROJECT}_orders_2"
  podman kill "$victim" >/dev/null || die failover "podman kill $victim failed."
  ok "killed $victim (SIGKILL)"
  good=0
  for i in $(seq 1 50); do
    http GET "$GATEWAY/api/orders" "$TOKEN"
    if [ "$STATUS" = 200 ]; then good=$((good + 1)); else fail failover "request $i of 50 after the kill: GET /api/orders -> $STATUS: ${BODY:0:300}"; break; fi
  done
  [ $good = 50 ] && ok "50 sequential GET /api/orders after the kill -> 200"
  deadline=$((SECONDS + 60))
  until [ "$(passing)" = 1 ]; do
    if [ $SECONDS -ge $deadline ]; then fail rotation "Consul still lists $(passing) passing orders instances 60 s after the kill, expected 1."; break; fi
    sleep 1
  done
  [ "$(passing)" = 1 ] && ok "Consul: the killed replica is out of rotation (1 passing)"
fi
phase_done failover
