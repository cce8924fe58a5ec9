// Throughput and latency of the gateway against other proxies, all in front of the same plain node:http upstream,
// each in its own process, loaded by wrk (Debian) over keep-alive connections, targets alternating over rounds:
//   direct upstream | node:http + undici Pool (the Node limit) | @fastify/http-proxy | http-proxy-middleware on
//   Express | nginx (Debian) | nestmesh bare route | nestmesh JWT + throttling + breaker + P2C.
// Prints medians and ratios to direct (and the goals' ratios), the added p50 latency at one connection, and the
// full stack's live heap (after a full GC) and RSS over a 60 s run.   npm run bench -- proxy   (BENCH_SECONDS, BENCH_ROUNDS, BENCH_MEMORY_SECONDS, BENCH_MEMORY_WARMUP_SECONDS, BENCH_PIN=0, BENCH_TARGETS=a,b)
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const MEMORY_SECONDS = Number(process.env.BENCH_MEMORY_SECONDS ?? 60);
// Load before the measured window: RSS climbs for a minute or two as V8 and malloc reach their working set
// (the live heap does not), then stays flat.
const MEMORY_WARMUP_SECONDS = Number(process.env.BENCH_MEMORY_WARMUP_SECONDS ?? 60);
const CONNECTIONS = 64;
const ONLY = process.env.BENCH_TARGETS ? new Set(process.env.BENCH_TARGETS.split(',')) : undefined; // e.g. node-limit,nestmesh-bare
const CLOCK_TICKS = 100; // USER_HZ of /proc/<pid>/stat on Linux
const root = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const children: ChildProcess[] = [];

interface Started {
  port: number;
  token?: string;
  pid: number;
  /** The target's heap after a full GC (node targets). */
  liveHeapMb?: () => Promise<number>;
}

// With two cores or more, the proxy under test gets core 0 to itself and wrk and the upstream share core 1, so each
// proxy's throughput is what one core of it can do, not what is left of a core it fights wrk for (BENCH_PIN=0: off).
const PIN = process.env.BENCH_PIN !== '0' && (await import('node:os')).availableParallelism() >= 2;
const pinned = (core: number, command: string, args: string[]): [string, string[]] => (PIN ? ['taskset', ['-c', String(core), command, ...args]] : [command, args]);

