import 'reflect-metadata';
import type { INestApplication, LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import type { AddressInfo, Server } from 'node:net';
import { AppModule, type OrdersRegistry } from './app.module.js';
import { defaultTcpPort, readOrdersConfig, type OrdersConfig } from './config/orders-config.js';

export { readOrdersConfig, ORDERS_CONFIG_DEFAULTS, type OrdersConfig } from './config/orders-config.js';
export type { Order, OrderStatus, OrdersStats } from './orders/order.interface.js';
export { ORDERS_PATTERNS } from './orders.constants.js';
export { sharedOrdersStore } from './storage/in-memory-orders.repository.js';

/**
 * Options of {@link startOrders}: any {@link OrdersConfig} field given here wins over the environment; a `port`
 * without `tcpPort` (and no TCP_PORT) gets the TCP port 1000 above it, or a free one with port 0.
 */
export interface OrdersServerOptions extends Partial<OrdersConfig> {
  /** Let Nest handle SIGTERM/SIGINT (drain, deregister, exit 0). Default `true`; off when another app of the process owns signals. */
  shutdownHooks?: boolean;
  /** `'in-memory'` registers in this process's in-memory registry on purpose (no fallback warning). Default `'default'`: Consul when CONSUL_HTTP_ADDR is set. */
  registry?: OrdersRegistry;
  /** Nest's logger setting. Default: Nest's console logger. */
  logger?: false | LogLevel[] | LoggerService;
}

function checkPort(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 65_535) {
    throw new Error(`The orders ${name} must be an integer from 0 to 65535, got ${JSON.stringify(value)}. Fix it (0 picks a free port).`);
  }
}

/**
 * Starts the orders service, a hybrid app: HTTP (REST) on `port` and a `@nestjs/microservices` TCP listener on
 * `tcpPort`, both on `host`, registered once with both ports. Used by its own main.ts and by demo-gateway's
 * embedded demo. Settings not given come from the environment ({@link readOrdersConfig}).
 *
 * @example
 * const app = await startOrders({ port: 0, tcpPort: 0, host: '127.0.0.1' });
 * console.log(await app.getUrl(), ordersTcpPort(app));
 */
export async function startOrders(options: OrdersServerOptions = {}): Promise<INestApplication> {
  const { shutdownHooks = true, registry = 'default', logger, ...overrides } = options;
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  const config: OrdersConfig = { ...readOrdersConfig(), ...defined };
  // A port given here without a TCP port (and no TCP_PORT) takes its companion TCP port, not the environment PORT's.
  if (overrides.port !== undefined && overrides.tcpPort === undefined && !process.env.TCP_PORT?.trim()) config.tcpPort = defaultTcpPort(config.port);
  checkPort(config.port, 'port');
  checkPort(config.tcpPort, 'TCP port');
  const app = await NestFactory.create(AppModule.forConfig(config, registry), logger === undefined ? {} : { logger });
  try {
    // SIGTERM: mark critical, drain, deregister, close both listeners, exit 0.
    if (shutdownHooks) app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
    app.connectMicroservice<MicroserviceOptions>({ transport: Transport.TCP, options: { host: config.host, port: config.tcpPort } });
    await app.startAllMicroservices();
    await app.listen(config.port, config.host);
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  return app;
}

/** The port the TCP listener of an app started by {@link startOrders} is bound to (useful with `tcpPort: 0`). */
export function ordersTcpPort(app: INestApplication): number {
  const [microservice] = app.getMicroservices();
  return (microservice.unwrap<Server>().address() as AddressInfo).port;
}
