// Per-call cost of the gateway's building blocks, each as a ratio to a baseline measured in the same run:
// - JwtVerifier.verify() with its verified-token cache, without it, and jose's bare jwtVerify();
// - RedisThrottlerStorage.increment() (one Lua script) against a bare Redis INCR round trip, 50 in flight;
// - normalizeRequestTarget() against WHATWG `new URL()` parsing of the same targets.
//   npm run bench -- gateway
import { JwtVerifier, RedisThrottlerStorage, normalizeRequestTarget } from '@nestmesh/gateway';
import { startRedisServer } from '@nestmesh/testing';
import { Redis } from 'ioredis';
import { exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';

const ROUNDS = 5;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Median ns per call of `fn` over ROUNDS rounds of `calls` sequential awaited calls. */
async function nsPerCall(fn: (i: number) => unknown, calls: number): Promise<number> {
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < calls; i += 1) await fn(i);
    rounds.push(Number(process.hrtime.bigint() - started) / calls);
  }
  return median(rounds);
}

/** Median calls per second of `fn` with `inFlight` concurrent callers, over ROUNDS rounds. */
async function perSecond(fn: (i: number) => Promise<unknown>, calls: number, inFlight = 50): Promise<number> {
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    let next = 0;
    const started = process.hrtime.bigint();
    await Promise.all(Array.from({ length: inFlight }, async () => {
      while (next < calls) await fn(next++);
    }));
    rounds.push(calls / (Number(process.hrtime.bigint() - started) / 1e9));
  }
  return median(rounds);
}

async function jwtBench(): Promise<void> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k', alg: 'RS256' }] };
  const token = await new SignJWT({ sub: 'alice', scope: 'orders:read', exp: Math.floor(Date.now() / 1000) + 3_600 })
    .setProtectedHeader({ alg: 'RS256', kid: 'k' })
    .sign(privateKey);
  const cached = new JwtVerifier({ jwks });
  const uncached = new JwtVerifier({ jwks, cache: false });
  const bare = await nsPerCall(() => jwtVerify(token, publicKey, { algorithms: ['RS256'] }), 2_000);
  const withoutCache = await nsPerCall(() => uncached.verify(token), 2_000);
  const withCache = await nsPerCall(() => cached.verify(token), 20_000);
  console.log(`JWT (RS256): jose jwtVerify ${(bare / 1000).toFixed(1)} µs/call (baseline)`);
  console.log(`  JwtVerifier, cache off: ${(withoutCache / 1000).toFixed(1)} µs/call (${(withoutCache / bare).toFixed(2)}x jose)`);
  console.log(`  JwtVerifier, cache on:  ${(withCache / 1000).toFixed(2)} µs/call (${(withCache / bare).toFixed(3)}x jose)`);
}

async function throttlerBench(): Promise<void> {
  const redis = await startRedisServer();
  const raw = new Redis(redis.url);
  const storage = new RedisThrottlerStorage({ redis: redis.url });
  await storage.onModuleInit();
  try {
    const incr = await perSecond((i) => raw.incr(`bench:${i % 100}`), 50_000);
    const script = await perSecond((i) => storage.increment(`bench-${i % 100}`, 60_000, 1_000_000, 0, 'default'), 50_000);
    console.log(`Throttler: Redis INCR ${incr.toFixed(0)}/s (baseline, 50 in flight)`);
    console.log(`  RedisThrottlerStorage.increment: ${script.toFixed(0)}/s (${(script / incr).toFixed(2)}x INCR)`);
  } finally {
    raw.disconnect();
    await storage.onApplicationShutdown();
    await redis.stop();
  }
}

async function edgeBench(): Promise<void> {
  const plain = ['/api/orders/42?expand=items', '/api/orders', '/'];
  const messy = ['/api/orders/../orders//42/./items', '/api/caf%C3%A9/a%20b?x=%2F', '/api/%7Euser/orders/'];
  for (const [label, targets] of [['plain targets', plain], ['targets to decode/resolve', messy]] as const) {
    const url = await nsPerCall((i) => new URL(targets[i % targets.length], 'http://gateway'), 200_000);
    const normalized = await nsPerCall((i) => normalizeRequestTarget(targets[i % targets.length]), 200_000);
    console.log(`Edge, ${label}: new URL() ${url.toFixed(0)} ns/call (baseline)`);
    console.log(`  normalizeRequestTarget: ${normalized.toFixed(0)} ns/call (${(normalized / url).toFixed(2)}x new URL())`);
  }
}

console.log(`Node ${process.version}, medians of ${ROUNDS} rounds`);
await jwtBench();
await throttlerBench();
await edgeBench();
