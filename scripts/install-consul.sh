#!/usr/bin/env bash
# Installs a real Consul agent (Debian bullseye's `consul` package, 1.8.7) into .tools/consul,
# a git-ignored folder, without touching the system's apt configuration.
#
# The bullseye source reuses the mirror URI and keyring that this machine's apt already uses,
# so no registry host is written into the repository.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/.tools/consul"
BIN="$DEST/usr/bin/consul"

if [ -x "$BIN" ]; then
  echo "consul already installed: $BIN"
  exit 0
fi

eval "$(apt-config shell ETC_DIR Dir::Etc/d SOURCE_PARTS Dir::Etc::sourceparts/d SOURCE_LIST Dir::Etc::sourcelist/f)"

# Find the first Debian main-archive URI and its keyring (deb822 .sources first, then one-line lists).
uri=""
keyring=""
for f in "$SOURCE_PARTS"/*.sources; do
  [ -f "$f" ] || continue
  read -r uri keyring < <(awk '
    function flush() { if (u != "" && s ~ /(bookworm|bullseye|trixie)( |$)/ && s !~ /security/ && found == 0) { print u, k; found = 1 } u=""; s=""; k="" }
    /^[[:space:]]*$/ { flush(); next }
    /^URIs:/ { u = $2 }
    /^Suites:/ { s = $0; sub(/^Suites:[[:space:]]*/, "", s) }
    /^Signed-By:/ { k = $2 }
    END { flush() }
  ' "$f") || true
  [ -n "$uri" ] && break
done
if [ -z "$uri" ]; then
  for f in "$SOURCE_LIST" "$SOURCE_PARTS"/*.list; do
    [ -f "$f" ] || continue
    line="$(grep -E '^deb ' "$f" | grep -v security | grep -E ' (bookworm|bullseye|trixie) ' | head -n1 || true)"
    [ -n "$line" ] || continue
    keyring="$(sed -nE 's/.*signed-by=([^] ]+).*/\1/p' <<<"$line")"
    uri="$(sed -E 's/^deb (\[[^]]*\] )?([^ ]+).*/\2/' <<<"$line")"
    break
  done
fi
if [ -z "$uri" ]; then
  echo "install-consul: no Debian archive source found in $SOURCE_PARTS or $SOURCE_LIST." >&2
  echo "Install Consul yourself and put it on PATH (or set CONSUL_BIN)." >&2
  exit 1
fi
[ -n "$keyring" ] || keyring=/usr/share/keyrings/debian-archive-keyring.gpg

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/lists/partial" "$WORK/parts" "$WORK/archives/partial"
echo "deb [signed-by=$keyring] $uri bullseye main" > "$WORK/sources.list"

APT_OPTS=(
  -o "Dir::Etc::sourcelist=$WORK/sources.list"
  -o "Dir::Etc::sourceparts=$WORK/parts"
  -o "Dir::State::Lists=$WORK/lists"
  -o "Dir::Cache::archives=$WORK/archives"
  -o "Dir::Cache::pkgcache=$WORK/pkgcache.bin"
  -o "Dir::Cache::srcpkgcache=$WORK/srcpkgcache.bin"
  -o "APT::Get::List-Cleanup=0"
  -o "APT::Sandbox::User=root"
)
echo "install-consul: fetching bullseye package lists from $uri"
apt-get "${APT_OPTS[@]}" -qq update
(cd "$WORK" && apt-get "${APT_OPTS[@]}" -qq download consul)
mkdir -p "$DEST"
dpkg -x "$WORK"/consul_*.deb "$DEST"
echo "install-consul: $("$BIN" version | sed -n 1p)"
echo "consul installed: $BIN"
