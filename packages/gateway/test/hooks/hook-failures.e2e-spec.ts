import { CapturingLogger, startHttpUpstream, type BootedNestApp, type HttpUpstream } from '@nestmesh/testing';
import { Readable } from 'node:stream';
import type { GatewayModuleOptions } from '../../src/index.js';
import { PLATFORMS, bootGatewayApp } from '../support/gateway-app.js';
import { rawRequest } from '../support/raw-request.js';

const SECRET = 'db password hunter2 at 10.0.0.7';

describe.each(PLATFORMS)('transformation hooks that throw, on %s', (platform) => {
  let upstream: HttpUpstream;
  let gateway: BootedNestApp;
  let logger: CapturingLogger;

  beforeAll(async () => {
    upstream = await startHttpUpstream();
    logger = new CapturingLogger();
    const options: GatewayModuleOptions = {
      routes: [
        {
          id: 'request-hook',
          prefix: '/request-hook',
          url: upstream.url,
          onRequest: () => {
            throw new Error(SECRET);
          },
        },
        {
          id: 'response-hook',
          prefix: '/response-hook',
          url: upstream.url,
          onResponse: async (context) => {
            context.body = Readable.from(['replaced']);
            await Promise.resolve();
            throw new Error(SECRET);
          },
        },
        { id: 'fine', prefix: '/fine', url: upstream.url, onRequest: () => undefined },
        {
          id: 'replacing',
          prefix: '/replacing',
          url: upstream.url,
          onResponse: (context) => {
            context.body = 'replaced by the hook';
          },
        },
      ],
    };
    gateway = await bootGatewayApp({ platform, gateway: options, logger });
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  const expectOwnFailure = (answer: Awaited<ReturnType<typeof rawRequest>>) => {
    expect(answer.status).toBe(500);
    expect(answer.headers['content-type']).toBe('application/problem+json');
    expect(answer.json()).toMatchObject({ type: 'about:blank', title: 'Internal Server Error', status: 500 });
    expect(answer.body).not.toMatch(/hunter2|\bat \S+ \(|\.[jt]s:\d+|stack|cause/); // no message, no stack frame
  };

  it('answers 500 problem+json (not 502) when a request hook throws, without its message, and logs it once with the route', async () => {
    const before = upstream.requests.length;
    expectOwnFailure(await rawRequest(`${gateway.url}/request-hook/x`));
    expectOwnFailure(await rawRequest(`${gateway.url}/request-hook/x`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'a body' }));
    expect(upstream.requests.length).toBe(before); // nothing was forwarded
    const logged = logger.matching(/onRequest hook of route "request-hook" threw/, 'GatewayModule');
    expect(logged).toHaveLength(2);
    expect(logged.every((line) => line.level === 'error')).toBe(true);
    expect((await rawRequest(`${gateway.url}/fine/x`)).status).toBe(200);
  });

  it('answers 500 problem+json when a response hook throws, and logs it once with the route', async () => {
    expectOwnFailure(await rawRequest(`${gateway.url}/response-hook/x`));
    expect(logger.matching(/onResponse hook of route "response-hook" threw/, 'GatewayModule')).toHaveLength(1);
    expect(logger.matching(/hunter2/)).toHaveLength(0); // the hook's message goes with the stack, not into the line itself
  });

  it('releases the upstream body a working response hook replaced, without an unhandled error', async () => {
    const errors: unknown[] = [];
    const onError = (error: unknown) => errors.push(error);
    process.on('uncaughtException', onError);
    try {
      for (let index = 0; index < 3; index += 1) {
        const answer = await rawRequest(`${gateway.url}/replacing/x`);
        expect(answer.status).toBe(200);
        expect(answer.body).toBe('replaced by the hook');
      }
      await new Promise((resolve) => setTimeout(resolve, 50)); // undici reports an abandoned body on the next turn
    } finally {
      process.off('uncaughtException', onError);
    }
    expect(errors).toEqual([]);
  });
});
