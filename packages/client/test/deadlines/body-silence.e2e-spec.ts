import { sleep, startHttpUpstream, writeBytes, type HttpUpstream } from '@nestmesh/testing';
import { bootClientApp, rejection } from '../support/client-app.js';

describe('timeout.ms between two body chunks', () => {
  let upstream: HttpUpstream;

  beforeAll(async () => {
    upstream = await startHttpUpstream(async (req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      if (req.url === '/trickle') {
        // Six chunks 50 ms apart: the body takes longer than timeout.ms, no silence does.
        for (let i = 0; i < 6; i++) {
          res.write(`${i}`);
          await sleep(50);
        }
        res.end();
      } else if (req.url === '/stall') {
        res.write('first');
        // ...and nothing more, until the client gives up.
      } else {
        await writeBytes(res, 8 * 1024 * 1024);
        res.end();
      }
    });
  });
  afterAll(() => upstream.close());

  const boot = () =>
    bootClientApp({
      discovery: { registry: 'static', staticServices: { svc: [{ id: 'svc-0', address: '127.0.0.1', port: upstream.port }] } },
      clients: { services: { svc: { timeout: { ms: 400 }, retry: false } } },
    });

  it('bounds silences, not the whole body; a reader that pauses is not the upstream’s silence', async () => {
    const app = await boot();
    try {
      const svc = app.client('svc');
      expect(await (await svc.get('/trickle')).body.text()).toBe('012345');

      const stalled = await svc.get('/stall');
      const failure = (await rejection(stalled.body.text())) as { code?: string };
      expect(failure.code).toBe('UND_ERR_BODY_TIMEOUT');

      // The reader takes one chunk, then stops reading for longer than timeout.ms while the upstream waits on it.
      const big = await svc.get('/big');
      const iterator = big.body[Symbol.asyncIterator]();
      let bytes = ((await iterator.next()).value as Buffer).length;
      await sleep(1_000);
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) bytes += (next.value as Buffer).length;
      expect(bytes).toBe(8 * 1024 * 1024);
    } finally {
      await app.close();
    }
  });
});
