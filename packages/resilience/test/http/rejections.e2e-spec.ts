import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Injectable, Module, SetMetadata, UseGuards, type CanActivate, type ExecutionContext, type INestApplication, type INestMicroservice } from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import { ClientProxyFactory, MessagePattern, Transport, type ClientProxy } from '@nestjs/microservices';
import { Bulkhead, CircuitBreaker, ResilienceModule, Timeout, resilienceRejectionOf } from '@nestmesh/resilience';
import { CapturingLogger, bootNestApp, getFreePort, type BootedNestApp, type HttpPlatform } from '@nestmesh/testing';
import { firstValueFrom } from 'rxjs';

const hold: { release?: () => void } = {};
/** What the guard read from `context.getHandler()`, per call: handler metadata must survive the policies. */
const audited: unknown[] = [];

@Injectable()
class AuditGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    audited.push(this.reflector.get('audit', context.getHandler()));
    return true;
  }
}

@Controller('rejections')
@UseGuards(AuditGuard)
class RejectionsController {
  @Get('open')
  @CircuitBreaker({ consecutiveFailures: 1, halfOpenAfter: 30_000 })
  async open(): Promise<string> {
    throw new Error('upstream down');
  }

  @Get('busy')
  @Bulkhead({ limit: 1 })
  async busy(): Promise<string> {
    await new Promise<void>((resolve) => (hold.release = resolve));
    return 'done';
  }

  @Get('slow')
  @Timeout(30)
  async slow(): Promise<string> {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    return 'late';
  }

  @MessagePattern('charge')
  @SetMetadata('audit', 'charge')
  @CircuitBreaker({ consecutiveFailures: 1, halfOpenAfter: 30_000 })
  async charge(): Promise<string> {
    throw new Error('payments down');
  }

  @MessagePattern('quote')
  @Timeout(30)
  async quote(): Promise<string> {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    return 'late';
  }
}

@Module({ imports: [ResilienceModule.forRoot({ logEvents: false })], controllers: [RejectionsController] })
class AppModule {}

/** No line of the app's log carries a stack trace of a rejection. */
const rejectionStacks = (logger: CapturingLogger) =>
  logger.lines.filter((line) => /CircuitOpenError|BulkheadFullError|ResilienceTimeoutError|circuit breaker|bulkhead|timed out/.test(line.message));

describe.each<HttpPlatform>(['express', 'fastify'])('rejections over HTTP on %s', (platform) => {
  let booted: BootedNestApp;
  const logger = new CapturingLogger();
  beforeAll(async () => {
    booted = await bootNestApp(AppModule, { platform, logger });
  });
  afterAll(async () => {
    hold.release?.();
    await booted.close();
  });

  it('an open circuit is 503 with Retry-After in seconds until half-open', async () => {
    expect((await fetch(`${booted.url}/rejections/open`)).status).toBe(500);
    const response = await fetch(`${booted.url}/rejections/open`);
    expect(response.status).toBe(503);
    const retryAfter = Number(response.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(29);
    expect(retryAfter).toBeLessThanOrEqual(30);
    expect(await response.json()).toMatchObject({ statusCode: 503, error: 'Service Unavailable', code: 'CIRCUIT_OPEN' });
  });

  it('a full bulkhead is 503 with Retry-After', async () => {
    const first = fetch(`${booted.url}/rejections/busy`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const response = await fetch(`${booted.url}/rejections/busy`);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(await response.json()).toMatchObject({ statusCode: 503, code: 'BULKHEAD_FULL' });
    hold.release?.();
    expect((await first).status).toBe(200);
  });

  it('a timeout is 504', async () => {
    const response = await fetch(`${booted.url}/rejections/slow`);
    expect(response.status).toBe(504);
    expect(await response.json()).toMatchObject({ statusCode: 504, error: 'Gateway Timeout', code: 'TIMEOUT' });
  });

  it('logs no stack trace per rejection', () => {
    expect(rejectionStacks(logger)).toEqual([]);
  });
});

describe('rejections over a real @nestjs/microservices TCP transport', () => {
  let service: INestMicroservice;
  let client: ClientProxy;
  const logger = new CapturingLogger();
  beforeAll(async () => {
    const port = await getFreePort();
    service = await NestFactory.createMicroservice(AppModule, { transport: Transport.TCP, options: { host: '127.0.0.1', port }, logger });
    await service.listen();
    client = ClientProxyFactory.create({ transport: Transport.TCP, options: { host: '127.0.0.1', port } });
  });
  afterAll(async () => {
    await client?.close();
    await service?.close();
  });

  it('the client can tell an open circuit and a timeout apart by a stable code and name', async () => {
    const failed: unknown = await firstValueFrom(client.send('charge', {})).catch((error: unknown) => error);
    expect(resilienceRejectionOf(failed)).toBeUndefined();
    const open: unknown = await firstValueFrom(client.send('charge', {})).catch((error: unknown) => error);
    expect(open).toMatchObject({ status: 'error', code: 'CIRCUIT_OPEN', name: 'CircuitOpenError', statusCode: 503 });
    expect(resilienceRejectionOf(open)?.code).toBe('CIRCUIT_OPEN');
    expect((open as { retryAfter: number }).retryAfter).toBeGreaterThan(29_000);

    const timedOut: unknown = await firstValueFrom(client.send('quote', {})).catch((error: unknown) => error);
    expect(timedOut).toMatchObject({ status: 'error', code: 'TIMEOUT', name: 'ResilienceTimeoutError', statusCode: 504 });
    expect(rejectionStacks(logger)).toEqual([]);
  });
});

describe('a hybrid app: @MessagePattern handlers registered after the app initialised', () => {
  let app: INestApplication;
  let client: ClientProxy;
  beforeAll(async () => {
    const port = await getFreePort();
    app = await NestFactory.create(AppModule, { logger: false });
    // Nest applies global filters (APP_FILTER included) to a connected microservice only with inheritAppConfig.
    app.connectMicroservice({ transport: Transport.TCP, options: { host: '127.0.0.1', port } }, { inheritAppConfig: true });
    await app.init();
    await app.startAllMicroservices();
    await app.listen(0, '127.0.0.1');
    client = ClientProxyFactory.create({ transport: Transport.TCP, options: { host: '127.0.0.1', port } });
  });
  afterAll(async () => {
    await client?.close();
    await app?.close();
  });

  it('still finds the handlers, with their metadata, and runs them through their policies', async () => {
    audited.length = 0;
    const failed: unknown = await firstValueFrom(client.send('charge', {})).catch((error: unknown) => error);
    expect(failed).toMatchObject({ status: 'error' });
    const open: unknown = await firstValueFrom(client.send('charge', {})).catch((error: unknown) => error);
    expect(open).toMatchObject({ code: 'CIRCUIT_OPEN', name: 'CircuitOpenError' });
    expect(audited).toEqual(['charge', 'charge']);
  });
});
