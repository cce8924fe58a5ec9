import { Controller, Module } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { bootNestMicroservice, startConsulAgent, startHttpUpstream, waitFor, CapturingLogger, type ConsulAgent, type HttpUpstream } from '@nestmesh/testing';
import { ServiceDiscovery } from '@nestmesh/discovery';
import { getServiceClientProxyToken, type ServiceClientProxy } from '@nestmesh/client';
import { firstValueFrom } from 'rxjs';
import { bootClientApp } from '../support/client-app.js';

@Controller()
class PingController {
  @MessagePattern('ping')
  ping(): string {
    return 'pong';
  }
}

@Module({ controllers: [PingController] })
class PingModule {}

/** Registrations that cannot be called, as anyone able to write to Consul could make them. */
const BAD = [
  { id: 'orders-bracketed', address: '[::1]' },
  { id: 'orders-url', address: 'http://127.0.0.1' },
  { id: 'orders-with-port', address: '127.0.0.1:8080' },
  { id: 'orders-zone', address: 'fe80::1%lo' },
  { id: 'orders-dotted', address: '127.0.0.1.5' },
];

describe('badly addressed instances in Consul beside a good one', () => {
  let consul: ConsulAgent;
  let good: HttpUpstream;
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => uncaught.push(error);

  beforeAll(async () => {
    process.on('uncaughtException', onUncaught);
    consul = await startConsulAgent();
    good = await startHttpUpstream();
    await consul.put('/v1/agent/service/register', { ID: 'orders-good', Name: 'orders', Address: '127.0.0.1', Port: good.port });
  });
  afterAll(async () => {
    process.off('uncaughtException', onUncaught);
    await good?.close();
    await consul?.stop();
  });

  it('skips them with one warning each: running consumers keep working, new consumers succeed, nothing throws', async () => {
    const logger = new CapturingLogger();
    const discovery = { registry: 'consul' as const, consul: { address: consul.httpAddr } };
    const running = await bootClientApp({ discovery, clients: { services: { orders: { retry: false } } }, logger });
    let fresh: Awaited<ReturnType<typeof bootClientApp>> | undefined;
    try {
      expect((await running.client('orders').get('/')).status).toBe(200);
      for (const bad of BAD) await consul.put('/v1/agent/service/register', { ID: bad.id, Name: 'orders', Address: bad.address, Port: 8080 });
      await consul.put('/v1/agent/service/register', { ID: 'orders-port', Name: 'orders', Address: '127.0.0.1', Port: 70_000 });
      // A later change of the service (a new good instance) sends the bad entries through the watch again.
      const other = await startHttpUpstream();
      try {
        await consul.put('/v1/agent/service/register', { ID: 'orders-good-2', Name: 'orders', Address: '127.0.0.1', Port: other.port });
        await waitFor(() => running.client('orders').instances().length === 2, { description: 'the second good instance seen' });
        for (let i = 0; i < 20; i++) {
          const response = await running.client('orders').get('/');
          await response.body.dump();
          expect(response.status).toBe(200);
        }
        expect(running.client('orders').instances().map((instance) => instance.id).sort()).toEqual(['orders-good', 'orders-good-2']);

        fresh = await bootClientApp({ discovery, clients: { services: { orders: { retry: false } } } });
        for (let i = 0; i < 20; i++) {
          const response = await fresh.client('orders').get('/');
          await response.body.dump();
          expect(response.status).toBe(200);
        }
        const all = await fresh.app.get(ServiceDiscovery).getInstances('orders', { passingOnly: false });
        expect(all.map((instance) => instance.id).sort()).toEqual(['orders-good', 'orders-good-2']);
      } finally {
        await other.close();
      }
      expect(uncaught).toEqual([]);
      for (const bad of [...BAD, { id: 'orders-port', address: '127.0.0.1' }]) {
        const lines = logger.matching(new RegExp(`"${bad.id}"`)).filter((line) => line.level === 'warn');
        expect(lines).toHaveLength(1);
        expect(lines[0].message).toContain(JSON.stringify(bad.address));
      }
    } finally {
      await fresh?.close();
      await running.close();
      for (const bad of BAD) await consul.put(`/v1/agent/service/deregister/${bad.id}`);
      await consul.put('/v1/agent/service/deregister/orders-port');
    }
  });

  it('leaves them out of the TCP ServiceClientProxy too', async () => {
    const tcp = await bootNestMicroservice(PingModule);
    const logger = new CapturingLogger();
    const tcpMeta = { 'nestmesh-port-tcp': String(tcp.port) };
    await consul.put('/v1/agent/service/register', { ID: 'pings-good', Name: 'pings', Address: '127.0.0.1', Port: tcp.port, Meta: tcpMeta });
    const app = await bootClientApp({ discovery: { registry: 'consul', consul: { address: consul.httpAddr } }, clients: { services: { pings: { strategy: 'round-robin' } } }, logger });
    try {
      const proxy = app.app.get<ServiceClientProxy>(getServiceClientProxyToken('pings'));
      expect(await firstValueFrom(proxy.send<string>('ping', {}))).toBe('pong');
      for (const bad of BAD) await consul.put('/v1/agent/service/register', { ID: `pings-${bad.id}`, Name: 'pings', Address: bad.address, Port: tcp.port, Meta: tcpMeta });
      // A TCP port meta that is no port: the warning says what it holds, not that no port was registered.
      await consul.put('/v1/agent/service/register', { ID: 'pings-port-meta', Name: 'pings', Address: '127.0.0.1', Port: tcp.port, Meta: { 'nestmesh-port-tcp': 'abc' } });
      await waitFor(async () => logger.matching(/"pings-orders-zone"|"pings-port-meta"/).length === 2, { description: 'the bad TCP instances seen' });
      for (let i = 0; i < 10; i++) expect(await firstValueFrom(proxy.send<string>('ping', {}))).toBe('pong');
      expect(proxy.unwrap<unknown[]>()).toHaveLength(1);
      expect(uncaught).toEqual([]);
      for (const bad of BAD) expect(logger.matching(new RegExp(`"pings-${bad.id}"`)).filter((line) => line.level === 'warn')).toHaveLength(1);
      const portMeta = logger.matching(/"pings-port-meta"/).filter((line) => line.level === 'warn');
      expect(portMeta).toHaveLength(1);
      expect(portMeta[0].message).toContain('meta "nestmesh-port-tcp" is "abc"');
    } finally {
      await app.close();
      await tcp.close();
      await consul.put('/v1/agent/service/deregister/pings-port-meta');
    }
  });

  it('one instance listed twice (its ID, address and port on two catalog nodes) gets one pool, closed with the app', async () => {
    const upstream = await startHttpUpstream();
    upstream.server.keepAliveTimeout = 60_000; // idle sockets stay open on the server side: only the client closes them
    let opened = 0;
    upstream.server.on('connection', () => (opened += 1));
    const openConnections = () => new Promise<number>((resolve) => upstream.server.getConnections((_error, count) => resolve(count)));
    const service = { ID: 'twice-1', Service: 'twice', Address: '127.0.0.1', Port: upstream.port };
    for (const node of ['node-a', 'node-b']) await consul.put('/v1/catalog/register', { Node: node, Address: '127.0.0.1', Service: service });
    try {
      const app = await bootClientApp({ discovery: { registry: 'consul', consul: { address: consul.httpAddr } }, clients: { services: { twice: { retry: false, pool: { keepAliveTimeout: 60_000 } } } } });
      try {
        const client = app.client('twice');
        let firstCalls = 0;
        for (let change = 0; change <= 3; change += 1) {
          if (change > 0) {
            // Another instance (critical: never called) changes the service, and the watch lists the duplicate again.
            const down = { ID: `twice-down-${change}`, Service: 'twice', Address: '127.0.0.1', Port: 1 };
            await consul.put('/v1/catalog/register', { Node: 'node-c', Address: '127.0.0.1', Service: down, Check: { CheckID: down.ID, Name: 'down', Status: 'critical', ServiceID: down.ID } });
            await waitFor(() => client.instances().some((instance) => instance.id === down.ID), { description: `${down.ID} seen by the client` });
          }
          for (let call = 0; call < 4; call += 1) await (await client.get('/')).body.dump();
          firstCalls ||= opened;
        }
        // One instance, one pool, kept through the updates: no connection opened after the first calls.
        expect(opened).toBe(firstCalls);
        expect(client.instances().filter((instance) => instance.id === 'twice-1')).toHaveLength(1);
      } finally {
        await app.close();
      }
      await waitFor(async () => (await openConnections()) === 0, { description: 'every connection closed with the app' });
    } finally {
      await upstream.close();
      for (const node of ['node-a', 'node-b', 'node-c']) await consul.put('/v1/catalog/deregister', { Node: node });
    }
  });
});
