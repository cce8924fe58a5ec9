// A Consul agent on ::1 only would need its own network setup; this file (only) talks to a real HTTP server on
// ::1 that plays the part of Consul's /v1/status/leader and /v1/health/service endpoints.
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { startHttpUpstream, type HttpUpstream } from '@nestmesh/testing';
import { ServiceDiscovery } from '../../src/index.js';
import { consumerAppModule } from '../support/test-app.js';

const entry = { Node: { Node: 'n1', Address: '::1' }, Service: { ID: 'orders-1', Service: 'orders', Address: '::1', Port: 3000, Tags: [], Meta: {} }, Checks: [] };

describe('a Consul address in IPv6 form', () => {
  let server: HttpUpstream;
  let app: INestApplicationContext | undefined;

  beforeAll(async () => {
    server = await startHttpUpstream((request, response) => {
      if (request.url?.startsWith('/v1/status/leader')) return void response.writeHead(200, { 'content-type': 'application/json' }).end('"[::1]:8300"');
      response.writeHead(200, { 'content-type': 'application/json', 'x-consul-index': '3' }).end(JSON.stringify([entry]));
    }, '::1');
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });
  afterAll(async () => {
    await server?.close();
  });

  it.each(['[::1]:PORT', 'http://[::1]:PORT'])('reaches a Consul on ::1 at %s', async (address) => {
    const consul = { address: address.replace('PORT', String(server.port)) };
    app = await NestFactory.createApplicationContext(consumerAppModule({ registry: 'consul', consul }), { logger: false });
    expect((await app.get(ServiceDiscovery).getInstances('orders')).map((instance) => instance.id)).toEqual(['orders-1']);
  });
});
