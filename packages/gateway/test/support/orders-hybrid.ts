import { Controller, Get, Module, Req } from '@nestjs/common';
import { Ctx, MessagePattern, RpcException, TcpContext, Transport } from '@nestjs/microservices';
import { Discoverable, ServiceDiscoveryModule, type ServiceDiscoveryModuleOptions } from '@nestmesh/discovery';
import { bootNestApp, type BootedNestApp } from '@nestmesh/testing';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { EMPTY } from 'rxjs';

/** What the orders service was asked, by kind (HTTP path or TCP pattern). */
export type OrdersHits = Map<string, number>;

/** The connections `orders.enormous` replied on, latest last (to see whether the caller closed one). */
export const enormousReplySockets: Socket[] = [];

const ORDERS = [
  { id: 1, item: 'book', quantity: 2 },
  { id: 2, item: 'pen', quantity: 5 },
];

function ordersControllers(hits: OrdersHits) {
  const hit = (what: string) => hits.set(what, (hits.get(what) ?? 0) + 1);

  @Controller()
  class OrdersHttpController {
    @Get('orders')
    list() {
      hit('GET /orders');
      return ORDERS;
    }

    /** What the orders service saw of the leg's request (headers and URL). */
    @Get('seen')
    seen(@Req() request: { raw?: IncomingMessage } & IncomingMessage) {
      hit('GET /seen');
      const req = request.raw ?? request;
      return { url: req.url, headers: req.headers };
    }
  }

  @Controller()
  class OrdersTcpController {
    @MessagePattern('orders.stats')
    stats() {
      hit('orders.stats');
      return { count: ORDERS.length, quantity: ORDERS.reduce((sum, order) => sum + order.quantity, 0) };
    }

    /** Answers after 5 s (the gateway's leg timeout is far shorter): a microservice that is too slow. */
    @MessagePattern('orders.slow')
    async slow() {
      hit('orders.slow');
      await new Promise((resolve) => setTimeout(resolve, 5_000).unref());
      return { late: true };
    }

    /** A reply of 64 KiB of JSON: more than a leg with a small maxResponseSize accepts. */
    @MessagePattern('orders.huge')
    huge() {
      hit('orders.huge');
      return { blob: 'x'.repeat(64 * 1024) };
    }

    /** A reply of 8 MiB of JSON, far past any leg limit: recorded with the connection it goes out on. */
    @MessagePattern('orders.enormous')
    enormous(@Ctx() context: TcpContext) {
      hit('orders.enormous');
      enormousReplySockets.push(context.getSocketRef().netSocket);
      return { blob: 'x'.repeat(8 * 1024 * 1024) };
    }

    /** Completes without emitting a value: a handler with nothing to say. */
    @MessagePattern('orders.nothing')
    nothing() {
      hit('orders.nothing');
      return EMPTY;
    }

    @MessagePattern('orders.broken')
    broken() {
      hit('orders.broken');
      throw new RpcException('the stats table is locked (internal detail)');
    }
  }
  return [OrdersHttpController, OrdersTcpController];
}

/**
 * A real hybrid Nest app (HTTP + `@nestjs/microservices` TCP, Express) registered as `orders` on 127.0.0.1 with its
 * TCP port, in Consul at `registry` (an address) or in the given registry (`{ registry: 'in-memory' }`): `GET /orders`,
 * `GET /seen`, and the patterns `orders.stats`, `orders.slow` (5 s), `orders.huge` (64 KiB), `orders.enormous` (8 MiB), `orders.nothing` (no
 * value) and `orders.broken` (an `RpcException`). `hits` counts what it was asked.
 */
export async function startOrdersHybrid(registry: string | ServiceDiscoveryModuleOptions, hits: OrdersHits): Promise<BootedNestApp> {
  const discovery: ServiceDiscoveryModuleOptions = typeof registry === 'string' ? { registry: 'consul', consul: { address: registry } } : registry;
  @Discoverable({ name: 'orders', address: '127.0.0.1' })
  @Module({
    imports: [ServiceDiscoveryModule.forRoot({ ...discovery, shutdown: { drainDelay: 0 } })],
    controllers: ordersControllers(hits),
  })
  class OrdersModule {}
  return bootNestApp(OrdersModule, {
    configure: async (app) => {
      app.connectMicroservice({ transport: Transport.TCP, options: { host: '127.0.0.1', port: 0 } });
      await app.startAllMicroservices();
    },
  });
}
