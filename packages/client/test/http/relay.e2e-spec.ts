import { startHttpUpstream, startHttpUpstreams, writeBytes, type HttpUpstream } from '@nestmesh/testing';
import { Pool } from 'undici';
import { isNoInstancesError, isServiceTimeoutError } from '@nestmesh/client';
import { AbortTarget, RelayAttempt, type RelayExchange, type RelaySink } from '@nestmesh/client/relay';
import { bootClientApp, rejection, staticDiscovery } from '../support/client-app.js';

/** A sink that records what it is given; `full` makes write() ask for a pause. */
class RecordingSink implements RelaySink {
  status = 0;
  headers: Record<string, string | string[]> = {};
  rawNames: string[] = [];
  bytes = 0;
  chunks: Buffer[] = [];
  exchange: RelayExchange | undefined;
  full = false;
  readonly finished: Promise<'end' | Error>;
  private settle!: (outcome: 'end' | Error) => void;

  constructor(private readonly refuse?: Error) {
    this.finished = new Promise((resolve) => (this.settle = resolve));
  }

  start(status: number, exchange: RelayExchange): void {
    if (this.refuse) throw this.refuse;
    this.status = status;
    this.headers = exchange.headers;
    this.rawNames = exchange.rawHeaders.filter((_item, index) => index % 2 === 0).map((name) => name.toString());
    this.exchange = exchange;
  }

  write(chunk: Buffer): boolean {
    this.bytes += chunk.length;
    if (this.chunks.length < 64) this.chunks.push(chunk);
    return !this.full;
  }

  end(): void {
    this.settle('end');
  }

  fail(error: Error): void {
    this.settle(error);
  }

  get text(): string {
    return Buffer.concat(this.chunks).toString();
  }
}

const MB = 1024 * 1024;


