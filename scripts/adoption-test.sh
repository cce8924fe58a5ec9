#!/usr/bin/env bash
# Adoption test: do the packages, as published, work in fresh apps outside this workspace?
#
# Packs the five packages (npm pack; @nestmesh/common, the internal helpers the four others depend on, goes into
# every app beside them), then for each app under scripts/adoption/, with the packages it covers
# (each app installs the packages whose peer ranges allow its Nest: @nestmesh/client and @nestmesh/gateway need Nest
# ^12, so the Nest 11 apps leave them out; installing them there would fail by design):
#   cjs-nest11           discovery, resilience: a CommonJS NestJS 11 app (module commonjs, as `nest new` makes it)
#                        with terminus 11.0.0, which loads our ESM packages through Node's require(esm) (Node >= 22.12,
#                        hence engines);
#   cjs-nodenext-nest11  discovery, resilience: the same app with the tsconfig of newer `nest new` (module nodenext,
#                        still CommonJS);
#   esm-nest12           discovery, resilience, client, gateway: an ESM NestJS 12 app (module nodenext,
#                        "type": "module") with terminus 12, @nestjs/microservices and @nestjs/throttler;
# copies the app into a temp dir, installs its tarballs and its pinned dependencies from the npm registry
# (a peer range that excludes the app's Nest fails the install: no --legacy-peer-deps), builds it with its own
# `tsc`, and runs it on Node 24 and on the oldest Node of `engines` (22.12.0): the app boots ResilienceModule +
# ServiceDiscoveryModule (in-memory registry), a @Discoverable module and a @CircuitBreaker method, checks its
# routes over HTTP, closes, and must exit 0 (scripts/adoption/app/src/main.ts). An app that covers the client and
# the gateway gets scripts/adoption/app-mesh/src/ over app/src/: it also imports ServiceClientModule and
# GatewayModule and checks a gateway route to a static URL (a node:http upstream it starts), a gateway route to a
# discovered service (itself) and an @InjectServiceClient call. The CommonJS apps also run their own Jest suite
# (scripts/adoption/app/test/), each with one of the Jest recipes the READMEs give: Jest 29 transforming the ESM
# packages, Jest 30 loading them natively. Any failure exits non-zero with the step that failed.
#
# Usage: bash scripts/adoption-test.sh [app...]   (default: every app; ADOPTION_KEEP=1 keeps the temp dir)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Node 24 (the workspace's `node` devDependency) runs npm, tsc and the apps; the system node may be older.
if [ -x "$ROOT/node_modules/node/bin/node" ]; then export PATH="$ROOT/node_modules/node/bin:$PATH"; fi
node -e 'const [a, b] = process.versions.node.split(".").map(Number); if (a < 22 || (a === 22 && b < 12)) { console.error(`adoption: Node ${process.version} is too old: require(esm) needs >= 22.12. Fix: npm ci in ${process.cwd()} (installs Node 24).`); process.exit(1); }'

PACKAGES=(common discovery resilience client gateway)
# The packages each app installs and exercises (see above); "client gateway" also brings scripts/adoption/app-mesh.
declare -A COVERS=(
  [cjs-nest11]="common discovery resilience"
  [cjs-nodenext-nest11]="common discovery resilience"
  [esm-nest12]="common discovery resilience client gateway"
)
APPS=("$@")
if [ ${#APPS[@]} -eq 0 ]; then APPS=(cjs-nest11 cjs-nodenext-nest11 esm-nest12); fi
for name in "${PACKAGES[@]}"; do
  case " ${COVERS[*]} " in *" $name "*) ;; *) echo "adoption: FAIL: no app covers @nestmesh/$name: add it to COVERS" >&2; exit 1 ;; esac
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/nestmesh-adoption.XXXXXX")"
if [ "${ADOPTION_KEEP:-}" = 1 ]; then echo "adoption: keeping $WORK"; else trap 'rm -rf "$WORK"' EXIT; fi

step() { echo "::: adoption: $*"; }
die() { echo "adoption: FAIL: $*" >&2; exit 1; }

