import { readFile } from 'node:fs/promises';
import { bootNestApp, CapturingLogger, waitFor } from '@nestmesh/testing';
import { ServiceDiscovery } from '../../src/index.js';
import { AppModule, Database, DatabaseHealthIndicator } from './readme-example.js';

const here = new URL('.', import.meta.url);

describe('the README first example', () => {
  it('is readme-example.ts word for word (which the repo tsc type-checks against the installed terminus)', async () => {
    const readme = await readFile(new URL('../../README.md', here), 'utf8');
    const example = await readFile(new URL('readme-example.ts', here), 'utf8');
    const firstBlock = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(firstBlock).toBe(example);
  });

  it('boots, and its terminus indicator decides the registered instance health', async () => {
    const saved = process.env.CONSUL_HTTP_ADDR;
    delete process.env.CONSUL_HTTP_ADDR; // the in-memory registry of this test process
    const booted = await bootNestApp(AppModule, { logger: new CapturingLogger() }).finally(() => {
      if (saved !== undefined) process.env.CONSUL_HTTP_ADDR = saved;
    });
    try {
      expect(await booted.app.get(DatabaseHealthIndicator).isHealthy('db')).toEqual({ db: { status: 'up' } });
      const discovery = booted.app.get(ServiceDiscovery);
      // Registration runs once the server listens, after the first health evaluation: wait for it, never race it.
      await waitFor(async () => (await discovery.getInstances('orders', { passingOnly: false })).length > 0, { timeout: 20_000, description: 'orders registered' });
      const [instance] = await discovery.getInstances('orders', { passingOnly: false });
      expect(instance).toMatchObject({ name: 'orders', port: booted.port, health: 'passing', tags: ['http'] });
      booted.app.get(Database).ping = () => Promise.reject(new Error('connection refused'));
      expect(await booted.app.get(DatabaseHealthIndicator).isHealthy('db')).toEqual({ db: { status: 'down', message: 'connection refused' } });
      // The next heartbeat (every 3.3 s by default) reports it to the registry.
      await waitFor(async () => (await discovery.getInstances('orders', { passingOnly: false }))[0]?.health === 'critical', { timeout: 20_000, description: 'orders turns critical' });
    } finally {
      await booted.close();
    }
  });
});
