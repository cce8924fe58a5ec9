// Boots the app on a free loopback port, checks every feature over HTTP, closes it, and exits 0; any failure
// exits 1 with the reason. A watchdog fails the run if anything (socket, timer) keeps the process alive
// after close(). The same source compiles as CommonJS (Nest 11 app) and as ESM (Nest 12 app).
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';

const label = process.env.ADOPTION_LABEL ?? 'adoption app';

function fail(message: string): never {
  console.error(`${label}: FAIL: ${message}`);
  process.exit(1);
}

async function get(base: string, path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(base + path, { signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text for the failure message
  }
  return { status: response.status, body };
}

function expectStatus(what: string, actual: { status: number; body: unknown }, status: number): void {
  if (actual.status !== status) fail(`${what}: expected HTTP ${status}, got ${actual.status} ${JSON.stringify(actual.body)}`);
}

async function main(): Promise<void> {
  const app = await NestFactory.create(AppModule, { logger: ['warn', 'fatal'] });
  app.enableShutdownHooks();
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const base = `http://127.0.0.1:${address.port}`;

  const ok = await get(base, '/orders/42');
  expectStatus('GET /orders/42', ok, 200);
  if (JSON.stringify(ok.body) !== JSON.stringify({ id: '42', status: 'shipped' })) fail(`GET /orders/42 returned ${JSON.stringify(ok.body)}`);

  // Two failures (500) open the breaker; the third call is rejected without running the method: 503 with Retry-After.
  for (let attempt = 1; attempt <= 2; attempt += 1) expectStatus(`GET /orders/boom #${attempt}`, await get(base, '/orders/boom'), 500);
  expectStatus('GET /orders/boom #3 (circuit open)', await get(base, '/orders/boom'), 503);

  const instances = await get(base, '/orders/instances');
  expectStatus('GET /orders/instances', instances, 200);
  const seen = instances.body as { calls: number; ports: number[] };
  if (seen.calls !== 3) fail(`the breaker did not open: the method ran ${seen.calls} times, expected 3 (1 ok + 2 failures)`);
  if (JSON.stringify(seen.ports) !== JSON.stringify([address.port])) fail(`discovery found ports ${JSON.stringify(seen.ports)}, expected [${address.port}]`);

  const health = await get(base, '/orders/health');
  expectStatus('GET /orders/health (breaker open)', health, 503);
  const details = (health.body as { details?: Record<string, { status: string }> }).details ?? {};
  if (details['circuit-breakers']?.status !== 'down' || details.registry?.status !== 'up') fail(`GET /orders/health returned ${JSON.stringify(health.body)}`);

  expectStatus('GET /_nestmesh/health', await get(base, '/_nestmesh/health'), 200);

  await app.close();
  // Nothing may keep the process alive after close(): this unref'd timer only fires if something does.
  setTimeout(() => fail('the process is still alive 10s after app.close(): a socket or timer leaked'), 10_000).unref();
  console.log(`${label}: OK (port ${address.port})`);
}

main().catch((error: unknown) => fail(error instanceof Error ? (error.stack ?? error.message) : String(error)));
