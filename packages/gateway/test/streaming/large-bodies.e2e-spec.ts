import { startHttpUpstream, writeBytes, type BootedNestApp, type HttpUpstream } from '@nestmesh/testing';
import { request } from 'node:http';
import { once } from 'node:events';
import { startEchoUpstream, type Echo } from '../support/echo-upstream.js';
import { PLATFORMS, bootGatewayApp, staticDiscovery } from '../support/gateway-app.js';
import { rawRequest } from '../support/raw-request.js';

const MB = 1024 * 1024;

const TOTAL = 100 * MB;
const CHUNK = Buffer.alloc(64 * 1024, 0x61);

/** Uploads `total` bytes as a stream (never held whole) and returns the answer; `progress.sent` counts bytes written. */
async function upload(url: string, total: number, progress = { sent: 0 }, chunked = false): Promise<{ status: number; body: string }> {
  const target = new URL(url);
  const headers = chunked ? { 'content-type': 'application/octet-stream' } : { 'content-type': 'application/octet-stream', 'content-length': total };
  const req = request({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers });
  req.on('error', () => undefined); // a gateway refusing the body early may close before the last write
  const answered = once(req, 'response');
  let finished = false;
  void answered.then(() => (finished = true));
  while (progress.sent < total) {
    const chunk = CHUNK.subarray(0, Math.min(CHUNK.length, total - progress.sent));
    progress.sent += chunk.length;
    if (!req.write(chunk)) await Promise.race([once(req, 'drain'), answered]);
    if (req.destroyed || finished) break;
  }
  req.end();
  const [response] = (await answered) as [import('node:http').IncomingMessage];
  let body = '';
  for await (const piece of response) body += (piece as Buffer).toString();
  return { status: response.statusCode ?? 0, body };
}