async function startTarget(name: string, upstreamPort = 0): Promise<Started> {
  const child = spawn(...pinned(name === 'upstream' ? 1 : 0, process.execPath, ['--expose-gc', fileURLToPath(new URL('./proxy-targets.child.js', import.meta.url)), name, String(upstreamPort)]), {
    cwd: root,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.push(child);
  const lines = createInterface({ input: child.stdout! });
  const line = await new Promise<string>((done, fail) => {
    lines.once('line', done);
    child.once('exit', (code) => fail(new Error(`${name} exited with ${code}`)));
  });
  const liveHeapMb = () =>
    new Promise<number>((done) => {
      lines.once('line', (answer) => done((JSON.parse(answer) as { heapUsedMb: number }).heapUsedMb));
      child.kill('SIGUSR2');
    });
  return { ...(JSON.parse(line) as { port: number; token?: string }), pid: child.pid!, liveHeapMb };
}

/** Whether `name` runs (on PATH or in /usr/sbin, where Debian puts nginx). */
function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name} || test -x /usr/sbin/${name}`], { stdio: 'ignore' }).status === 0;
}

async function startNginx(upstreamPort: number): Promise<Started> {
  const dir = resolve(root, '.bench/nginx');
  mkdirSync(dir, { recursive: true });
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  writeFileSync(
    `${dir}/nginx.conf`,
    `worker_processes 1; daemon off; pid ${dir}/nginx.pid; error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  upstream backend { server 127.0.0.1:${upstreamPort}; keepalive 64; }
  server {
    listen 127.0.0.1:${port};
    keepalive_requests 1000000;
    location /api/ { proxy_pass http://backend/; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
`,
  );
  const child = spawn(...pinned(0, 'nginx', ['-p', dir, '-c', `${dir}/nginx.conf`]), { stdio: ['ignore', 'inherit', 'inherit'] });
  children.push(child);
  await new Promise((done) => setTimeout(done, 500));
  const pid = Number(readFileSync(`${dir}/nginx.pid`, 'utf8'));
  return { port, pid };
}

interface WrkResult {
  rps: number;
  requests: number;
  p50ms: number;
  p99ms: number;
}

const toMs = (value: string) => {
  const match = /^([\d.]+)(us|ms|s)$/.exec(value.trim());
  if (!match) return Number.NaN;
  return Number(match[1]) * (match[2] === 'us' ? 0.001 : match[2] === 's' ? 1_000 : 1);
};

function wrk(url: string, connections: number, seconds: number, token?: string): Promise<WrkResult> {
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', ...(token ? ['-H', `Authorization: Bearer ${token}`] : []), url];
  return new Promise((done, fail) => {
    const child = spawn(...pinned(1, 'wrk', args), { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', () => {
      const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
      const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out);
      if (!Number.isFinite(rps) || non2xx) return fail(new Error(`wrk ${url}: ${non2xx ? `${non2xx[1]} non-2xx answers` : 'no result'}\n${out}`));
      // The distribution lines only ("     50%  105.00us"): the Thread Stats line ends in a percentage too ("95.50%").
      done({ rps, requests: Number(/(\d+) requests in/.exec(out)?.[1]), p50ms: toMs(/^\s+50%\s+(\S+)$/m.exec(out)![1]), p99ms: toMs(/^\s+99%\s+(\S+)$/m.exec(out)![1]) });
    });
  });
}

/** CPU time (ms) used so far by a process and its children that are still running (nginx's worker), from /proc. */
function cpuMs(pid: number): number {
  const ticks = (id: number) => {
    const fields = readFileSync(`/proc/${id}/stat`, 'utf8').split(') ')[1].split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime, stime
  };
  let total = ticks(pid);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ')[1] === String(pid)) total += ticks(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return (total * 1_000) / CLOCK_TICKS;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

async function main(): Promise<void> {
  if (!hasCommand('wrk')) throw new Error('wrk is not installed: apt-get install wrk (`npm run bench` installs it when run as root).');
  const upstream = await startTarget('upstream');
  const targets: Array<[string, Started, string]> = [['direct', upstream, `/api/items`]];
  for (const name of ['node-limit', 'nest-fastify-limit', 'fastify-http-proxy', 'http-proxy-middleware', 'nginx', 'nestmesh-bare', 'nestmesh-full']) {
    if (ONLY && !ONLY.has(name)) continue;
    if (name === 'nginx' && !hasCommand('nginx')) {
      console.log('nginx is not installed (apt-get install nginx; `npm run bench` installs it when run as root): the nginx target is skipped.');
      continue;
    }
    targets.push([name, name === 'nginx' ? await startNginx(upstream.port) : await startTarget(name, upstream.port), '/api/items']);
  }
  const url = (started: Started, path: string) => `http://127.0.0.1:${started.port}${path}`;

  for (const [, started, path] of targets) await wrk(url(started, path), CONNECTIONS, 1, started.token); // warm-up (JIT, pools)
  const throughput = new Map<string, number[]>(targets.map(([name]) => [name, []]));
  const cpuPerRequest = new Map<string, number[]>(targets.map(([name]) => [name, []]));
  const latency = new Map<string, number[]>(targets.map(([name]) => [name, []]));
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [name, started, path] of targets) {
      const before = cpuMs(started.pid);
      const result = await wrk(url(started, path), CONNECTIONS, SECONDS, started.token);
      throughput.get(name)!.push(result.rps);
      cpuPerRequest.get(name)!.push(((cpuMs(started.pid) - before) * 1_000) / result.requests);
    }
    for (const [name, started, path] of targets) latency.get(name)!.push((await wrk(url(started, path), 1, Math.max(2, Math.ceil(SECONDS / 2)), started.token)).p50ms);
  }
  const rps = (name: string) => median(throughput.get(name)!);
  const p50 = (name: string) => median(latency.get(name)!);
  console.log(`wrk -t1 -c${CONNECTIONS} -d${SECONDS}s, ${ROUNDS} alternating rounds, medians (machine: ${(await import('node:os')).cpus().length} cores, all on one host)`);
  console.log(`processes pinned: ${PIN ? 'yes (proxy on core 0; wrk and the upstream on core 1)' : 'no'}; CPU per request is the proxy's own (the upstream's for direct), from /proc, and less sensitive to other load on the host than req/s`);
  const cpu = (name: string) => median(cpuPerRequest.get(name)!);
  console.log('target                   req/s   vs direct   CPU/request   p50 @1 conn   added p50');
  for (const [name] of targets) {
    console.log(`${name.padEnd(22)} ${rps(name).toFixed(0).padStart(7)}   ${(rps(name) / rps('direct')).toFixed(2).padStart(8)}x   ${cpu(name).toFixed(1).padStart(8)} us   ${p50(name).toFixed(3).padStart(8)} ms   ${(p50(name) - p50('direct')).toFixed(3).padStart(7)} ms`);
  }
  if (!ONLY) printGoals(rps, cpu, p50); // the goals need every target
  printRoundRatios(throughput, cpuPerRequest);

  const full = targets.find(([name]) => name === 'nestmesh-full')?.[1];
  if (MEMORY_SECONDS > 0 && full) {
    const samples: number[] = [];
    if (MEMORY_WARMUP_SECONDS > 0) await wrk(url(full, '/api/items'), CONNECTIONS, MEMORY_WARMUP_SECONDS, full.token);
    const heapBefore = await full.liveHeapMb!();
    const timer = setInterval(() => samples.push(rssMb(full.pid)), 1_000);
    await wrk(url(full, '/api/items'), CONNECTIONS, MEMORY_SECONDS, full.token);
    clearInterval(timer);
    const heapAfter = await full.liveHeapMb!();
    const tenth = Math.max(1, Math.floor(samples.length / 6));
    const first = median(samples.slice(0, tenth));
    const last = median(samples.slice(-tenth));
    console.log(`memory of the full stack over ${MEMORY_SECONDS} s under load (after ${MEMORY_WARMUP_SECONDS} s of load to warm up): live heap after a full GC ${heapBefore.toFixed(1)} MB before -> ${heapAfter.toFixed(1)} MB after; RSS ${first.toFixed(1)} MB (first ${tenth} s) -> ${last.toFixed(1)} MB (last ${tenth} s), max ${Math.max(...samples).toFixed(1)} MB`);
  }
}

