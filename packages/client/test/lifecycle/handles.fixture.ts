// Runs in a fresh process (started by handles.e2e-spec.ts), so that no other test's sockets or timers blur the
// count: boots a client app, loads it, closes it, and prints the active resources before, during and after.
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ServiceClientModule, ServiceClients } from '@nestmesh/client';
import { ServiceDiscoveryModule } from '@nestmesh/discovery';
import { activeResources, startHttpUpstreams, waitFor } from '@nestmesh/testing';

const upstreams = await startHttpUpstreams(2);
// The servers never close an idle keep-alive socket during the test: only the client can.
for (const upstream of upstreams) upstream.server.keepAliveTimeout = 60_000;
const connections = () =>
  Promise.all(upstreams.map((upstream) => new Promise<number>((resolve) => upstream.server.getConnections((_error, count) => resolve(count)))));

@Module({
  imports: [
    ServiceDiscoveryModule.forRoot({ registry: 'static', staticServices: { svc: upstreams.map((upstream) => `127.0.0.1:${upstream.port}`) } }),
    ServiceClientModule.register({ services: { svc: { timeout: { ms: 5_000 } } } }),
  ],
})
class FixtureModule {}

const before = activeResources();
const app = await NestFactory.createApplicationContext(FixtureModule, { logger: false });
const svc = app.get(ServiceClients).get('svc');
await Promise.all(Array.from({ length: 100 }, async () => (await svc.get('/')).body.dump()));
const during = { ...activeResources(), upstreamConnections: (await connections()).reduce((a, b) => a + b, 0) };
await app.close();
await waitFor(async () => (await connections()).every((count) => count === 0), { timeout: 3_000, description: 'upstream connections closed' }).catch(() => undefined);
const after = { ...activeResources(), upstreamConnections: (await connections()).reduce((a, b) => a + b, 0) };
console.log(`handles ${JSON.stringify({ before, during, after })}`);
await Promise.all(upstreams.map((upstream) => upstream.close()));
