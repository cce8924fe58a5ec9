// Checks docker-compose.yml as Docker Compose reads it (`docker-compose config`, which also validates it):
// - every published port listens on 127.0.0.1 only (a dev-mode Consul and a password-less Redis must not be
//   reachable from the network), and Consul and Redis are published;
// - every image tag is pinned to a patch release (`name:1.2.3...`), no `latest`, no floating `1.20` or `7`;
//   images built here (the Dockerfile) have their FROM lines pinned the same way;
// - every service has a health check, and the apps' check asks the module's /_nestmesh/health.
// Exits 1 with one line per problem. Usage: node scripts/check-compose.mjs
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const problems = [];

function composeConfig() {
  const candidates = [
    ['docker-compose', ['config']],
    ['docker', ['compose', 'config']],
  ];
  for (const [command, args] of candidates) {
    let output;
    try {
      output = execFileSync(command, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
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
  if (service.image && !isPinned(service.image)) problems.push(`${name}: image "${service.image}" is not pinned to a patch release (e.g. redis:7.4.11-alpine)`);
  const test = service.healthcheck?.test;
  if (!test || service.healthcheck.disable || (Array.isArray(test) && test[0] === 'NONE')) {
    problems.push(`${name}: no healthcheck`);
  } else if (service.build && !JSON.stringify(test).includes('/_nestmesh/health')) {
    problems.push(`${name}: the app's healthcheck does not ask /_nestmesh/health: ${JSON.stringify(test)}`);
  }
}
for (const line of readFileSync(join(root, 'Dockerfile'), 'utf8').split('\n')) {
  const from = /^FROM\s+(\S+)/i.exec(line.trim());
  if (from && !isPinned(from[1])) problems.push(`Dockerfile: "${line.trim()}" is not pinned to a patch release (e.g. node:24.21.0-bookworm-slim)`);
}

if (problems.length > 0) {
  console.error(`check-compose: ${problems.length} problem(s) in docker-compose.yml / Dockerfile:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log(`check-compose: OK (${Object.keys(services).join(', ')}: loopback ports, pinned images, health checks)`);
