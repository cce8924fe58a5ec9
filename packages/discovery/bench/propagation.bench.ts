// Discovery benchmark: how fast a change in Consul reaches watch(), and what watching costs Consul while idle.
//
//   npm run bench -- discovery
//
// Runs against a real Consul dev agent (started here on free loopback ports). Every number is printed next to
// a baseline measured in the same run, because these machines are shared and noisy:
// - propagation: the time from a change (register, or a check turning critical as when an instance is
//   killed) to watch() emitting it, against a bare hand-written blocking-query loop on the same agent;
// - idle: Consul requests per minute with 20 watched services, against the ideal of one request per service
//   per wait period.
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ServiceDiscovery, ServiceDiscoveryModule } from '@nestmesh/discovery';
import { sleep, startConsulAgent, startCountingProxy, type ConsulAgent } from '@nestmesh/testing';
import { filter, firstValueFrom, skip } from 'rxjs';

const CHANGES = Number(process.env.BENCH_CHANGES ?? 50);
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 60);
const IDLE_SERVICES = 20;

const put = (consul: ConsulAgent, path: string, body?: unknown) => consul.put(path, body);

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** The baseline: the least a client can do, a bare fetch() blocking-query loop with no rate limit or bookkeeping. */
function bareWatch(consul: ConsulAgent, name: string, onChange: (count: number) => void): () => void {
  const controller = new AbortController();
  void (async () => {
    let index = 0;
    let last = '';
    while (!controller.signal.aborted) {
      try {
        const response = await fetch(`${consul.url}/v1/health/service/${name}?passing&index=${index}&wait=30s`, { signal: controller.signal });
        index = Number(response.headers.get('x-consul-index') ?? 1);
        const body = (await response.json()) as Array<{ Service: { ID: string } }>;
        const ids = body.map((entry) => entry.Service.ID).sort().join();
        if (ids !== last) {
          last = ids;
          onChange(body.length);
        }
      } catch {
        return;
      }
    }
  })();
  return () => controller.abort();
}

async function measurePropagation(consul: ConsulAgent, discovery: ServiceDiscovery) {
  const name = 'bench-propagation';
  const ours: number[] = [];
  const bare: number[] = [];
  let bareResolve: (() => void) | undefined;
  const stopBare = bareWatch(consul, name, () => bareResolve?.());
  await firstValueFrom(discovery.watch(name));
  await sleep(300);
  for (let i = 0; i < CHANGES; i += 1) {
    const id = `${name}-${Math.floor(i / 2)}`;
    const registering = i % 2 === 0;
    const oursSeen = firstValueFrom(discovery.watch(name).pipe(skip(1), filter(() => true)));
    const bareSeen = new Promise<void>((resolve) => (bareResolve = resolve));
    const started = performance.now();
    const timed = (promise: Promise<unknown>) => promise.then(() => performance.now() - started);
    const results = Promise.all([timed(oursSeen), timed(bareSeen)]);
    if (registering) {
      await put(consul, '/v1/agent/service/register', { Name: name, ID: id, Port: 9000 + i, Check: { CheckID: `c-${id}`, TTL: '60s', Status: 'passing' } });
    } else {
      // As when an instance is killed and its TTL check turns critical.
      await put(consul, `/v1/agent/check/fail/c-${id}`);
    }
    const [oursMs, bareMs] = await results;
    ours.push(oursMs);
    bare.push(bareMs);
    await sleep(250);
  }
  stopBare();
  return { ours, bare };
}

async function measureIdle(consul: ConsulAgent) {
  const proxy = await startCountingProxy(consul.url);
  @Module({ imports: [ServiceDiscoveryModule.forRoot({ registry: 'consul', consul: { address: proxy.addr } })] })
  class IdleModule {}
  const app = await NestFactory.createApplicationContext(IdleModule, { logger: false });
  const discovery = app.get(ServiceDiscovery);
  const names = Array.from({ length: IDLE_SERVICES }, (_, i) => `idle-${i}`);
  for (const name of names) await put(consul, '/v1/agent/service/register', { Name: name, ID: `${name}-1`, Port: 8000 });
  // Watched: subscribed for the whole run (a getInstances() alone ends its watch after watch.linger).
  const subscriptions = names.map((name) => discovery.watch(name).subscribe());
  await Promise.all(names.map((name) => discovery.getInstances(name)));
  await sleep(1_000);
  const before = proxy.count('/v1/health/service/');
  await sleep(IDLE_SECONDS * 1_000);
  const requests = proxy.count('/v1/health/service/') - before;
  subscriptions.forEach((subscription) => subscription.unsubscribe());
  await app.close();
  await proxy.close();
  return { perMinute: (requests * 60) / IDLE_SECONDS };
}

const consul = await startConsulAgent();
try {
  @Module({ imports: [ServiceDiscoveryModule.forRoot({ registry: 'consul', consul: { address: consul.httpAddr } })] })
  class BenchModule {}
  const app = await NestFactory.createApplicationContext(BenchModule, { logger: false });
  const { ours, bare } = await measurePropagation(consul, app.get(ServiceDiscovery));
  await app.close();
  const row = (label: string, samples: number[]) => `${label.padEnd(28)} median ${percentile(samples, 50).toFixed(1).padStart(6)} ms   p99 ${percentile(samples, 99).toFixed(1).padStart(6)} ms`;
  console.log(`propagation over ${CHANGES} changes (register / check critical), Consul ${consul.httpAddr}`);
  console.log(row('  watch()', ours));
  console.log(row('  baseline: bare fetch loop', bare));
  console.log(`  ratio watch()/baseline       median ${(percentile(ours, 50) / percentile(bare, 50)).toFixed(2)}x   p99 ${(percentile(ours, 99) / percentile(bare, 99)).toFixed(2)}x`);

  const idle = await measureIdle(consul);
  const ideal = (IDLE_SERVICES * 60) / 55;
  console.log(`idle: ${IDLE_SERVICES} watched services for ${IDLE_SECONDS} s (wait 55s)`);
  console.log(`  Consul requests per minute  ${idle.perMinute.toFixed(1)}   ideal (one per service per wait) ${ideal.toFixed(1)}   ratio ${(idle.perMinute / ideal).toFixed(2)}x`);
} finally {
  await consul.stop();
}
