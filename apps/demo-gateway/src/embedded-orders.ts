import type { INestApplication } from '@nestjs/common';
import { ordersTcpPort, startOrders } from 'demo-orders';
import type { DemoGatewayConfig } from './demo-config.js';

/** One embedded orders instance and where it listens. */
export interface EmbeddedOrders {
  readonly app: INestApplication;
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly tcpPort: number;
}

/**
 * Starts `ORDERS_INSTANCES` demo-orders apps in this process, on 127.0.0.1 and consecutive ports from
 * `ORDERS_PORT` / `ORDERS_TCP_PORT` (free ones with 0). They register where the gateway looks: the in-memory
 * registry (chosen on purpose, so without the fallback warning) or Consul when CONSUL_HTTP_ADDR is set. The
 * process owns the signals (see main.ts), so their own shutdown hooks are off. If one fails to start, the
 * others are closed before the error is thrown.
 */
export async function startEmbeddedOrders(config: DemoGatewayConfig): Promise<EmbeddedOrders[]> {
  const at = (base: number, index: number) => (base === 0 ? 0 : base + index);
  const started = await Promise.allSettled(
    Array.from({ length: config.ordersInstances }, (_, index) =>
      startOrders({
        port: at(config.ordersPort, index),
        tcpPort: at(config.ordersTcpPort, index),
        host: '127.0.0.1',
        shutdownHooks: false,
        registry: config.consulAddr ? 'default' : 'in-memory',
        drainDelayMs: config.drainDelayMs,
      }),
    ),
  );
  const apps = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) {
    await Promise.allSettled(apps.map((app) => app.close()));
    throw failed.reason;
  }
  return Promise.all(apps.map(async (app) => ({ app, url: await app.getUrl(), tcpPort: ordersTcpPort(app) })));
}