describe('bodies stream both ways with bounded gateway memory (real upstream Nest app)', () => {
  let echo: BootedNestApp;
  let download: HttpUpstream;
  let paused: HttpUpstream;
  let hanging: HttpUpstream;
  let trickle: HttpUpstream;
  let release: () => void = () => undefined;
  let received = 0;
  let downloadWritten = 0;
  const hangingClosed: Array<() => void> = [];

  beforeAll(async () => {
    echo = await startEchoUpstream('orders-a');
    download = await startHttpUpstream(async (req, res) => {
      const query = new URL(req.url ?? '/', 'http://x').searchParams;
      const size = Number(query.get('bytes'));
      // ?chunked=1: no Content-Length, so only counting the bytes can find the answer too large.
      res.writeHead(200, query.has('chunked') ? { 'content-type': 'application/octet-stream' } : { 'content-type': 'application/octet-stream', 'content-length': size });
      downloadWritten = 0;
      await writeBytes(res, size, (bytes) => (downloadWritten += bytes));
      res.end();
    });
    // Never answers; tells when the gateway gives its request up (the connection closes).
    hanging = await startHttpUpstream((req) => {
      req.socket.once('close', () => hangingClosed.shift()?.());
    });
    // A cacheable answer with no length that outgrows cache.maxEntryBytes, then stalls; tells when its request is given up.
    trickle = await startHttpUpstream((req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'cache-control': 'public, max-age=60' });
      res.write(Buffer.alloc(64 * 1024));
      req.socket.once('close', () => hangingClosed.shift()?.());
    });
    // Reads nothing until released: whatever the client manages to send meanwhile sits in buffers on the way.
    paused = await startHttpUpstream(async (req, res) => {
      await new Promise<void>((resolve) => (release = resolve));
      for await (const chunk of req) received += (chunk as Buffer).length;
      res.end(String(received));
    });
  });
  afterAll(async () => {
    await echo?.close();
    await download?.close();
    await paused?.close();
    await hanging?.close();
    await trickle?.close();
  });

  describe.each(PLATFORMS)('on %s', (platform) => {
    let gateway: BootedNestApp;
    beforeAll(async () => {
      gateway = await bootGatewayApp({
        platform,
        discovery: {
          registry: 'static',
          staticServices: {
            ...staticDiscovery('orders', [{ port: echo.port } as HttpUpstream]).staticServices,
            stalled: [{ address: '127.0.0.1', port: hanging.port, id: 'stalled-0' }],
          },
        },
        gateway: {
          routes: [
            { id: 'upload', prefix: '/upload', service: 'orders', maxBodySize: 200 * MB },
            { id: 'small', prefix: '/small', service: 'orders', maxBodySize: 1_000 },
            { id: 'download', prefix: '/download', url: download.url, maxResponseSize: 200 * MB },
            { id: 'capped', prefix: '/capped', url: download.url, maxResponseSize: MB },
            { id: 'capped-hooked', prefix: '/capped-hooked', url: download.url, maxResponseSize: MB, onResponse: () => undefined },
            { id: 'paused', prefix: '/paused', url: paused.url, maxBodySize: 200 * MB, timeout: 60_000 },
            { id: 'hanging', prefix: '/hanging', url: hanging.url, timeout: 120_000 }, // far beyond the test's own timeout
            { id: 'stalled', prefix: '/stalled', service: 'stalled', timeout: 120_000 },
            // A response hook reads the answer as a stream (the other forwarding path): the same departure rule.
            { id: 'hanging-hooked', prefix: '/hanging-hooked', url: hanging.url, timeout: 120_000, onResponse: () => undefined },
            { id: 'stalled-hooked', prefix: '/stalled-hooked', service: 'stalled', timeout: 120_000, onResponse: () => undefined },
            // Read for the cache, found too large to keep (cache.maxEntryBytes), then sent on as it comes.
            { id: 'trickle-cached', prefix: '/trickle-cached', url: trickle.url, timeout: 120_000, cache: true },
            { id: 'download-cached', prefix: '/download-cached', url: download.url, cache: { defaultTtl: 60_000 } },
          ],
          cache: { maxEntryBytes: 16 * 1024 },
        },
      });
    });
    afterAll(() => gateway?.close());

    it('streams a 100 MB request body to the upstream, and back the other way', async () => {
      const answer = await upload(`${gateway.url}/upload/file`, TOTAL);
      expect(answer.status).toBe(200);
      expect((JSON.parse(answer.body) as Echo).bodyBytes).toBe(TOTAL);
      let downloaded = 0;
      const response = await fetch(`${gateway.url}/download/file?bytes=${TOTAL}`);
      expect(response.status).toBe(200);
      for await (const chunk of response.body!) downloaded += chunk.length;
      expect(downloaded).toBe(TOTAL);
    });

    it('holds a bounded part of a 100 MB body while the upstream does not read: back-pressure reaches the client', async () => {
      received = 0;
      const progress = { sent: 0 };
      const done = upload(`${gateway.url}/paused/file`, TOTAL, progress);
      // Wait until the client cannot write any more (every buffer on the way is full).
      let last = -1;
      while (progress.sent !== last) {
        last = progress.sent;
        await new Promise((resolve) => setTimeout(resolve, 400));
      }
      // Socket buffers on both sides of the gateway hold a few MB; the gateway itself a few chunks.
      expect(progress.sent).toBeLessThan(32 * MB);
      expect(received).toBe(0);
      release();
      const answer = await done;
      expect(answer.status).toBe(200);
      expect(Number(answer.body)).toBe(TOTAL);
    });

    it('refuses a body over the route limit with 413 (declared or streamed), and an answer over its limit with 502', async () => {
      const declared = await rawRequest(`${gateway.url}/small/x`, { method: 'POST', body: Buffer.alloc(5_000) });
      expect(declared.status).toBe(413);
      expect(declared.headers['content-type']).toBe('application/problem+json');
      const chunked = await upload(`${gateway.url}/small/x`, 5 * MB, { sent: 0 }, true);
      expect(chunked.status).toBe(413);
      const capped = await rawRequest(`${gateway.url}/capped/x?bytes=${2 * MB}`);
      expect(capped.status).toBe(502);
      expect((await rawRequest(`${gateway.url}/capped/x?bytes=1000`)).status).toBe(200);
      // A HEAD answer relays no body: the length it declares is no reason to refuse it, relayed or through a hook.
      for (const prefix of ['/capped', '/capped-hooked']) {
        const head = await rawRequest(`${gateway.url}${prefix}/x?bytes=${2 * MB}`, { method: 'HEAD' });
        expect([prefix, head.status, head.headers['content-length']]).toEqual([prefix, 200, String(2 * MB)]);
      }
    });

    it('cuts an answer without a Content-Length once it passes the limit: the client sees an incomplete body', async () => {
      const response = await fetch(`${gateway.url}/capped/x?bytes=${4 * MB}&chunked=1`);
      expect(response.status).toBe(200); // the headers were out before the body passed the limit
      let read = 0;
      const reading = (async () => {
        for await (const chunk of response.body!) read += chunk.length;
      })();
      await expect(reading).rejects.toThrow();
      expect(read).toBeLessThanOrEqual(MB);
      expect((await rawRequest(`${gateway.url}/capped/x?bytes=1000&chunked=1`)).body.length).toBe(1000);
    });

    it('sends a cacheable answer without a length that is too large to keep whole, byte for byte, and stores a small one', async () => {
      const large = await rawRequest(`${gateway.url}/download-cached/large?bytes=${3 * MB + 7}&chunked=1`);
      expect(large.headers['x-cache']).toBe('MISS');
      expect(large.body.length).toBe(3 * MB + 7);
      expect((await rawRequest(`${gateway.url}/download-cached/large?bytes=${3 * MB + 7}&chunked=1`)).headers['x-cache']).toBe('MISS');
      expect((await rawRequest(`${gateway.url}/download-cached/small?bytes=1000&chunked=1`)).headers['x-cache']).toBe('MISS');
      const small = await rawRequest(`${gateway.url}/download-cached/small?bytes=1000&chunked=1`);
      expect(small.headers['x-cache']).toBe('HIT');
      expect(small.body.length).toBe(1000);
    });

    it('holds a bounded part of a 100 MB answer the client does not read: back-pressure reaches the upstream', async () => {
      const target = new URL(`${gateway.url}/download/file?bytes=${TOTAL}`);
      const req = request({ host: target.hostname, port: target.port, path: `${target.pathname}${target.search}` });
      const [response] = (await once(req.end(), 'response')) as [import('node:http').IncomingMessage];
      response.pause();
      // Wait until the upstream cannot write any more (every buffer on the way is full).
      let last = -1;
      while (downloadWritten !== last) {
        last = downloadWritten;
        await new Promise((resolve) => setTimeout(resolve, 400));
      }
      expect(downloadWritten).toBeLessThan(32 * MB);
      let downloaded = 0;
      for await (const chunk of response) downloaded += (chunk as Buffer).length;
      expect(downloaded).toBe(TOTAL);
    });

    it.each([
      ['hanging', 'a static URL'],
      ['stalled', 'a discovered service'],
      ['hanging-hooked', 'a static URL, answer read for a response hook'],
      ['stalled-hooked', 'a discovered service, answer read for a response hook'],
      ['trickle-cached', 'an answer read for the cache, too large to keep, that stalls'],
    ])('gives up the upstream request of a client that went away (/%s: %s)', async (prefix) => {
      const closed = new Promise<void>((resolve) => hangingClosed.push(resolve));
      const target = new URL(`${gateway.url}/${prefix}/x`);
      const req = request({ host: target.hostname, port: target.port, path: target.pathname });
      req.on('error', () => undefined);
      req.end();
      await new Promise((resolve) => setTimeout(resolve, 300)); // the request reaches the upstream
      req.destroy();
      await closed; // the gateway closed its upstream connection (the route's own timeout is 120 s)
    });
  });
});
