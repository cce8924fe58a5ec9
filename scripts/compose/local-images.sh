#!/usr/bin/env bash
# Builds the images docker-compose.yml needs from local parts, for machines with no image registry (CI, here):
#   localhost/nestmesh-local/debian:bookworm   debootstrap --variant=minbase bookworm, from the Debian mirror apt uses
#   localhost/nestmesh-local/node:<version>    + the workspace's Node binary (`node` devDependency), the host's npm,
#                                              this machine's CA bundle (NODE_EXTRA_CA_CERTS), and a `node`
#                                              user (uid 1000), like the official node image: BASE_IMAGE
#   localhost/nestmesh-local/consul:<version>  + Consul from scripts/install-consul.sh (bullseye .deb): CONSUL_IMAGE
#   localhost/nestmesh-local/redis:bookworm    + Debian's redis-server: REDIS_IMAGE
# Each image is cached by name: present, it is not rebuilt (`podman rmi` it to rebuild). Progress goes to stderr;
# stdout gets the variables that point docker-compose.yml at these images, so this works:
#   eval "$(bash scripts/compose/local-images.sh)" && podman-compose up --build -d
# Needs podman and debootstrap (scripts/compose/install-podman.sh) and `npm ci` done (the Node binary).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PREFIX=localhost/nestmesh-local

log() { echo "::: local-images: $*" >&2; }
die() { echo "local-images: FAIL: $*" >&2; exit 1; }

NODE_BIN="$ROOT/node_modules/node/bin/node"
[ -x "$NODE_BIN" ] || die "no Node binary at $NODE_BIN. Fix: npm ci in $ROOT (the \`node\` devDependency installs it)."
NODE_VERSION="$("$NODE_BIN" -p process.versions.node)"
NPM_DIR="$(npm root -g)/npm"
[ -f "$NPM_DIR/bin/npm-cli.js" ] || die "no npm at $NPM_DIR (from \`npm root -g\`). Fix: install npm on this machine."

CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt
[ -f "$CA_BUNDLE" ] || die "no CA bundle at $CA_BUNDLE. Fix: apt-get install -y ca-certificates."

WORK="$(mktemp -d "${TMPDIR:-/var/tmp}/nestmesh-images.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# The first Debian archive apt already uses (not -security/-updates); deb.debian.org when apt knows none.
debian_mirror() {
  local uri
  uri="$(apt-get indextargets --format '$(REPO_URI) $(RELEASE)' 'Created-By: Packages' 2>/dev/null | awk '$2 !~ /-/ && $1 !~ /security/ { print $1; exit }')"
  if [ -z "$uri" ]; then
    uri=http://deb.debian.org/debian
    log "apt knows no Debian archive (apt-get update not run?): using $uri"
  fi
  echo "$uri"
}

DEBIAN_IMAGE="$PREFIX/debian:bookworm"
if ! podman image exists "$DEBIAN_IMAGE"; then
  mirror="$(debian_mirror)"
  log "$DEBIAN_IMAGE: debootstrap --variant=minbase bookworm from $mirror (about a minute)"
  debootstrap --variant=minbase bookworm "$WORK/rootfs" "$mirror" > "$WORK/debootstrap.log" 2>&1 \
    || { tail -n 30 "$WORK/debootstrap.log" >&2; die "debootstrap failed (log above)"; }
  # The `node` user of the official node image, so the Dockerfile's `USER node` works on either base.
  echo 'node:x:1000:1000::/home/node:/bin/sh' >> "$WORK/rootfs/etc/passwd"
  echo 'node:x:1000:' >> "$WORK/rootfs/etc/group"
  echo 'node:*:19000:0:99999:7:::' >> "$WORK/rootfs/etc/shadow"
  mkdir -p "$WORK/rootfs/home/node" && chown 1000:1000 "$WORK/rootfs/home/node"
  rm -rf "$WORK/rootfs/var/cache/apt/archives/"*.deb "$WORK/rootfs/var/lib/apt/lists/"*
  tar -C "$WORK/rootfs" -c . | podman import --change 'CMD ["/bin/bash"]' - "$DEBIAN_IMAGE" >/dev/null
  rm -rf "$WORK/rootfs"
fi

# Containers must start before anything is built on them: runc refuses every one when containers.conf asks for
# more than this machine allows (default_ulimits), with an error that names no file.
podman run --rm --network none "$DEBIAN_IMAGE" true >/dev/null 2>"$WORK/run.err" \
  || die "a container does not start: $(tail -n 3 "$WORK/run.err"). Fix: default_ulimits in /etc/containers/containers.conf at or below \`ulimit -n -u\`, nproc also at most kernel.pid_max (bash scripts/compose/install-podman.sh sets it when absent)."

NODE_IMAGE="$PREFIX/node:$NODE_VERSION"
if ! podman image exists "$NODE_IMAGE"; then
  log "$NODE_IMAGE: Node $NODE_VERSION ($NODE_BIN) and npm $(npm -v) ($NPM_DIR)"
  mkdir -p "$WORK/node"
  cp "$NODE_BIN" "$WORK/node/node"
  cp -r "$NPM_DIR" "$WORK/node/npm"
  # The CAs this machine trusts (minbase has none; a registry behind a TLS-inspecting proxy needs its CA): npm ci
  # in the image build must reach the npm registry as the host's npm does.
  cp "$CA_BUNDLE" "$WORK/node/ca-certificates.crt"
  cat > "$WORK/node/Containerfile" <<CONTAINERFILE
FROM $DEBIAN_IMAGE
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \\
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \\
 && node -v && npm -v
CMD ["node"]
CONTAINERFILE
  podman build -q -t "$NODE_IMAGE" "$WORK/node" >/dev/null
fi

bash "$ROOT/scripts/install-consul.sh" >&2
CONSUL_BIN="$ROOT/.tools/consul/usr/bin/consul"
CONSUL_VERSION="$("$CONSUL_BIN" version | sed -nE '1s/^Consul v([0-9.]+).*/\1/p')"
CONSUL_IMAGE="$PREFIX/consul:$CONSUL_VERSION"
if ! podman image exists "$CONSUL_IMAGE"; then
  log "$CONSUL_IMAGE: $CONSUL_BIN"
  mkdir -p "$WORK/consul"
  cp "$CONSUL_BIN" "$WORK/consul/consul"
  # ENTRYPOINT consul: `command: agent -dev ...` works as with hashicorp/consul's entry point.
  printf 'FROM %s\nCOPY consul /usr/local/bin/consul\nENTRYPOINT ["consul"]\nCMD ["agent", "-dev", "-client", "0.0.0.0"]\n' "$DEBIAN_IMAGE" > "$WORK/consul/Containerfile"
  podman build -q -t "$CONSUL_IMAGE" "$WORK/consul" >/dev/null
fi

REDIS_IMAGE="$PREFIX/redis:bookworm"
if ! podman image exists "$REDIS_IMAGE"; then
  log "$REDIS_IMAGE: Debian's redis-server"
  mkdir -p "$WORK/redis"
  printf '%s\n' "FROM $DEBIAN_IMAGE" \
    'RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null && rm -rf /var/lib/apt/lists/*' \
    'CMD ["redis-server", "--protected-mode", "no"]' > "$WORK/redis/Containerfile"
  podman build -q -t "$REDIS_IMAGE" "$WORK/redis" >/dev/null
fi

echo "export BASE_IMAGE=$NODE_IMAGE CONSUL_IMAGE=$CONSUL_IMAGE REDIS_IMAGE=$REDIS_IMAGE"
