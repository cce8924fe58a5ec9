import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';

/** Where the orders service listens. */
export interface OrdersServerOptions {
  port: number;
  host: string;
  /** Let Nest handle SIGTERM/SIGINT (drain, deregister, exit 0). Off when another app of the process owns signals. */
  shutdownHooks?: boolean;
}

/** Starts the orders service; used by its own main.ts and by the embedded demo of demo-gateway. */
export async function startOrders({ port, host, shutdownHooks = true }: OrdersServerOptions): Promise<INestApplication> {
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`The orders port must be an integer from 0 to 65535, got ${JSON.stringify(port)}. Fix PORT (or ORDERS_PORT for the embedded demo).`);
  }
  const app = await NestFactory.create(AppModule);
  // SIGTERM: mark critical, drain, deregister, close, exit 0.
  if (shutdownHooks) app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  await app.listen(port, host);
  return app;
}
