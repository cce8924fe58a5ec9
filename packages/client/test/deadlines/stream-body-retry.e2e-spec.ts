import { getFreePort, startHttpUpstream, type HttpUpstream } from '@nestmesh/testing';
import { Readable } from 'node:stream';
import { isUpstreamUnreachableError, type LoadBalancingStrategy } from '@nestmesh/client';
import { bootClientApp, rejection } from '../support/client-app.js';

/** Always picks the instance with id `first` while it is a candidate: the call's first attempt goes there. */
const firstOn = (first: string): LoadBalancingStrategy => ({
  pick: (candidates) => candidates.find((candidate) => candidate.instance.id === first) ?? candidates[0],
});

/** A stream body of `count` chunks made as they are read, counting the reads. */
function countedBody(count: number): { stream: Readable; reads: () => number } {
  let reads = 0;
  const stream = new Readable({
    read() {
      reads++;
      this.push(reads <= count ? Buffer.from(`chunk-${reads};`) : null);
    },
  });
  return { stream, reads: () => reads };
}

describe('a stream body whose first attempt could not connect', () => {
  let upstream: HttpUpstream;

  beforeAll(async () => {
    upstream = await startHttpUpstream(async (req, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      res.end(body);
    });
  });
  afterAll(() => upstream.close());

  it('is retried on another instance, which receives all of it (a POST: retried only because nothing was sent)', async () => {
    const closed = await getFreePort();
    const app = await bootClientApp({
      discovery: {
        registry: 'static',
        staticServices: { svc: [{ id: 'refusing', address: '127.0.0.1', port: closed }, { id: 'serving', address: '127.0.0.1', port: upstream.port }] },
      },
      clients: { services: { svc: { strategy: firstOn('refusing'), outlierDetection: false } } },
    });
    try {
      const { stream } = countedBody(50);
      const response = await app.client('svc').post('/upload', stream);
      expect(response.status).toBe(200);
      expect(response.attempts).toBe(2);
      expect(response.instance.id).toBe('serving');
      expect(await response.body.text()).toBe(Array.from({ length: 50 }, (_, index) => `chunk-${index + 1};`).join(''));
      // An async iterable body too.
      async function* parts() {
        yield Buffer.from('a');
        yield Buffer.from('b');
      }
      const iterated = await app.client('svc').put('/upload', parts());
      expect(iterated.attempts).toBe(2);
      expect(await iterated.body.text()).toBe('ab');
    } finally {
      await app.close();
    }
  });

  it('goes to every instance in turn when none can be reached, and no byte of it was read', async () => {
    const [one, two] = [await getFreePort(), await getFreePort()];
    const app = await bootClientApp({
      discovery: { registry: 'static', staticServices: { svc: [{ id: 'a', address: '127.0.0.1', port: one }, { id: 'b', address: '127.0.0.1', port: two }] } },
      clients: { services: { svc: { outlierDetection: false } } },
    });
    try {
      const { stream, reads } = countedBody(3);
      const error = await rejection(app.client('svc').post('/upload', stream));
      expect(isUpstreamUnreachableError(error)).toBe(true);
      expect(error).toMatchObject({ attempts: 2 });
      expect(reads()).toBe(0);
    } finally {
      await app.close();
    }
  });
});
