import type { INestApplication, LoggerService, LogLevel, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';

/** The HTTP platforms a test can boot a Nest app on. */
export type HttpPlatform = 'express' | 'fastify';

/** Options of {@link bootNestApp}. */
export interface BootNestAppOptions {
  /** Default `express`. */
  platform?: HttpPlatform;
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 0: a free port chosen by the OS. */
  port?: number;
  /** Runs after the app is created and before it listens (global prefix, pipes, shutdown hooks...). */
  configure?: (app: INestApplication) => void | Promise<void>;
  /** Nest's logger setting. Default `false` (quiet); `['error', 'warn', 'log']` to see lines, a {@link CapturingLogger} to read them. */
  logger?: false | LogLevel[] | LoggerService;
  /** Nest's body parsing; `false` leaves request bodies as streams (a proxy's upstream). Default `true`. */
  bodyParser?: boolean;
}

/** A Nest app listening on loopback. */
export interface BootedNestApp {
  readonly app: INestApplication;
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

async function createApp(module: Type<unknown>, platform: HttpPlatform, logger: BootNestAppOptions['logger'], bodyParser = true): Promise<INestApplication> {
  if (platform === 'fastify') {
    const { FastifyAdapter } = await import('@nestjs/platform-fastify');
    return NestFactory.create(module, new FastifyAdapter(), { logger: logger ?? false, abortOnError: false, bodyParser });
  }
  return NestFactory.create(module, { logger: logger ?? false, abortOnError: false, bodyParser });
}

/**
 * Creates a real Nest app on Express or Fastify and listens on a free loopback port.
 *
 * @example
 * const { url, close } = await bootNestApp(AppModule, { platform: 'fastify' });
 */
export async function bootNestApp(module: Type<unknown>, options: BootNestAppOptions = {}): Promise<BootedNestApp> {
  const host = options.host ?? '127.0.0.1';
  const app = await createApp(module, options.platform ?? 'express', options.logger, options.bodyParser);
  try {
    await options.configure?.(app);
    await app.listen(options.port ?? 0, host);
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, port, url: `http://${host}:${port}`, close: () => app.close() };
}
