// A discoverable Nest app run as a real child process by the lifecycle tests (SIGTERM, SIGKILL, agent restart),
// through scripts/ts-register.js. Configured by environment variables.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { discoverableAppModule } from './test-app.js';

const ttl = process.env.FIXTURE_TTL ?? '2s';
const module = discoverableAppModule(
  { name: process.env.FIXTURE_NAME ?? 'fixture', tags: ['fixture'], check: { ttl: ttl as '2s', deregisterCriticalServiceAfter: '1m' } },
  { registry: 'consul', shutdown: { drainDelay: Number(process.env.FIXTURE_DRAIN_MS ?? 300) } },
);
const app = await NestFactory.create(module, { logger: ['log', 'warn', 'error'] });
app.enableShutdownHooks(['SIGTERM'], { useProcessExit: true });
await app.listen(0, '127.0.0.1');
console.log(`fixture listening on ${(app.getHttpServer().address() as { port: number }).port}`);