step "build and pack (node $(node -v))"
npm run build --silent
mkdir -p "$WORK/tarballs"
npm pack $(printf -- '-w @nestmesh/%s ' "${PACKAGES[@]}") --pack-destination "$WORK/tarballs" --silent >/dev/null
TARBALLS=("$WORK"/tarballs/*.tgz)
[ ${#TARBALLS[@]} -eq ${#PACKAGES[@]} ] || die "expected ${#PACKAGES[@]} tarballs in $WORK/tarballs, got: ${TARBALLS[*]}"
declare -A TARBALL=()
for name in "${PACKAGES[@]}"; do
  found=("$WORK/tarballs/nestmesh-$name-"*.tgz)
  [ ${#found[@]} -eq 1 ] && [ -f "${found[0]}" ] || die "expected one tarball of @nestmesh/$name in $WORK/tarballs, got: ${found[*]}"
  TARBALL[$name]="${found[0]}"
done

# The oldest Node our `engines` allow (">=22.12" -> 22.12.0): each app also boots on it, from the `node` npm package
# (as the workspace gets Node 24), since require(esm) only runs unflagged from there.
floor="$(node -p '
  const names = process.argv.slice(1);
  const ranges = names.map((name) => `@nestmesh/${name}: ${require(`./packages/${name}/package.json`).engines?.node}`);
  const distinct = new Set(names.map((name) => require(`./packages/${name}/package.json`).engines?.node));
  const m = distinct.size === 1 ? /^>=\s*(\d+)\.(\d+)(?:\.(\d+))?$/.exec(String([...distinct][0])) : null;
  if (!m) throw new Error(`engines.node must be one ">=X.Y" range in every package, got ${ranges.join(", ")}`);
  `${m[1]}.${m[2]}.${m[3] ?? 0}`' "${PACKAGES[@]}")" || die "could not read the engines floor"
step "install Node $floor (the engines floor)"
mkdir -p "$WORK/node-floor"
(cd "$WORK/node-floor" && npm init -y >/dev/null && npm install --no-audit --no-fund --prefer-offline --loglevel=error "node@$floor") \
  || die "could not install node@$floor from the registry"
FLOOR_NODE="$WORK/node-floor/node_modules/.bin/node"
[ "$("$FLOOR_NODE" -v)" = "v$floor" ] || die "node@$floor installed $("$FLOOR_NODE" -v)"

for app in "${APPS[@]}"; do
  [ -d "scripts/adoption/$app" ] && [ -n "${COVERS[$app]:-}" ] || die "no app $app (apps: ${!COVERS[*]})"
  covers=(${COVERS[$app]})
  dir="$WORK/$app"
  mkdir -p "$dir"
  cp "scripts/adoption/$app/package.json" "scripts/adoption/$app/tsconfig.json" "$dir/"
  cp -r scripts/adoption/app/src "$dir/src"
  cp -r scripts/adoption/app/test "$dir/test"
  mesh=""
  for name in "${covers[@]}"; do case "$name" in client | gateway) mesh+="$name " ;; esac; done
  case "$mesh" in
    "") ;;
    "client gateway ") cp scripts/adoption/app-mesh/src/* "$dir/src/" ;; # ServiceClientModule + GatewayModule
    *) die "$app: app-mesh exercises @nestmesh/client and @nestmesh/gateway together: cover both (in that order) or neither" ;;
  esac
  app_tarballs=()
  for name in "${covers[@]}"; do app_tarballs+=("${TARBALL[$name]}"); done

  step "$app: npm install (@nestmesh/{$(IFS=,; echo "${covers[*]}")} tarballs + pinned dependencies from the registry)"
  (cd "$dir" && npm install --no-audit --no-fund --prefer-offline --loglevel=error "${app_tarballs[@]}") \
    || die "$app: npm install failed (see npm's error above: a peer range that excludes this app's Nest or terminus?)"
  nest="$(cd "$dir" && node -p 'require("@nestjs/core/package.json").version')"
  terminus="$(cd "$dir" && node -p 'require("@nestjs/terminus/package.json").version')"

  step "$app: tsc (Nest $nest, terminus $terminus)"
  (cd "$dir" && npx --no-install tsc -p tsconfig.json) || die "$app: tsc failed against Nest $nest / terminus $terminus"
  if [ "$(cd "$dir" && node -p "require('./package.json').type ?? 'commonjs'")" = commonjs ]; then
    # The point of a CommonJS app: output that require()s our ESM packages.
    grep -q 'require("@nestmesh/discovery")' "$dir/dist/app.module.js" \
      || die "$app: dist/app.module.js does not require() @nestmesh/discovery: the app is not compiled as CommonJS"
  fi

  if [ "$(cd "$dir" && node -p 'require("./package.json").scripts.test ?? ""')" != "" ]; then
    jest="$(cd "$dir" && node -p 'require("jest/package.json").version')"
    step "$app: the app's own Jest $jest suite (test/app.e2e-spec.ts)"
    (cd "$dir" && npm test --silent) || die "$app: its Jest $jest suite failed: our ESM packages do not load under its Jest setup"
  fi

  for runtime in node "$FLOOR_NODE"; do
    version="$("$runtime" -v)"
    step "$app: boot on Node $version, HTTP checks, close"
    # Node 22.12 warns that require(esm) is experimental: expected there, so silenced there only.
    quiet=""; if [ "$runtime" = "$FLOOR_NODE" ]; then quiet=1; fi
    (cd "$dir" && ADOPTION_LABEL="$app (Nest $nest, terminus $terminus, Node $version)" NODE_NO_WARNINGS="$quiet" timeout 90 "$runtime" dist/main.js) \
      || die "$app: the app failed on Node $version (exit $?); see its output above"
  done
done

step "OK: ${APPS[*]}"