describe('RelayAttempt: an undici exchange relayed into a sink, or dumped (real HTTP server)', () => {
  let upstream: HttpUpstream;
  let pool: Pool;
  let written = 0;
  const closed: Array<() => void> = [];

  beforeAll(async () => {
    upstream = await startHttpUpstream(async (req, res) => {
      const query = new URL(req.url ?? '/', 'http://x').searchParams;
      req.socket.once('close', () => closed.shift()?.());
      if (query.has('hang')) return;
      if (query.has('bytes')) {
        const size = Number(query.get('bytes'));
        res.writeHead(200, { 'content-length': size });
        written = 0;
        await writeBytes(res, size, (bytes) => (written += bytes));
        res.end();
        return;
      }
      if (query.has('cut')) {
        res.writeHead(200, { 'content-length': 1000 });
        res.write('partial');
        setTimeout(() => res.destroy(), 50);
        return;
      }
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.writeHead(Number(query.get('status') ?? 200), { 'X-Mixed-Case': 'yes', 'content-type': 'text/plain' });
      res.end(req.method === 'HEAD' ? undefined : `hello ${req.method}`);
    });
    pool = new Pool(upstream.url, { connections: 1 });
  });
  afterAll(async () => {
    await pool.close();
    await upstream.close();
  });

  async function relay(path: string, sink: RecordingSink, method: 'GET' | 'HEAD' = 'GET', signal?: AbortSignal): Promise<RelayAttempt> {
    const attempt = new RelayAttempt(signal);
    pool.dispatch({ method, path }, attempt);
    const answered = await attempt.answered;
    answered.relayTo(sink);
    return answered;
  }

  it('relays status, headers (names lower-case, repeated ones as arrays) and body; HEAD and 204 with no body', async () => {
    const sink = new RecordingSink();
    await relay('/x?status=201', sink);
    expect(await sink.finished).toBe('end');
    expect(sink.status).toBe(201);
    expect(sink.headers).toMatchObject({ 'x-mixed-case': 'yes', 'set-cookie': ['a=1', 'b=2'], 'content-type': 'text/plain' });
    expect(sink.rawNames).toContain('X-Mixed-Case'); // the raw pairs keep the upstream's spelling
    expect(sink.text).toBe('hello GET');
    for (const [path, method] of [['/head', 'HEAD'], ['/empty?status=204', 'GET']] as const) {
      const empty = new RecordingSink();
      await relay(path, empty, method);
      expect(await empty.finished).toBe('end');
      expect(empty.bytes).toBe(0);
    }
  });

  it('dumps an answer it does not relay, leaving the connection to the next request', async () => {
    const sockets = new Set<unknown>();
    upstream.server.on('connection', (socket) => sockets.add(socket));
    const first = new RelayAttempt();
    pool.dispatch({ method: 'GET', path: `/big?bytes=${2 * MB}` }, first);
    await (await first.answered).dump();
    const sink = new RecordingSink();
    await relay('/after', sink);
    expect(await sink.finished).toBe('end');
    expect(sink.text).toBe('hello GET');
    expect(sockets.size).toBe(0); // both on the pool's one connection, opened before
  });

  it('pauses the upstream while the sink is full, until resume()', async () => {
    const sink = new RecordingSink();
    sink.full = true;
    await relay(`/big?bytes=${64 * MB}`, sink);
    let last = -1;
    while (written !== last) {
      last = written;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    expect(written).toBeLessThan(32 * MB); // socket buffers only: nothing read past them
    sink.full = false;
    sink.exchange!.resume();
    expect(await sink.finished).toBe('end');
    expect(sink.bytes).toBe(64 * MB);
  });

  it('fails the sink when the exchange breaks after the headers', async () => {
    const sink = new RecordingSink();
    await relay('/cut?cut=1', sink);
    expect(await sink.finished).toBeInstanceOf(Error);
    expect(sink.text).toBe('partial');
  });

  it('aborts before the answer on its signal, and after it on exchange.abort(): the upstream connection closes', async () => {
    const target = new AbortTarget();
    const gone = new Promise<void>((resolve) => closed.push(resolve));
    const attempt = new RelayAttempt(target.undiciSignal);
    pool.dispatch({ method: 'GET', path: '/hang?hang=1' }, attempt);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const reason = new Error('the client went away');
    target.abort(reason);
    await expect(attempt.answered).rejects.toBe(reason);
    await gone;

    const sink = new RecordingSink();
    sink.full = true;
    const cut = new Promise<void>((resolve) => closed.push(resolve));
    await relay(`/big?bytes=${64 * MB}`, sink);
    sink.exchange!.abort(new Error('stop'));
    await cut;
  });

  it('refuses the answer when the sink throws from start(): relayTo() throws it and the exchange ends', async () => {
    const refusal = new Error('too large');
    const cut = new Promise<void>((resolve) => closed.push(resolve));
    await expect(relay(`/big?bytes=${8 * MB}`, new RecordingSink(refusal))).rejects.toBe(refusal);
    await cut;
  });
});

describe('ServiceClient.relay(): the same call as request(), its answer relayed (real HTTP servers, real Nest app)', () => {
  let healthy: HttpUpstream[];
  let failing: HttpUpstream;
  let slow: HttpUpstream;

  beforeAll(async () => {
    healthy = await startHttpUpstreams(2, (index) => (req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'x-instance': String(index) });
      res.end(`from ${index} ${req.url}`);
    });
    failing = await startHttpUpstream((_req, res) => {
      res.writeHead(503, { 'content-type': 'text/plain' });
      res.end('x'.repeat(200_000)); // larger than socket buffers: dumped, not left in the connection
    });
    slow = await startHttpUpstream(() => undefined);
  });
  afterAll(async () => {
    await Promise.all([...healthy, failing, slow].map((upstream) => upstream.close()));
  });

  it('retries a 503 on another instance (dropping its answer) and relays the one it settles on', async () => {
    const app = await bootClientApp({ discovery: staticDiscovery('svc', [failing, healthy[0]]), clients: { services: { svc: { strategy: 'round-robin' } } } });
    try {
      for (let call = 0; call < 6; call += 1) {
        const sink = new RecordingSink();
        const answer = await app.client('svc').relay({ method: 'GET', path: `/n/${call}` }, sink);
        expect(await sink.finished).toBe('end');
        expect(sink.status).toBe(200);
        expect(sink.text).toBe(`from 0 /n/${call}`);
        expect(answer.instance.port).toBe(healthy[0].port);
      }
      expect(failing.requests.length).toBeGreaterThanOrEqual(2); // round robin sent first attempts there: each was retried
    } finally {
      await app.close();
    }
  });

  it('relays the last answer when no retry is allowed, and fails as request() does', async () => {
    const instance = (upstream: HttpUpstream, id: string) => ({ address: '127.0.0.1', port: upstream.port, id });
    const app = await bootClientApp({
      discovery: { registry: 'static', staticServices: { svc: [instance(failing, 'svc-0')], slow: [instance(slow, 'slow-0')], none: [] } },
      clients: { services: { svc: { retry: false }, slow: { deadline: 300 }, none: {} } },
    });
    try {
      const sink = new RecordingSink();
      await app.client('svc').relay({ method: 'GET', path: '/' }, sink);
      expect(await sink.finished).toBe('end');
      expect(sink.status).toBe(503);
      expect(sink.bytes).toBe(200_000);
      expect(isServiceTimeoutError(await rejection(app.client('slow').relay({ method: 'GET', path: '/' }, new RecordingSink())))).toBe(true);
      expect(isNoInstancesError(await rejection(app.client('none').relay({ method: 'GET', path: '/' }, new RecordingSink())))).toBe(true);
    } finally {
      await app.close();
    }
  });
});
