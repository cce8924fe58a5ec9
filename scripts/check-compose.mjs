// Checks docker-compose.yml as Docker Compose reads it (`docker-compose config`, which also validates it):
// - every published port listens on 127.0.0.1 only (a dev-mode Consul and a password-less Redis must not be
//   reachable from the network), and Consul and Redis are published;
// - every image tag is pinned to a patch release (`name:1.2.3...`), no `latest`, no floating `1.20` or `7`;
//   images built here (the Dockerfile) have their FROM lines pinned the same way;
// - every service has a health check, and the apps' check asks the module's /_nestmesh/health;
// - every `${VAR}` of docker-compose.yml has a default (`${VAR:-value}`: `docker compose up` works with none set)
//   and is documented in the file's header comment; every published host port is such a variable (CI machines may
//   already use 3000, 8500 or 6379); the config is checked with those variables unset, so their defaults count;
// - the Dockerfile's `ARG` defaults used in FROM lines (BASE_IMAGE) are pinned, and it copies the package.json of
//   every workspace before `npm ci` (one missing is linked from the lock alone: `npm ci` no longer checks that its
//   package.json agrees with the lock, as it does on CI, and the image may ship dependencies the workspace dropped).
// Exits 1 with one line per problem. Usage: node scripts/check-compose.mjs
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const problems = [];
const composeText = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
const variables = [...composeText.matchAll(/\$\{(\w+)(:?-[^}]*)?\}/g)];
// The variables' defaults are what is checked, whatever this shell exports.
const env = { ...process.env };
for (const [, name] of variables) delete env[name];

function composeConfig() {
  const candidates = [
    ['docker-compose', ['config']],
    ['docker', ['compose', 'config']],
  ];
  for (const [command, args] of candidates) {
    let output;
    try {
      output = execFileSync(command, args, { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      if (error.code === 'ENOENT' || /unknown command|is not a docker command/i.test(String(error.stderr))) continue;
      throw new Error(`\`${command} ${args.join(' ')}\` rejected docker-compose.yml:\n${error.stderr || error.message}`, { cause: error });
    }
    return yaml.safeLoad(output);
  }
  throw new Error('neither `docker-compose` nor `docker compose` is installed. Fix: apt-get install -y docker-compose');
}

/** `name:tag` pinned to a patch release (e.g. redis:7.4.11-alpine, hashicorp/consul:1.20.6), or a digest. */
function isPinned(image) {
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return true;
  const tag = image.includes(':') ? image.slice(image.lastIndexOf(':') + 1) : '';
  return /^v?\d+\.\d+\.\d+([-.].+)?$/.test(tag);
}

/** Ports in short (`"127.0.0.1:8500:8500"`, `"8500:8500/tcp"`) or long (`{ host_ip, published, target }`) form. */
function hostIp(port) {
  if (typeof port === 'object') return port.host_ip ?? '';
  const parts = String(port).replace(/\/(tcp|udp)$/, '').split(':');
  return parts.length === 3 ? parts[0] : '';
}

const config = composeConfig();
const services = config.services ?? {};
for (const required of ['consul', 'redis']) {
  if (!services[required]?.ports?.length) problems.push(`${required}: not published (expected 127.0.0.1 ports)`);
}
for (const [name, service] of Object.entries(services)) {
  for (const port of service.ports ?? []) {
    const ip = hostIp(port);
    if (ip !== '127.0.0.1') problems.push(`${name}: port ${JSON.stringify(port)} listens on ${ip || 'every interface'}; publish it as "127.0.0.1:<host>:<container>"`);
  }
  // An image built here (build:) is tagged locally (DEMO_IMAGE); its base is checked in the Dockerfile below.
  if (service.image && !service.build && !isPinned(service.image)) problems.push(`${name}: image "${service.image}" is not pinned to a patch release (e.g. redis:7.4.11-alpine)`);
  const test = service.healthcheck?.test;
  if (!test || service.healthcheck.disable || (Array.isArray(test) && test[0] === 'NONE')) {
    problems.push(`${name}: no healthcheck`);
  } else if (service.build && !JSON.stringify(test).includes('/_nestmesh/health')) {
    problems.push(`${name}: the app's healthcheck does not ask /_nestmesh/health: ${JSON.stringify(test)}`);
  }
}

const header = composeText.slice(0, composeText.search(/^[^#\n]/m));
for (const [text, name, fallback] of variables) {
  if (!fallback?.startsWith(':-') || fallback.length < 3) problems.push(`docker-compose.yml: ${text} has no default; write \${${name}:-<default>} so \`docker compose up\` works with nothing set`);
  if (!new RegExp(`\\b${name}\\b`).test(header)) problems.push(`docker-compose.yml: ${name} is not documented in the header comment (what it sets and its default)`);
}
const rawServices = yaml.safeLoad(composeText).services ?? {};
for (const [name, service] of Object.entries(rawServices)) {
  for (const port of service.ports ?? []) {
    const published = typeof port === 'object' ? String(port.published ?? '') : (/^(?:[^:$]+:)?(\$\{[^}]*\}|[^:]+):[^:]+$/.exec(String(port).replace(/\/(tcp|udp)$/, ''))?.[1] ?? '');
    if (!/^\$\{\w+:-\d+\}$/.test(published)) problems.push(`${name}: published port ${JSON.stringify(port)} is fixed; make the host port a variable, e.g. "127.0.0.1:\${${name.toUpperCase()}_PORT:-<port>}:<port>", so a machine that already uses it can run the stack`);
  }
}

const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
const args = new Map();
for (const line of dockerfile.split('\n')) {
  const arg = /^ARG\s+(\w+)(?:=(\S+))?/i.exec(line.trim());
  if (arg) args.set(arg[1], arg[2]);
  const from = /^FROM\s+(\S+)/i.exec(line.trim());
  if (!from) continue;
  const image = from[1].replace(/\$\{?(\w+)\}?/g, (_, name) => args.get(name) ?? `<ARG ${name} has no default>`);
  if (!isPinned(image)) problems.push(`Dockerfile: "${line.trim()}" is not pinned to a patch release (${image}; e.g. node:24.21.0-bookworm-slim)`);
}
const rootPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
for (const pattern of rootPackage.workspaces ?? []) {
  const parent = pattern.replace(/\/\*$/, '');
  const folders = pattern.endsWith('/*') ? readdirSync(join(root, parent), { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => `${parent}/${entry.name}`) : [pattern];
  for (const folder of folders) {
    let isWorkspace = true;
    try {
      readFileSync(join(root, folder, 'package.json'));
    } catch {
      isWorkspace = false;
    }
    if (isWorkspace && !new RegExp(`^COPY\\s+${folder}/package\\.json\\s`, 'm').test(dockerfile)) {
      problems.push(`Dockerfile: the package.json of workspace ${folder} is not copied before \`npm ci\`, which then installs it from the lock alone, unchecked; add "COPY ${folder}/package.json ${folder}/"`);
    }
  }
}

if (problems.length > 0) {
  console.error(`check-compose: ${problems.length} problem(s) in docker-compose.yml / Dockerfile:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log(`check-compose: OK (${Object.keys(services).join(', ')}: loopback ports, pinned images, health checks; ${variables.length} variable uses with defaults; Dockerfile copies every workspace)`);
