// (a) Balancing quality: four instances, one 10x slower; p50/p99 per strategy against the all-healthy p99.
// (b) Client overhead: ServiceClient req/s over raw undici Pool req/s on the same upstream, same run; and the
//     cost of one p2c-ewma pick. Upstreams run in a child process so only the client is measured here.
//   npm run bench -- client   (BENCH_PART=a|b, BENCH_CALLS: calls per round of (b), BENCH_PIN=0)
import 'reflect-metadata';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ServiceClientModule, getServiceClientToken, P2cEwmaStrategy, type BalancedEndpoint, type ServiceClient, type LoadBalancingStrategyName } from '@nestmesh/client';
import { ServiceDiscoveryModule, type ServiceInstance } from '@nestmesh/discovery';
import { spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';

const FAST_MS = 5;
const SLOW_MS = FAST_MS * 10;
const CALLS = 4_000;
const CONCURRENCY = 8;
// Part (b) gives this process core 0 and the upstream core 1 (two cores or more; BENCH_PIN=0: off), as the proxy bench does.
const PIN = process.env.BENCH_PIN !== '0' && availableParallelism() >= 2;

/** With `core` (and two cores or more, unless BENCH_PIN=0), the upstreams run on that core alone. */
async function startUpstreams(delays: number[], core?: number): Promise<{ ports: number[]; stop(): void }> {
  const args = [fileURLToPath(new URL('./upstreams.child.js', import.meta.url)), ...delays.map(String)];
  const pinned = core !== undefined && PIN;
  const child = spawn(pinned ? 'taskset' : process.execPath, pinned ? ['-c', String(core), process.execPath, ...args] : args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));
  return { ports: JSON.parse(line) as number[], stop: () => child.stdin!.end() };
}

async function clientFor(ports: number[], strategy: LoadBalancingStrategyName): Promise<{ app: INestApplicationContext; client: ServiceClient }> {
  @Module({
    imports: [
      ServiceDiscoveryModule.forRoot({ registry: 'static', staticServices: { bench: ports.map((port) => `127.0.0.1:${port}`) } }),
      ServiceClientModule.register({ services: { bench: { strategy, pool: { connections: 64 } } }, propagateHeaders: false }),
    ],
  })
  class BenchModule {}
  const app = await NestFactory.createApplicationContext(BenchModule, { logger: false });
  return { app, client: app.get<ServiceClient>(getServiceClientToken('bench')) };
}

async function load(total: number, call: () => Promise<void>, concurrency = CONCURRENCY): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < total) {
        const t0 = performance.now();
        await call();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { latencies, seconds: (performance.now() - started) / 1000 };
}

const q = (values: number[], quantile: number) => [...values].sort((a, b) => a - b)[Math.ceil(quantile * values.length) - 1];
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

async function balancing(): Promise<void> {
  console.log(`(a) balancing: 4 instances, ${CALLS} GETs at concurrency ${CONCURRENCY}, fast ${FAST_MS} ms, one slow ${SLOW_MS} ms`);
  const healthyUpstreams = await startUpstreams([FAST_MS, FAST_MS, FAST_MS, FAST_MS]);
  const slowUpstreams = await startUpstreams([FAST_MS, FAST_MS, FAST_MS, SLOW_MS]);
  const p99: Record<string, number> = {};
  try {
    const runs: Array<[string, number[], LoadBalancingStrategyName]> = [
      ['all healthy (p2c-ewma)', healthyUpstreams.ports, 'p2c-ewma'],
      ['round-robin', slowUpstreams.ports, 'round-robin'],
      ['least-request', slowUpstreams.ports, 'least-request'],
      ['p2c-ewma', slowUpstreams.ports, 'p2c-ewma'],
    ];
    for (const [label, ports, strategy] of runs) {
      const { app, client } = await clientFor(ports, strategy);
      await load(500, async () => (await client.get('/')).body.dump());
      const { latencies } = await load(CALLS, async () => (await client.get('/')).body.dump());
      await app.close();
      p99[label] = q(latencies, 0.99);
      console.log(`  ${label.padEnd(24)} p50 ${fmt(q(latencies, 0.5)).padStart(9)}  p99 ${fmt(p99[label]).padStart(9)}`);
    }
  } finally {
    healthyUpstreams.stop();
    slowUpstreams.stop();
  }
  const healthy = p99['all healthy (p2c-ewma)'];
  const vsHealthy = p99['p2c-ewma'] / healthy;
  const vsRoundRobin = p99['p2c-ewma'] / p99['round-robin'];
  console.log(`  p2c-ewma p99 / all-healthy p99 = ${vsHealthy.toFixed(2)} (goal <= 1.5)  ${vsHealthy <= 1.5 ? 'ok' : 'MISSED'}`);
  console.log(`  p2c-ewma p99 / round-robin p99 = ${vsRoundRobin.toFixed(2)} (goal <= 0.33) ${vsRoundRobin <= 1 / 3 ? 'ok' : 'MISSED'}`);
}

