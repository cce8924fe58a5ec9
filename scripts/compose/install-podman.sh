#!/usr/bin/env bash
# Makes containers run on a machine with no Docker engine (CI, here): Debian's podman, podman-compose and
# debootstrap (plus runc), and /etc/containers/containers.conf with
#   - runtime = "runc";
#   - default_ulimits at or below this machine's own limits: podman's defaults exceed them and runc then refuses
#     every container ("error setting rlimit type 6: operation not permitted"). nofile = `ulimit -n` (soft:hard),
#     nproc = `ulimit -u`, at most kernel.pid_max (runc refuses more even when `ulimit -u` allows it).
# Idempotent: what is installed and set already is left alone. Needs root for what is missing; says what to do
# otherwise. Usage: bash scripts/compose/install-podman.sh
set -euo pipefail
CONF=/etc/containers/containers.conf

log() { echo "::: install-podman: $*"; }
die() { echo "install-podman: FAIL: $*" >&2; exit 1; }
need_root() { [ "$(id -u)" = 0 ] || die "$1 Fix: run this as root, or do it yourself: $2"; }

missing=()
for tool in podman podman-compose debootstrap runc; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  need_root "missing: ${missing[*]}." "sudo apt-get install -y podman podman-compose debootstrap runc"
  log "apt-get install ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman podman-compose debootstrap runc >/dev/null
fi

nofile="$(ulimit -Sn):$(ulimit -Hn)"
nproc="$(ulimit -Su)"
pid_max="$(cat /proc/sys/kernel/pid_max 2>/dev/null || echo "$nproc")"
if [ "$nproc" = unlimited ] || [ "$nproc" -gt "$pid_max" ]; then nproc="$pid_max"; fi
ulimits="default_ulimits = [\"nofile=$nofile\", \"nproc=$nproc:$nproc\"]"
runtime='runtime = "runc"'

# Adds `line` to TOML table `section` of $CONF unless `key` is already set there (or anywhere: keys are unique).
set_key() {
  local section="$1" key="$2" line="$3"
  if [ -f "$CONF" ] && grep -Eq "^[[:space:]]*$key[[:space:]]*=" "$CONF"; then return; fi
  need_root "$CONF does not set $key." "add \`$line\` under [$section] in $CONF"
  mkdir -p "$(dirname "$CONF")"
  touch "$CONF"
  if grep -Eq "^[[:space:]]*\[$section\][[:space:]]*$" "$CONF"; then
    sed -i -E "/^[[:space:]]*\[$section\][[:space:]]*$/a $line" "$CONF"
  else
    printf '\n[%s]\n%s\n' "$section" "$line" >> "$CONF"
  fi
  log "$CONF: [$section] $line"
}
set_key containers default_ulimits "$ulimits"
set_key engine runtime "$runtime"

podman info >/dev/null || die "podman does not work (podman info failed above)."
log "ready: $(podman --version), $(podman-compose version 2>/dev/null | grep -i compose | head -n1), runtime $(podman info --format '{{.Host.OCIRuntime.Name}}')"
