import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getFreePort, startConsulAgent, waitFor, type ConsulAgent } from '@nestmesh/testing';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceDiscovery, isRegistryUnreachableError } from '../../src/index.js';
import { consumerAppModule } from '../support/test-app.js';

/** A throwaway CA and a server certificate for 127.0.0.1, made with the machine's openssl. */
function makeCertificates(dir: string): { ca: string; cert: string; key: string } {
  const path = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=nestmesh test CA', '-keyout', path('ca.key'), '-out', path('ca.pem'));
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', path('server.key'), '-out', path('server.csr'));
  writeFileSync(path('ext.cnf'), 'subjectAltName=IP:127.0.0.1\n');
  openssl('x509', '-req', '-in', path('server.csr'), '-CA', path('ca.pem'), '-CAkey', path('ca.key'), '-CAcreateserial', '-days', '1', '-extfile', path('ext.cnf'), '-out', path('server.pem'));
  return { ca: path('ca.pem'), cert: path('server.pem'), key: path('server.key') };
}

describe('Consul over HTTPS (a real agent with a TLS listener)', () => {
  let consul: ConsulAgent;
  let dir: string;
  let httpsPort: number;
  let ca: string;
  const apps: INestApplicationContext[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nestmesh-tls-'));
    const certificates = makeCertificates(dir);
    ca = certificates.ca;
    httpsPort = await getFreePort();
    consul = await startConsulAgent({
      args: ['-hcl', `ports { https = ${httpsPort} }`, '-hcl', `cert_file = "${certificates.cert}"`, '-hcl', `key_file = "${certificates.key}"`, '-hcl', `ca_file = "${ca}"`],
    });
    await consul.put('/v1/agent/service/register', { Name: 'secure', ID: 'secure-1', Address: '127.0.0.1', Port: 7443 });
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await consul?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('discovers through https:// with the CA from consul.caFile (CONSUL_CACERT)', async () => {
    const app = await NestFactory.createApplicationContext(consumerAppModule({ registry: 'consul', consul: { address: `https://127.0.0.1:${httpsPort}`, caFile: ca } }), { logger: false });
    apps.push(app);
    const instances = await waitFor(async () => (await app.get(ServiceDiscovery).getInstances('secure')).length === 1 && app.get(ServiceDiscovery).getInstances('secure'));
    expect(instances.map((i) => i.id)).toEqual(['secure-1']);
  });

  it('refuses a certificate it cannot verify, and says so at boot', async () => {
    const error = await NestFactory.createApplicationContext(consumerAppModule({ registry: 'consul', consul: { address: `https://127.0.0.1:${httpsPort}` } }), { logger: false, abortOnError: false }).catch(
      (e: Error) => e,
    );
    expect(isRegistryUnreachableError(error)).toBe(true);
    expect((error as Error).message).toMatch(new RegExp(`Consul is unreachable at https://127\\.0\\.0\\.1:${httpsPort}: .*(certificate|CERT)`));
  });
});
