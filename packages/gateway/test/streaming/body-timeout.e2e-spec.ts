import { startHttpUpstream, type BootedNestApp, type HttpUpstream } from '@nestmesh/testing';
import { once } from 'node:events';
import { request } from 'node:http';
import { PLATFORMS, bootGatewayApp } from '../support/gateway-app.js';

const BODY_TIMEOUT = 500;
const SIZE = 16 * 1024 * 1024;

/** Sends `SIZE` bytes as fast as the connection takes them (`sent` of them, then silence); the status and body of the answer. */
async function upload(url: string, sent = SIZE): Promise<{ status: number; body: string }> {
  const req = request(url, { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'content-length': SIZE } });
  req.on('error', () => undefined);
  const answered = once(req, 'response');
  const chunk = Buffer.alloc(64 * 1024, 120);
  for (let written = 0; written < sent; written += chunk.length) if (!req.write(chunk)) await Promise.race([once(req, 'drain'), answered]);
  if (sent === SIZE) req.end();
  const [response] = (await answered) as [import('node:http').IncomingMessage];
  let body = '';
  for await (const piece of response) body += (piece as Buffer).toString();
  return { status: response.statusCode ?? 0, body };
}

describe('bodyTimeout counts the client’s silence, not the upstream’s', () => {
  let slowReader: HttpUpstream;
  beforeAll(async () => {
    // Reads the body only after three body timeouts (a busy upstream, a slow disk): meanwhile the gateway holds back.
    slowReader = await startHttpUpstream(async (req, res) => {
      req.pause();
      await new Promise((resolve) => setTimeout(resolve, BODY_TIMEOUT * 3));
      let received = 0;
      try {
        for await (const piece of req) received += (piece as Buffer).length;
        res.end(`received ${received}`);
      } catch {
        // the gateway gave the request up (the client's silence)
      }
    });
  });
  afterAll(() => slowReader?.close());

  describe.each(PLATFORMS)('on %s', (platform) => {
    let gateway: BootedNestApp;
    beforeAll(async () => {
      gateway = await bootGatewayApp({
        platform,
        gateway: { routes: [{ prefix: '/up', url: slowReader.url, timeout: 20_000 }], limits: { bodyTimeout: BODY_TIMEOUT, maxBodySize: 2 * SIZE } },
      });
    });
    afterAll(() => gateway?.close());

    it('lets a client that sent its whole body wait while the upstream does not read it (back-pressure), then relays the answer', async () => {
      expect(await upload(`${gateway.url}/up/file`)).toEqual({ status: 200, body: `received ${SIZE}` });
    });

    it('still answers 408 when the client falls silent once the upstream has caught up with what it sent', async () => {
      const answer = await upload(`${gateway.url}/up/file`, SIZE / 2);
      expect(answer.status).toBe(408);
      expect(JSON.parse(answer.body)).toMatchObject({ status: 408, detail: 'The request body was not sent in time.' });
    });
  });
});
