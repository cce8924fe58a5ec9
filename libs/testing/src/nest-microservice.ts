import type { INestMicroservice, LoggerService, LogLevel, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo, Server } from 'node:net';

/** Options of {@link bootNestMicroservice}. */
export interface BootNestMicroserviceOptions {
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 0: a free port chosen by the OS. */
  port?: number;
  /** Runs after the microservice is created and before it listens. */
  configure?: (app: INestMicroservice) => void | Promise<void>;
  /** Nest's logger setting. Default `false` (quiet). */
  logger?: false | LogLevel[] | LoggerService;
}

/** A microservice-only Nest app (`NestFactory.createMicroservice()`) listening on a loopback TCP port. */
export interface BootedNestMicroservice {
  readonly app: INestMicroservice;
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Creates a real microservice-only Nest app on the `@nestjs/microservices` TCP transport and listens on a
 * free loopback port.
 *
 * @example
 * const { port, close } = await bootNestMicroservice(OrdersModule);
 */
export async function bootNestMicroservice(module: Type<unknown>, options: BootNestMicroserviceOptions = {}): Promise<BootedNestMicroservice> {
  const { Transport } = await import('@nestjs/microservices');
  const host = options.host ?? '127.0.0.1';
  const app = await NestFactory.createMicroservice(module, {
    transport: Transport.TCP,
    options: { host, port: options.port ?? 0 },
    logger: options.logger ?? false,
    abortOnError: false,
  });
  try {
    await options.configure?.(app);
    await app.listen();
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  const { port } = app.unwrap<Server>().address() as AddressInfo;
  return { app, host, port, close: () => app.close() };
}
