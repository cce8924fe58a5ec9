import { accessSync, constants } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getFreePorts } from './free-port.js';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

/**
 * Finds the Consul binary: `CONSUL_BIN`, then `consul` on PATH, then the copy that
 * `scripts/install-consul.sh` puts in `.tools/consul`.
 */
export function findConsulBinary(): string {
  const candidates = [
    process.env.CONSUL_BIN,
    ...(process.env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, 'consul')),
    join(repoRoot, '.tools/consul/usr/bin/consul'),
  ].filter((path): path is string => Boolean(path));
  for (const path of candidates) {
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // try the next one
    }
  }
  throw new Error(
    'No Consul binary found (looked at CONSUL_BIN, PATH and .tools/consul). ' +
      'Run `npm run install:consul` (installs Debian bullseye\'s consul 1.8.7 into .tools/) or set CONSUL_BIN.',
  );
}

/** Free loopback ports for one Consul agent, and the arguments that bind it to them (DNS and gRPC off). */
export interface ConsulPorts {
  http: number;
  serfLan: number;
  serfWan: number;
  server: number;
  args: string[];
}

/** Picks free ports on `bind` for a Consul agent. */
export async function allocateConsulPorts(bind: string): Promise<ConsulPorts> {
  const [http, serfLan, serfWan, server] = await getFreePorts(4, bind);
  const args = [
    '-hcl', `ports { http = ${http}, dns = -1, grpc = -1, serf_lan = ${serfLan}, serf_wan = ${serfWan}, server = ${server} }`,
    '-hcl', 'disable_update_check = true',
  ];
  return { http, serfLan, serfWan, server, args };
}