/**
 * The goals as ratios of medians measured in this run, by req/s and by CPU per request: one forwarding path (#16):
 * full stack >= 1.2x @fastify/http-proxy and >= 0.8x the Node limit (read for the bare route and, stricter, the full
 * stack); the data path (earlier): full stack >= 4x http-proxy-middleware, added p50 <= 0.3 ms.
 */
function printGoals(rps: (name: string) => number, cpu: (name: string) => number, p50: (name: string) => number): void {
  const ratio = (a: string, b: string) => (rps(a) / rps(b)).toFixed(2);
  const cpuRatio = (a: string, b: string) => (cpu(b) / cpu(a)).toFixed(2);
  console.log(`goals, by req/s: full stack / @fastify/http-proxy = ${ratio('nestmesh-full', 'fastify-http-proxy')}x (>= 1.2); bare / Node limit = ${ratio('nestmesh-bare', 'node-limit')}x (>= 0.8); full stack / Node limit = ${ratio('nestmesh-full', 'node-limit')}x (>= 0.8); full stack / http-proxy-middleware = ${ratio('nestmesh-full', 'http-proxy-middleware')}x (>= 4); added p50 at 1 connection: bare ${(p50('nestmesh-bare') - p50('direct')).toFixed(3)} ms, full ${(p50('nestmesh-full') - p50('direct')).toFixed(3)} ms (<= 0.3)`);
  console.log(`the same ratios by CPU per request (requests one core serves): ${cpuRatio('nestmesh-full', 'fastify-http-proxy')}x (>= 1.2), ${cpuRatio('nestmesh-bare', 'node-limit')}x (>= 0.8), ${cpuRatio('nestmesh-full', 'node-limit')}x (>= 0.8), ${cpuRatio('nestmesh-full', 'http-proxy-middleware')}x (>= 4)`);
  console.log(`context: bare / the Node limit inside a Nest Fastify app = ${ratio('nestmesh-bare', 'nest-fastify-limit')}x by req/s, ${cpuRatio('nestmesh-bare', 'nest-fastify-limit')}x by CPU (the gateway's own cost); that limit / the Node limit = ${ratio('nest-fastify-limit', 'node-limit')}x (what a Nest app costs before the gateway); the Node limit / http-proxy-middleware = ${ratio('node-limit', 'http-proxy-middleware')}x (no Node proxy can pass 4x where this is under 4)`);
}

/**
 * The goals' ratios round by round (each round measures the two targets a few seconds apart, so a ratio within a
 * round resists the host's slower drifts): the median, and the range, which says how far one run can be trusted.
 */
function printRoundRatios(throughput: Map<string, number[]>, cpuPerRequest: Map<string, number[]>): void {
  const pairs: Array<[string, string]> = [
    ['nestmesh-full', 'fastify-http-proxy'],
    ['nestmesh-bare', 'node-limit'],
    ['nestmesh-full', 'node-limit'],
  ];
  for (const [a, b] of pairs) {
    if (!throughput.has(a) || !throughput.has(b)) continue;
    const byRps = throughput.get(a)!.map((value, round) => value / throughput.get(b)![round]);
    const byCpu = cpuPerRequest.get(a)!.map((value, round) => cpuPerRequest.get(b)![round] / value);
    const show = (ratios: number[]) => `median ${median(ratios).toFixed(2)}x (rounds ${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)})`;
    console.log(`round by round, ${a} / ${b}: by req/s ${show(byRps)}; by CPU per request ${show(byCpu)}`);
  }
}

try {
  await main();
} finally {
  for (const child of children) {
    child.stdin?.end();
    child.kill('SIGTERM');
  }
}
