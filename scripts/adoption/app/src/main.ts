// Boots the app on a free loopback port, checks every feature over HTTP, closes it, and exits 0; any failure
// exits 1 with the reason. A watchdog fails the run if anything (socket, timer) keeps the process alive
// after close(). The same source compiles as CommonJS (Nest 11 apps) and as ESM (Nest 12 app); mesh.ts says what
// the app adds to AppModule (nothing, or @nestmesh/client and @nestmesh/gateway where their peers allow it).
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { check, CheckFailure, expectJson, expectStatus, get } from './http.js';
import { startMesh } from './mesh.js';

const label = process.env.ADOPTION_LABEL ?? 'adoption app';

function fail(message: string): never {
  console.error(`${label}: FAIL: ${message}`);
  process.exit(1);
}

async function main(): Promise<void> {
  const mesh = await startMesh();
  const app = await NestFactory.create(mesh.root, { logger: ['warn', 'fatal'] });
  app.enableShutdownHooks();
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const base = `http://127.0.0.1:${address.port}`;

  expectJson('GET /orders/42', await get(base, '/orders/42'), 200, { id: '42', status: 'shipped' });

  // Two failures (500) open the breaker; the third call is rejected without running the method: 503 with Retry-After.
  for (let attempt = 1; attempt <= 2; attempt += 1) expectStatus(`GET /orders/boom #${attempt}`, await get(base, '/orders/boom'), 500);
  expectStatus('GET /orders/boom #3 (circuit open)', await get(base, '/orders/boom'), 503);

  const instances = await get(base, '/orders/instances');
  expectStatus('GET /orders/instances', instances, 200);
  const seen = instances.body as { calls: number; ports: number[] };
  check(seen.calls === 3, `the breaker did not open: the method ran ${seen.calls} times, expected 3 (1 ok + 2 failures)`);
  check(JSON.stringify(seen.ports) === JSON.stringify([address.port]), `discovery found ports ${JSON.stringify(seen.ports)}, expected [${address.port}]`);

  const health = await get(base, '/orders/health');
  expectStatus('GET /orders/health (breaker open)', health, 503);
  const details = (health.body as { details?: Record<string, { status: string }> }).details ?? {};
  check(details['circuit-breakers']?.status === 'down' && details.registry?.status === 'up', `GET /orders/health returned ${JSON.stringify(health.body)}`);

  expectStatus('GET /_nestmesh/health', await get(base, '/_nestmesh/health'), 200);

  await mesh.check(base, address.port);

  await app.close();
  mesh.close();
  // Nothing may keep the process alive after close(): this unref'd timer only fires if something does.
  setTimeout(() => fail('the process is still alive 10s after app.close(): a socket or timer leaked'), 10_000).unref();
  console.log(`${label}: OK (port ${address.port}; ${mesh.packages})`);
}

main().catch((error: unknown) => fail(error instanceof CheckFailure ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)));