async function overhead(): Promise<void> {
  const calls = Number(process.env.BENCH_CALLS ?? 30_000);
  const rounds = 7;
  const concurrency = 16;
  if (PIN) spawnSync('taskset', ['-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
  console.log(`(b) overhead: ${rounds} alternating rounds of ${calls} GETs at concurrency ${concurrency} on one instance answering at once; processes pinned: ${PIN ? 'yes (this one on core 0, the upstream on core 1)' : 'no'}`);
  const upstream = await startUpstreams([0], 1);
  try {
    const pool = new Pool(`http://127.0.0.1:${upstream.ports[0]}`, { connections: 64 });
    const { app, client } = await clientFor(upstream.ports, 'p2c-ewma');
    const raw = async () => (await pool.request({ method: 'GET', path: '/' })).body.dump();
    const viaClient = async () => (await client.get('/')).body.dump();
    await load(5_000, raw, concurrency);
    await load(5_000, viaClient, concurrency);
    // Alternate rounds so that both see the same machine conditions; the median round ratio resists noise. CPU per
    // call is this process's own (user + system), less sensitive than req/s to other load on the host.
    const ratios: number[] = [];
    const cpuRatios: number[] = [];
    const round = async (call: () => Promise<void>) => {
      const cpu = process.cpuUsage();
      const { seconds } = await load(calls, call, concurrency);
      const used = process.cpuUsage(cpu);
      return { seconds, cpuUs: (used.user + used.system) / calls };
    };
    let rawSeconds = 0;
    let clientSeconds = 0;
    for (let index = 0; index < rounds; index++) {
      const rawRound = await round(raw);
      const clientRound = await round(viaClient);
      rawSeconds += rawRound.seconds;
      clientSeconds += clientRound.seconds;
      ratios.push(rawRound.seconds / clientRound.seconds);
      cpuRatios.push(rawRound.cpuUs / clientRound.cpuUs);
    }
    const rawRate = (rounds * calls) / rawSeconds;
    const clientRate = (rounds * calls) / clientSeconds;
    await app.close();
    await pool.close();
    const ratio = q(ratios, 0.5);
    const cpuRatio = q(cpuRatios, 0.5);
    console.log(`  raw undici Pool   ${Math.round(rawRate).toString().padStart(7)} req/s`);
    console.log(`  ServiceClient     ${Math.round(clientRate).toString().padStart(7)} req/s`);
    console.log(`  ServiceClient / raw Pool = ${ratio.toFixed(3)} by req/s (median of ${rounds} rounds: ${ratios.map((r) => r.toFixed(2)).join(' ')}; goal >= 0.9)  ${ratio >= 0.9 ? 'ok' : 'MISSED'}`);
    console.log(`  ServiceClient / raw Pool = ${cpuRatio.toFixed(3)} by CPU per call (median of ${rounds} rounds: ${cpuRatios.map((r) => r.toFixed(2)).join(' ')}; goal >= 0.9)  ${cpuRatio >= 0.9 ? 'ok' : 'MISSED'}`);
  } finally {
    upstream.stop();
  }

  const endpoints: BalancedEndpoint[] = Array.from({ length: 4 }, (_, i) => ({
    instance: { id: `i${i}` } as ServiceInstance,
    weight: 1,
    inFlight: i % 2,
    latency: () => 2 + i,
  }));
  const strategy = new P2cEwmaStrategy();
  const picks = 5_000_000;
  let sink = 0;
  for (let i = 0; i < 100_000; i++) sink += strategy.pick(endpoints, { now: i }).weight;
  const started = process.hrtime.bigint();
  for (let i = 0; i < picks; i++) sink += strategy.pick(endpoints, { now: i }).weight;
  const nsPerPick = Number(process.hrtime.bigint() - started) / picks;
  console.log(`  one p2c-ewma pick over 4 instances: ${nsPerPick.toFixed(0)} ns (goal <= 1000 ns)  ${nsPerPick <= 1_000 ? 'ok' : 'MISSED'}${sink < 0 ? '' : ''}`);
}

if (process.env.BENCH_PART !== 'b') await balancing();
if (process.env.BENCH_PART !== 'a') await overhead();
