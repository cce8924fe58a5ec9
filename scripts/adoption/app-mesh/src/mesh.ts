// @nestmesh/client and @nestmesh/gateway, as published, in the apps whose Nest their peers allow (Nest 12): this
// file replaces app/src/mesh.ts there. The root module adds ServiceClientModule and GatewayModule to AppModule (which
// registers this app as "orders" in the in-memory registry); the checks go over HTTP through a gateway route to a
// static URL (a node:http upstream started here), through a gateway route to a discovered service (this app itself),
// and through a controller calling "orders" with an @InjectServiceClient client.
import { Controller, Get, Module } from '@nestjs/common';
import { InjectServiceClient, ServiceClientModule, type ServiceClient } from '@nestmesh/client';
import { parseRawHeaders, type RelaySink } from '@nestmesh/client/relay';
import { GatewayModule } from '@nestmesh/gateway';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppModule } from './app.module.js';
import { check, expectJson, get } from './http.js';
import type { Mesh } from './mesh.interface.js';

@Controller('mesh')
class MeshController {
  constructor(@InjectServiceClient('orders') private readonly orders: ServiceClient) {}

  @Get('ping')
  ping() {
    return { pong: true };
  }

  /** A call to the "orders" service (this app, found through discovery) with the injected client. */
  @Get('via-client')
  async viaClient() {
    const response = await this.orders.get('/mesh/ping');
    return { status: response.status, body: await response.body.json(), port: response.instance.port };
  }
}

export async function startMesh(): Promise<Mesh> {
  // A tiny upstream for the gateway's static-URL route: it echoes what reached it.
  const upstream = createServer((request, response) => {
    response.setHeader('content-type', 'application/json');
    response.setHeader('x-upstream', 'tiny');
    response.end(JSON.stringify({ path: request.url, forwardedFor: request.headers['x-forwarded-for'] ?? null }));
  });
  upstream.listen(0, '127.0.0.1');
  await once(upstream, 'listening');
  const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;

  @Module({
    imports: [
      AppModule,
      ServiceClientModule.register({ services: { orders: { retry: false } } }),
      GatewayModule.forRoot({
        routes: [
          { prefix: '/edge/upstream', url: upstreamUrl, rewrite: { stripPrefix: '/edge' } },
          { path: '/edge/ping', methods: ['GET'], service: 'orders', rewrite: '/mesh/ping' },
        ],
      }),
    ],
    controllers: [MeshController],
  })
  class MeshAppModule {}

  return {
    root: MeshAppModule,
    packages: '@nestmesh/discovery, @nestmesh/resilience, @nestmesh/client, @nestmesh/gateway',
    async check(base: string, port: number): Promise<void> {
      const upstreamAnswer = await get(base, '/edge/upstream/hello?x=1');
      expectJson('GET /edge/upstream/hello?x=1 (gateway route to a static URL)', upstreamAnswer, 200, { path: '/upstream/hello?x=1', forwardedFor: '127.0.0.1' });
      check(upstreamAnswer.headers.get('x-upstream') === 'tiny', `GET /edge/upstream/hello lost the upstream's x-upstream header: ${JSON.stringify([...upstreamAnswer.headers])}`);

      expectJson('GET /edge/ping (gateway route to the discovered service "orders")', await get(base, '/edge/ping'), 200, { pong: true });
      expectJson('GET /mesh/via-client (an @InjectServiceClient call)', await get(base, '/mesh/via-client'), 200, { status: 200, body: { pong: true }, port });

      // The gateway's subpath entry point resolves as published (types and runtime).
      const sink: Pick<RelaySink, 'end'> = { end: () => undefined };
      const parsed = parseRawHeaders([Buffer.from('X-A'), Buffer.from('1')]);
      check(parsed['x-a'] === '1' && typeof sink.end === 'function', `@nestmesh/client/relay: parseRawHeaders gave ${JSON.stringify(parsed)}`);

      const missing = await get(base, '/edge/nothing');
      check(missing.status === 404 && missing.headers.get('content-type')?.startsWith('application/problem+json') === true, `GET /edge/nothing: expected the gateway's problem+json 404, got ${missing.status} ${missing.headers.get('content-type')}`);
    },
    close(): void {
      // Not closeAllConnections(): a keep-alive socket the gateway leaked must keep the process alive (the watchdog fails it).
      upstream.close();
    },
  };
}
