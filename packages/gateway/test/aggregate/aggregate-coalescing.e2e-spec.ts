import { startHttpUpstream, type BootedNestApp, type HttpUpstream } from '@nestmesh/testing';
import { PLATFORMS, bootGatewayApp } from '../support/gateway-app.js';
import { rawRequest } from '../support/raw-request.js';

/**
 * Concurrent misses of a cached aggregation route share one leader, as a proxied route's do: when its legs all run
 * out of time, the requests waiting on it get its 504 too, instead of calling every leg again (more load on a
 * struggling service) and waiting a second timeout.
 */
describe('concurrent misses of a cached aggregation route whose legs all time out', () => {
  let hanging: HttpUpstream;
  const held = new Set<() => void>();
  beforeAll(async () => {
    hanging = await startHttpUpstream((_req, res) => {
      const answer = () => res.end('{}');
      held.add(answer);
      res.on('close', () => held.delete(answer));
    });
  });
  afterAll(async () => {
    for (const answer of held) answer();
    await hanging.close();
  });

  describe.each(PLATFORMS)('on %s', (platform) => {
    let gateway: BootedNestApp;
    beforeAll(async () => {
      gateway = await bootGatewayApp({
        platform,
        gateway: { cache: {}, routes: [{ path: '/agg', cache: true, aggregate: { timeout: 300, legs: { slow: { url: `${hanging.url}/slow` } } } }] },
      });
    });
    afterAll(() => gateway?.close());

    it('calls the leg once; every request gets the 504 problem naming it', async () => {
      hanging.requests.splice(0);
      const answers = await Promise.all(Array.from({ length: 6 }, () => rawRequest(`${gateway.url}/agg`)));
      expect(answers.map((answer) => answer.status)).toEqual(Array(6).fill(504));
      for (const answer of answers) {
        expect(answer.headers['content-type']).toBe('application/problem+json');
        expect(answer.json<{ errors: Record<string, unknown> }>().errors).toHaveProperty('slow');
      }
      expect(hanging.requests).toHaveLength(1);
    });
  });
});
